import { ApiError } from '../api/api-client';
import { t } from '../i18n/t';

/** `asking`: the consent popup is open; `declined`: the user closed it (or it failed) and has not asked again. */
export type ConsentState = 'idle' | 'asking' | 'declined';

export interface ConsentGate {
  /** For the API client on a `consent_required` answer: resolves once the user has consented. */
  whenRequired(): Promise<void>;
  /** The user's own "Try again" after a decline. */
  askAgain(): Promise<void>;
  state(): ConsentState;
  subscribe(listener: () => void): () => void;
}

/**
 * Puts the Graph consent popup behind one door: calls that need consent at the same time share
 * one popup, and after the user closed it no call opens it again by itself (React Query's
 * retries would otherwise reopen it) until the user asks with `askAgain`.
 */
export function createConsentGate(openPopup: () => Promise<unknown>): ConsentGate {
  let state: ConsentState = 'idle';
  let pending: Promise<void> | null = null;
  const listeners = new Set<() => void>();
  const set = (next: ConsentState) => {
    state = next;
    for (const listener of listeners) listener();
  };
  const declined = () => new ApiError(403, 'consent_required', t('consent.declined'));
  const ask = (): Promise<void> => {
    if (pending) return pending;
    set('asking');
    pending = openPopup().then(
      () => set('idle'),
      () => {
        set('declined');
        throw declined();
      },
    );
    const clear = () => {
      pending = null;
    };
    pending.then(clear, clear);
    return pending;
  };
  return {
    whenRequired: () => (state === 'declined' ? Promise.reject(declined()) : ask()),
    askAgain: ask,
    state: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
