import { FluentProvider, Spinner, makeStaticStyles } from '@fluentui/react-components';
import { QueryClientProvider, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { createQueryClient } from '../shared/api/query-client';
import { ErrorBoundary } from '../shared/components/ErrorBoundary';
import { ErrorNotice } from '../shared/components/ErrorNotice';
import { RateLimitNotice } from '../shared/components/RateLimitNotice';
import { TabToaster } from '../shared/components/TabToaster';
import { loadLocale, t } from '../shared/i18n/t';
import { SessionProvider } from '../shared/session';
import { connectToTeams, themeOf, type TeamsHost, type TeamsTheme } from '../shared/teams/teams-host';
import { DevSignIn } from './DevSignIn';
import { devInfoQuery, devSession, saveChoice, savedChoice, type DevChoice } from './dev-session';
import { TeamsShell } from './TeamsShell';
import { TeamTab } from './TeamTab';
import { loadTheme, useTheme } from './themes';

const queryClient = createQueryClient();
// The tab fills its frame edge to edge (no browser margin around the header's rule).
const useGlobalStyles = makeStaticStyles({ body: { margin: 0 } });

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
          {host === undefined ? <Spinner label={t('app.loading')} /> : host ? <TeamsShell host={host} /> : <DevShell />}
        </ErrorBoundary>
        <RateLimitNotice />
        <TabToaster />
      </QueryClientProvider>
    </FluentProvider>
  );
}

/** Outside Teams: dev mode, with the dev directory's sign-in. */
function DevShell() {
  const [choice, setChoice] = useState<DevChoice | null>(savedChoice);
  const info = useQuery(devInfoQuery());
  const session = useMemo(() => (info.data && choice ? devSession(info.data, choice) : null), [info.data, choice]);
  if (info.isPending) return <Spinner label={t('app.loading')} />;
  if (info.isError)
    return (
      <main>
        <ErrorNotice error={info.error} />
      </main>
    );
  if (!session) {
    return (
      <DevSignIn
        info={info.data}
        onChoose={(c) => {
          saveChoice(c);
          setChoice(c);
        }}
      />
    );
  }
  return (
    <SessionProvider session={session} key={`${session.userId}/${session.teamId}`}>
      <TeamTab
        onSwitchUser={() => {
          saveChoice(null);
          queryClient.clear();
          setChoice(null);
        }}
      />
    </SessionProvider>
  );
}
