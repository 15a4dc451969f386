import { FluentProvider, Spinner, makeStaticStyles } from '@fluentui/react-components';
import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { createQueryClient } from '../shared/api/query-client';
import { ErrorBoundary } from '../shared/components/ErrorBoundary';
import { OnDemandSlot, onDemand } from '../shared/components/OnDemand';
import { RateLimitNotice } from '../shared/components/RateLimitNotice';
import { TabToaster } from '../shared/components/TabToaster';
import { loadLocale, t } from '../shared/i18n/t';
import { connectToTeams, themeOf, type TeamsHost, type TeamsTheme } from '../shared/teams/teams-host';
import { TeamsShell } from './TeamsShell';
import { loadTheme, useTheme } from './themes';

const queryClient = createQueryClient();
// Outside Teams only (dev mode): the dev directory's sign-in, never part of a load in Teams.
const DevShell = onDemand(() => import('./DevShell').then((m) => m.DevShell));
// The tab fills its frame edge to edge (no browser margin around the header's rule). A notice's
// words break anywhere: a list or patient name with no space in it would push the notice's text and
// its action (Undo) off a narrow screen.
const useGlobalStyles = makeStaticStyles({ body: { margin: 0 }, '.fui-MessageBarBody': { overflowWrap: 'anywhere' } });

/** Finds the Teams host (or its absence) first, then renders the tab in Teams or standalone. */
export function App() {
  useGlobalStyles();
  const [host, setHost] = useState<TeamsHost | null | undefined>(undefined);
  const [theme, setTheme] = useState<TeamsTheme>(themeOf(new URLSearchParams(location.search).get('theme') ?? undefined));
  useEffect(() => {
    void connectToTeams().then(async (found) => {
      if (found) {
        // The host's language and theme may not be the browser's: they are fetched before the tab shows.
        const hostTheme = themeOf(found.context.app.theme);
        await Promise.all([loadLocale(found.context.app.locale), loadTheme(hostTheme)]);
        setTheme(hostTheme);
        found.onThemeChange(setTheme);
      }
      setHost(found);
    });
  }, []);
  const tokens = useTheme(theme);
  if (!tokens) return null;
  return (
    <FluentProvider theme={tokens} style={{ minHeight: '100vh' }}>
      <QueryClientProvider client={queryClient}>
        <ErrorBoundary onReset={() => queryClient.resetQueries()}>
          {host === undefined ? (
            <Spinner label={t('app.loading')} />
          ) : host ? (
            <TeamsShell host={host} />
          ) : (
            <OnDemandSlot>
              <DevShell />
            </OnDemandSlot>
          )}
        </ErrorBoundary>
        <RateLimitNotice />
        <TabToaster />
      </QueryClientProvider>
    </FluentProvider>
  );
}
