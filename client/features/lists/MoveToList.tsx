import { useEffect, useState, type ComponentType } from 'react';
import type { ListSummary } from './api/read-list-answers';
import { MoveButton } from './MoveButton';
import { loadScreenWords } from '../../shared/i18n/t';

type MoveMenuProps = { name: string; others: ListSummary[]; onMove: (to: ListSummary) => void };

// Fluent's menu (about 9 kB gzip) is not in the tab's first download: it is fetched, with the
// on-demand screens' words it uses, when a list with somewhere to move its patients first shows,
// and the same button stands in meanwhile. Held in state rather than React.lazy: rows of the
// virtual table mount and unmount as it scrolls.
let loaded: ComponentType<MoveMenuProps> | null = null;
let loading: Promise<ComponentType<MoveMenuProps>> | null = null;
const loadMoveMenu = () =>
  (loading ??= Promise.all([import('./MoveMenu'), loadScreenWords()]).then(
    ([m]) => (loaded = m.MoveMenu),
    (error: unknown) => {
      loading = null; // Not fetched (the network dropped): the next row to show tries again.
      throw error;
    },
  ));

/** Move NAME to another of the team's lists. */
export function MoveToList(props: MoveMenuProps) {
  const [MoveMenu, setMoveMenu] = useState(() => loaded);
  useEffect(() => {
    if (MoveMenu) return;
    let current = true;
    loadMoveMenu().then(
      (menu) => current && setMoveMenu(() => menu),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [MoveMenu]);
  // Until the menu is here (moments after the list shows), Move is there but cannot be pressed yet.
  return MoveMenu ? <MoveMenu {...props} /> : <MoveButton name={props.name} disabled />;
}
