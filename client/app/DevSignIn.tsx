import { Button, Field, Select, Text, Title2, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { t } from '../shared/i18n/t';
import type { DevChoice, DevInfo } from './dev-session';

const useStyles = makeStyles({
  card: {
    maxWidth: '420px',
    margin: '48px auto',
    padding: '24px',
    display: 'flex',
    flexDirection: 'column',
    gap: '16px',
    boxShadow: tokens.shadow8,
    borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorNeutralBackground1,
  },
});

/** Dev mode outside Teams: pick a user of the dev directory and one of their teams. */
export function DevSignIn({ info, onChoose }: { info: DevInfo; onChoose: (choice: DevChoice) => void }) {
  const styles = useStyles();
  const [userId, setUserId] = useState('');
  const [teamId, setTeamId] = useState('');
  const user = info.users.find((u) => u.id === userId);
  const teams = info.tenants.find((tn) => tn.id === user?.tenantId)?.teams.filter((team) => team.members.includes(userId)) ?? [];
  return (
    <main>
      <form
        className={styles.card}
        onSubmit={(e) => {
          e.preventDefault();
          if (userId && teamId) onChoose({ userId, teamId });
        }}
      >
        <Title2 as="h1">{t('signin.title')}</Title2>
        <Text>{t('signin.intro')}</Text>
        <Field label={t('signin.user')}>
          <Select
            value={userId}
            onChange={(_, d) => {
              setUserId(d.value);
              setTeamId('');
            }}
          >
            <option value="">{t('signin.choose')}</option>
            {info.users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({info.tenants.find((tn) => tn.id === u.tenantId)?.name})
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('signin.team')} validationMessage={user && teams.length === 0 ? t('signin.noTeams') : undefined}>
          <Select value={teamId} disabled={!user} onChange={(_, d) => setTeamId(d.value)}>
            <option value="">{t('signin.choose')}</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </Select>
        </Field>
        <Button appearance="primary" type="submit" disabled={!userId || !teamId}>
          {t('signin.continue')}
        </Button>
      </form>
    </main>
  );
}
