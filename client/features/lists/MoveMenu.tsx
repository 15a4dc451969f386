import { Menu, MenuItem, MenuList, MenuPopover, MenuTrigger } from '@fluentui/react-components';
import { t } from '../../shared/i18n/t';
import type { ListSummary } from './api/read-list-answers';
import { MoveButton } from './MoveButton';

/** Move: a menu of the team's other lists (fetched on demand, see MoveToList). */
export function MoveMenu({ name, others, onMove }: { name: string; others: ListSummary[]; onMove: (to: ListSummary) => void }) {
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>
        <MoveButton name={name} />
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {others.map((o) => (
            <MenuItem key={o.id} onClick={() => onMove(o)}>
              {t('lists.moveTo', { list: o.name })}
            </MenuItem>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
