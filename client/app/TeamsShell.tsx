import { MessageBar, MessageBarBody, Text } from '@fluentui/react-components';
import { useMemo } from 'react';
import { SetupPanel } from '../features/setup/SetupPanel';
import { createApi } from '../shared/api/api-client';
import { t } from '../shared/i18n/t';
import { SessionProvider, type Session } from '../shared/session';
import { tabConfig, type TeamsHost } from '../shared/teams/teams-host';
import { currentRoute } from './route';
import { TeamTab } from './TeamTab';

/** Inside Teams: the team and user come from the host, every API call carries the SSO token. */
export function TeamsShell({ host }: { host: TeamsHost }) {
  const { context } = host;
  const teamId = context.team?.groupId;
  const session = useMemo<Session | null>(
    () =>
      teamId
        ? {
            userId: context.user?.id ?? '',
            userName: context.user?.displayName ?? context.user?.userPrincipalName ?? '',
            tenantName: '',
            teamId,
            teamName: context.team?.displayName ?? '',
            // A hint for the UI only: the server checks ownership on every settings change.
            isOwner: context.team?.userRole === 0,
            api: createApi(host.getToken),
          }
        : null,
    [context, host, teamId],
  );
  if (!session) {
    return (
      <main style={{ padding: 24 }}>
        <MessageBar intent="info"><MessageBarBody>{t('teams.noTeam')}</MessageBarBody></MessageBar>
      </main>
    );
  }
  const configuring = context.page.frameContext === 'settings' || currentRoute() === 'config';
  return (
    <SessionProvider session={session}>
      {configuring ? <ConfigPage teamId={session.teamId} /> : <TeamTab />}
    </SessionProvider>
  );
}

/** The Teams configuration page: Save stays disabled until the connection is stored. */
function ConfigPage({ teamId }: { teamId: string }) {
  useMemo(() => {
    tabConfig.setValid(false);
    tabConfig.onSave(teamId);
  }, [teamId]);
  return (
    <main style={{ padding: '16px 24px' }}>
      <Text block style={{ marginBottom: '16px' }}>{t('teams.configIntro')}</Text>
      <SetupPanel current={{ mode: 'unset' }} onSaved={() => tabConfig.setValid(true)} />
    </main>
  );
}
