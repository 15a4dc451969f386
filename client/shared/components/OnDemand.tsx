import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner } from '@fluentui/react-components';
import { Suspense, lazy, type ComponentType, type ReactNode } from 'react';
import { loadScreenWords, t } from '../i18n/t';

/**
 * A screen fetched when it is first shown, not in the tab's first download (budget: 200 kB gzip),
 * together with the English words of such screens (`loadScreenWords`). If either cannot be fetched
 * (the network dropped), it shows a notice in its place whose Try again reloads the tab: the browser keeps a failed module fetch for the page's lifetime. A screen
 * that fails while rendering still reaches the error boundary around it, as before.
 */
export function onDemand<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  return lazy(() =>
    Promise.all([load(), loadScreenWords()]).then(
      ([component]) => ({ default: component }),
      () => ({ default: NotDownloaded as ComponentType<P> }),
    ),
  );
}

function NotDownloaded() {
  return (
    <MessageBar intent="error" role="alert" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{t('app.error')}</MessageBarTitle>
        {t('app.notDownloaded')}
      </MessageBarBody>
      <MessageBarActions>
        <Button onClick={() => window.location.reload()}>{t('app.retry')}</Button>
      </MessageBarActions>
    </MessageBar>
  );
}

/** Where an on-demand screen shows: a small spinner while its chunk is fetched. */
export function OnDemandSlot({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Spinner size="tiny" label={t('app.loading')} />}>{children}</Suspense>;
}
