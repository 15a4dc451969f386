import { Spinner } from '@fluentui/react-components';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { ErrorNotice } from '../shared/components/ErrorNotice';
import { t } from '../shared/i18n/t';
import { SessionProvider } from '../shared/session';
import { DevSignIn } from './DevSignIn';
import { devInfoQuery, devSession, saveChoice, savedChoice, type DevChoice } from './dev-session';
import { TeamTab } from './TeamTab';

/** Outside Teams: dev mode, with the dev directory's sign-in. */
export function DevShell() {
  const queryClient = useQueryClient();
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
