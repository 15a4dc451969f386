import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { ApiError } from '../api/api-client';
import { errorText } from '../error-text';
import { t } from '../i18n/t';
import { Suspense, createContext, useContext, useId, useLayoutEffect, useSyncExternalStore } from 'react';
import { useConsentRetry } from '../teams/consent-context';
import { onDemand } from './OnDemand';

// Shown only when Graph consent is missing, and it reads its answer with the contract's zod schema:
// fetched then, so the tab's first download carries no zod (test/unit/client/initial-bundle.test.ts).
const AdminConsentNote = onDemand(() => import('../teams/AdminConsentNote').then((m) => m.AdminConsentNote));

/**
 * Whether the part of the page a notice is in is hidden (the closed search pane, kept mounted so a
 * search in progress is not lost): set by the part that hides itself.
 */
export const HiddenPart = createContext(false);

/**
 * The notices mounted, by what they say, in the order they showed, each with whether its part is
 * hidden. One cause that fails several panels at once (a sign-in no longer valid, consent
 * missing) would otherwise stack the same banner once per panel: only the latest of identical
 * notices the user can see shows (the one beside what the user did last, or in the drawer they
 * opened); the others show again once it goes. A copy in a hidden part never stands in for one in
 * view. Different errors all show, each in its own panel.
 */
const shown = new Map<string, { id: string; hidden: boolean }[]>();
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((listener) => listener());
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

function useLatestOfItsWords(words: string): boolean {
  const id = useId();
  const hidden = useContext(HiddenPart);
  useLayoutEffect(() => {
    shown.set(words, [...(shown.get(words) ?? []), { id, hidden }]);
    notify();
    return () => {
      const rest = (shown.get(words) ?? []).filter((other) => other.id !== id);
      if (rest.length) shown.set(words, rest);
      else shown.delete(words);
      notify();
    };
    // Registered once per words; its part hiding or showing changes it in place (below), keeping its order.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [words, id]);
  useLayoutEffect(() => {
    const own = shown.get(words)?.find((other) => other.id === id);
    if (own && own.hidden !== hidden) {
      own.hidden = hidden;
      notify();
    }
  }, [words, id, hidden]);
  // Before its layout effect has run (the first render), a notice counts as the latest.
  return useSyncExternalStore(subscribe, () => {
    const notices = shown.get(words);
    if (hidden || !notices?.some((other) => other.id === id)) return !hidden;
    return notices.filter((other) => !other.hidden).at(-1)?.id === id;
  });
}

/**
 * An error in plain words, in the active language, under a title that says what failed. In Teams,
 * a missing Graph consent also offers to open the consent popup again, and says that an
 * administrator has to consent, with the link to send them. `text`, when given, is said in place
 * of the error's own words (a feature that knows better what the error means there). `onRetry`,
 * when given, offers Try again: a read that failed (the EHR busy) is asked for again without the
 * user having to change what they asked. A notice that says exactly what another on screen says
 * shows once (see `shown`).
 */
export function ErrorNotice({ error, title, text, onRetry }: { error: unknown; title?: string; text?: string; onRetry?: () => void }) {
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
      {needsConsent ? (
        <MessageBarActions>
          <Button disabled={consent.asking} onClick={consent.retry}>
            {t('app.retry')}
          </Button>
        </MessageBarActions>
      ) : (
        onRetry && (
          <MessageBarActions>
            <Button onClick={onRetry}>{t('app.retry')}</Button>
          </MessageBarActions>
        )
      )}
    </MessageBar>
  );
}
