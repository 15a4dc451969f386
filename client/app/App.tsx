import { FluentProvider, Spinner, teamsLightTheme } from '@fluentui/react-components';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { DevInfo } from '../shared/api/types';
import { ErrorNotice } from '../shared/components/ErrorNotice';
import { t } from '../shared/i18n/t';
import { SessionProvider } from '../shared/session';
import { DevSignIn } from './DevSignIn';
import { devSession, saveChoice, savedChoice, type DevChoice } from './dev-session';
import { TeamTab } from './TeamTab';

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

export function App() {
  return (
    <FluentProvider theme={teamsLightTheme} style={{ minHeight: '100vh' }}>
      <QueryClientProvider client={queryClient}>
        <DevShell />
      </QueryClientProvider>
    </FluentProvider>
  );
}

/** Outside Teams: dev mode starts at once with the dev directory's sign-in. */
function DevShell() {
  const [choice, setChoice] = useState<DevChoice | null>(savedChoice);
  const info = useQuery({
    queryKey: ['dev-info'],
    queryFn: async () => {
      const res = await fetch('/dev/info');
      if (!res.ok) throw new Error('The dev directory is not available: is the server running in dev mode?');
      return (await res.json()) as DevInfo;
    },
  });
  const session = useMemo(() => (info.data && choice ? devSession(info.data, choice) : null), [info.data, choice]);
  if (info.isPending) return <Spinner label={t('app.loading')} />;
  if (info.isError) return <main><ErrorNotice error={info.error} /></main>;
  if (!session) {
    return <DevSignIn info={info.data} onChoose={(c) => { saveChoice(c); setChoice(c); }} />;
  }
  return (
    <SessionProvider session={session} key={`${session.userId}/${session.teamId}`}>
      <TeamTab onSwitchUser={() => { saveChoice(null); queryClient.clear(); setChoice(null); }} />
    </SessionProvider>
  );
}
