import { Select } from '@fluentui/react-components';
import type { MyTeam } from './api/get-my-teams';
import { t } from '../../shared/i18n/t';
import { modeText } from './TeamPicker';

/** The header's choice of team in the personal tab. */
export function TeamSwitcher({ teams, currentId, onSwitch }: { teams: MyTeam[]; currentId: string; onSwitch: (team: MyTeam) => void }) {
  return (
    <Select
      aria-label={t('teams.switch')}
      appearance="underline"
      value={currentId}
      onChange={(_, data) => {
        const team = teams.find((tm) => tm.id === data.value);
        if (team) onSwitch(team);
      }}
    >
      {teams.map((team) => (
        <option key={team.id} value={team.id}>
          {team.mode === 'unset' ? t('teams.optionUnset', { name: team.name, state: modeText(team) }) : team.name}
        </option>
      ))}
    </Select>
  );
}
