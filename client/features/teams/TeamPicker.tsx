import { Button, MessageBar, MessageBarBody, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { CheckmarkCircleRegular, PeopleTeamRegular } from '@fluentui/react-icons';
import type { MyTeam } from './api/get-my-teams';
import { t } from '../../shared/i18n/t';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '8px' },
  team: { width: '100%', justifyContent: 'flex-start', padding: '12px 16px', textAlign: 'start' },
  text: { display: 'flex', flexDirection: 'column', gap: '2px' },
  name: { fontWeight: tokens.fontWeightSemibold },
  mode: { fontWeight: tokens.fontWeightRegular },
  // The selected team's button is filled with the brand colour: its text keeps the button's own colour.
  modeQuiet: { color: tokens.colorNeutralForeground2 },
});

/** How a team is set up, in words. */
export function modeText(team: MyTeam): string {
  return t(team.mode === 'ehr' ? 'teams.mode.ehr' : team.mode === 'manual' ? 'teams.mode.manual' : 'teams.mode.unset');
}

/** The user's teams as a list to pick one from; teams not set up yet are marked as such. */
export function TeamPicker({ teams, selectedId, onChoose }: { teams: MyTeam[]; selectedId?: string | null; onChoose: (team: MyTeam) => void }) {
  const styles = useStyles();
  if (teams.length === 0) {
    return (
      <MessageBar intent="info" role="status">
        <MessageBarBody>{t('teams.none')}</MessageBarBody>
      </MessageBar>
    );
  }
  return (
    <ul className={styles.list} aria-label={t('teams.listLabel')}>
      {teams.map((team) => {
        const selected = team.id === selectedId;
        return (
          <li key={team.id}>
            <Button
              className={styles.team}
              appearance={selected ? 'primary' : 'secondary'}
              aria-pressed={selectedId === undefined ? undefined : selected}
              icon={selected ? <CheckmarkCircleRegular /> : <PeopleTeamRegular />}
              onClick={() => onChoose(team)}
            >
              <span className={styles.text}>
                <span className={styles.name}>{team.name}</span>
                <span className={mergeClasses(styles.mode, !selected && styles.modeQuiet)}>{modeText(team)}</span>
              </span>
            </Button>
          </li>
        );
      })}
    </ul>
  );
}
