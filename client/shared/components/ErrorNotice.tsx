import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { ApiError } from '../api/api-client';
import { errorText } from '../error-text';
import { t } from '../i18n/t';
import { Suspense } from 'react';
import { useConsentRetry } from '../teams/consent-context';
import { onDemand } from './OnDemand';

// Shown only when Graph consent is missing, and it reads its answer with the contract's zod schema:
// fetched then, so the tab's first download carries no zod (test/unit/client/initial-bundle.test.ts).
const AdminConsentNote = onDemand(() => import('../teams/AdminConsentNote').then((m) => m.AdminConsentNote));

/**
 * An error in plain words, in the active language, under a title that says what failed. In Teams,
 * a missing Graph consent also offers to open the consent popup again, and says that an
 * administrator has to consent, with the link to send them. `text`, when given, is said in place
 * of the error's own words (a feature that knows better what the error means there).
 */
export function ErrorNotice({ error, title, text }: { error: unknown; title?: string; text?: string }) {
  const consent = useConsentRetry();
  const needsConsent = consent && error instanceof ApiError && error.code === 'consent_required';
  return (
    <MessageBar intent="error" role="alert" layout={needsConsent ? 'multiline' : 'auto'}>
      <MessageBarBody>
        <MessageBarTitle>{needsConsent ? t('consent.title') : (title ?? t('app.error'))}</MessageBarTitle>
        {text ?? errorText(error)}
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
