import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { ApiError } from '../api/api-client';
import { errorText } from '../error-text';
import { t } from '../i18n/t';
import { Suspense, useId, useLayoutEffect, useSyncExternalStore } from 'react';
import { useConsentRetry } from '../teams/consent-context';
import { onDemand } from './OnDemand';

// Shown only when Graph consent is missing, and it reads its answer with the contract's zod schema:
// fetched then, so the tab's first download carries no zod (test/unit/client/initial-bundle.test.ts).
const AdminConsentNote = onDemand(() => import('../teams/AdminConsentNote').then((m) => m.AdminConsentNote));

/**
 * The notices on screen by what they say, each with its notices in the order they showed. One
 * cause that fails several panels at once (a sign-in no longer valid, consent missing) would
 * otherwise stack the same banner once per panel: only the latest of identical notices shows (the
 * one beside what the user did last, or in the drawer they opened); the others show again once it
 * goes. Different errors all show, each in its own panel.
 */
const shown = new Map<string, string[]>();
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((listener) => listener());
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

function useLatestOfItsWords(words: string): boolean {
  const id = useId();
  useLayoutEffect(() => {
    shown.set(words, [...(shown.get(words) ?? []), id]);
    notify();
    return () => {
      const rest = (shown.get(words) ?? []).filter((other) => other !== id);
      if (rest.length) shown.set(words, rest);
      else shown.delete(words);
      notify();
    };
  }, [words, id]);
  // Before its layout effect has run (the first render), a notice counts as the latest.
  return useSyncExternalStore(subscribe, () => {
    const ids = shown.get(words);
    return !ids?.includes(id) || ids.at(-1) === id;
  });
}

/**
 * An error in plain words, in the active language, under a title that says what failed. In Teams,
 * a missing Graph consent also offers to open the consent popup again, and says that an
 * administrator has to consent, with the link to send them. `text`, when given, is said in place
 * of the error's own words (a feature that knows better what the error means there). A notice
 * that says exactly what another on screen says shows once (see `shown`).
 */
export function ErrorNotice({ error, title, text }: { error: unknown; title?: string; text?: string }) {
  const consent = useConsentRetry();
  const needsConsent = consent && error instanceof ApiError && error.code === 'consent_required';
  const heading = needsConsent ? t('consent.title') : (title ?? t('app.error'));
  const body = text ?? errorText(error);
  if (!useLatestOfItsWords(`${heading}\n${body}`)) return null;
  return (
    <MessageBar intent="error" role="alert" layout={needsConsent ? 'multiline' : 'auto'}>
      <MessageBarBody>
        <MessageBarTitle>{heading}</MessageBarTitle>
        {body}
        {needsConsent && consent.tenantId && (
          <Suspense fallback={null}>
            <AdminConsentNote tenantId={consent.tenantId} />
          </Suspense>
        )}
      </MessageBarBody>
      {needsConsent && (
        <MessageBarActions>
          <Button disabled={consent.asking} onClick={consent.retry}>
            {t('app.retry')}
          </Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
