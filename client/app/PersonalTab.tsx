import { Spinner, Text, Title2, Title3, makeStyles, tokens } from '@fluentui/react-components';
import type { app } from '@microsoft/teams-js';
import { useMemo, useState } from 'react';
import { TeamPicker } from '../features/teams/TeamPicker';
import { TeamSwitcher } from '../features/teams/TeamSwitcher';
import type { Api } from '../shared/api/api-client';
import { useMyTeams, type MyTeam } from '../features/teams/api/get-my-teams';
import { ErrorNotice } from '../shared/components/ErrorNotice';
import { t } from '../shared/i18n/t';
import { SessionProvider } from '../shared/session';
import { rememberTeam, rememberedTeam } from './team-choice';
import { teamsSession } from './teams-session';
import { TeamTab } from './TeamTab';

const useStyles = makeStyles({
  header: { padding: '12px 24px', borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, backgroundColor: tokens.colorNeutralBackground1 },
  main: { padding: '16px 24px', backgroundColor: tokens.colorNeutralBackground2, minHeight: 'calc(100vh - 60px)', boxSizing: 'border-box' },
  card: {
    maxWidth: '560px',
    display: 'flex',
    flexDirection: 'column',
    gap: '12px',
    padding: '16px 20px',
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
  },
});

/**
 * The personal tab ("My patients"): the user picks one of their teams, then works with its lists
 * as in the channel tab. The choice is remembered in this browser and can be switched in the header.
 */
export function PersonalTab({ context, api }: { context: app.Context; api: Api }) {
  const teams = useMyTeams(api);
  const tenantId = context.user?.tenant?.id ?? '';
  const userId = context.user?.id ?? '';
  const [chosenId, setChosenId] = useState(() => rememberedTeam(tenantId, userId));
  const choose = (team: MyTeam) => {
    rememberTeam(tenantId, userId, team.id);
    setChosenId(team.id);
  };
  const team = teams.data?.find((tm) => tm.id === chosenId);
  const session = useMemo(
    () => (team ? teamsSession(context, api, { id: team.id, name: team.name, isOwner: team.role === 'owner' }) : null),
    [context, api, team],
  );
  if (session && teams.data) {
    return (
      <SessionProvider session={session} key={session.teamId}>
        <TeamTab teamSwitcher={<TeamSwitcher teams={teams.data} currentId={session.teamId} onSwitch={choose} />} />
      </SessionProvider>
    );
  }
  return <ChooseTeam teams={teams.data} pending={teams.isPending} error={teams.isError ? teams.error : null} onChoose={choose} />;
}

function ChooseTeam({ teams, pending, error, onChoose }: { teams?: MyTeam[]; pending: boolean; error: unknown; onChoose: (team: MyTeam) => void }) {
  const styles = useStyles();
  return (
    <>
      <header className={styles.header}>
        <Title3 as="p">{t('app.title')}</Title3>
      </header>
      <main className={styles.main}>
        <section className={styles.card}>
          <Title2 as="h1">{t('teams.chooseTitle')}</Title2>
          <Text>{t('teams.chooseIntro')}</Text>
          {pending && <Spinner label={t('app.loading')} />}
          {error !== null && <ErrorNotice error={error} />}
          {teams && <TeamPicker teams={teams} onChoose={onChoose} />}
        </section>
      </main>
    </>
  );
}
