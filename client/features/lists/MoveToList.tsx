import { Suspense, lazy } from 'react';
import type { ListSummary } from './api/read-list-answers';
import { MoveButton } from './MoveButton';

// Fluent's menu (about 9 kB gzip) is not in the tab's first download: it is fetched when a list
// with somewhere to move its patients first shows, and the same button stands in meanwhile.
const MoveMenu = lazy(() =>
  import('./MoveMenu').then(
    (m) => ({ default: m.MoveMenu }),
    // Not fetched (the network dropped): Move stays unavailable until the tab is reloaded.
    () => ({ default: ({ name }: { name: string }) => <MoveButton name={name} disabled /> }),
  ),
);

/** Move NAME to another of the team's lists. */
export function MoveToList(props: { name: string; others: ListSummary[]; onMove: (toListId: string) => void }) {
  return (
    <Suspense fallback={<MoveButton name={props.name} />}>
      <MoveMenu {...props} />
    </Suspense>
  );
}
