import { FluentProvider, Spinner, makeStaticStyles, teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme } from '@fluentui/react-components';
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

const queryClient = createQueryClient();
const themes = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };
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
        // The host's language may not be the browser's: its catalog is fetched before the tab shows.
        await loadLocale(found.context.app.locale);
        setTheme(themeOf(found.context.app.theme));
        found.onThemeChange(setTheme);
      }
      setHost(found);
    });
  }, []);
  return (
    <FluentProvider theme={themes[theme]} style={{ minHeight: '100vh' }}>
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
