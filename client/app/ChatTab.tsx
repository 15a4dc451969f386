import { Spinner, Text, Title3 } from '@fluentui/react-components';
import type { app } from '@microsoft/teams-js';
import { useEffect, useMemo, useState } from 'react';
import { TeamPicker } from '../features/teams/TeamPicker';
import type { Api } from '../shared/api/api-client';
import { useMyTeams } from '../features/teams/api/get-my-teams';
import { ErrorNotice } from '../shared/components/ErrorNotice';
import { t } from '../shared/i18n/t';
import { SessionProvider } from '../shared/session';
import { tabConfig } from '../shared/teams/teams-host';
import { teamsSession } from './teams-session';
import { TeamTab } from './TeamTab';

/**
 * A group chat has no team and no SharePoint site, so the person adding the tab chooses one of
 * their teams; Save stores it in the tab's entity id.
 */
export function ChatConfigPage({ api }: { api: Api }) {
  const teams = useMyTeams(api);
  const [chosen, setChosen] = useState<string | null>(null);
  useEffect(() => {
    if (chosen) tabConfig.onSave(chosen);
    tabConfig.setValid(chosen !== null);
  }, [chosen]);
  return (
    <main style={{ padding: '16px 24px', display: 'flex', flexDirection: 'column', gap: '12px', maxWidth: '560px' }}>
      <Title3 as="h1">{t('teams.chatConfigTitle')}</Title3>
      <Text block>{t('teams.chatConfigIntro')}</Text>
      {teams.isPending && <Spinner label={t('app.loading')} />}
      {teams.isError && <ErrorNotice error={teams.error} />}
      {teams.data && <TeamPicker teams={teams.data} selectedId={chosen} onChoose={(team) => setChosen(team.id)} />}
    </main>
  );
}

/**
 * The tab in a group chat: the lists of the team it was saved with. The server checks every call,
 * so a chat member outside that team sees the plain "not a member" error.
 */
export function ChatTab({ context, api, teamId }: { context: app.Context; api: Api; teamId: string }) {
  const teams = useMyTeams(api);
  const team = teams.data?.find((tm) => tm.id === teamId);
  const session = useMemo(
    () => teamsSession(context, api, { id: teamId, name: team?.name ?? '', isOwner: team?.role === 'owner' }),
    [context, api, teamId, team],
  );
  if (teams.isPending) return <Spinner label={t('app.loading')} />;
  if (teams.isError)
    return (
      <main style={{ padding: 24 }}>
        <ErrorNotice error={teams.error} />
      </main>
    );
  return (
    <SessionProvider session={session}>
      <TeamTab />
    </SessionProvider>
  );
}
