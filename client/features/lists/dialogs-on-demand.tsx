import { Suspense, type ComponentType } from 'react';
import { onDemand } from '../../shared/components/OnDemand';
import { loadScreenWords } from '../../shared/i18n/t';

// Fluent's Dialog, with its motion, focus trap and portal, is about 30 kB gzip of what the tab
// would otherwise load before it shows anything. The dialogs' chunk is asked for when the lists
// first render, together with the lists' data, and their buttons show as soon as it is here.
// With the on-demand screens' words, which its notices use (the Undo of a removal), however it is asked for.
let loading: Promise<typeof import('./list-dialogs')> | null = null;
const load = () =>
  (loading ??= Promise.all([import('./list-dialogs'), loadScreenWords()]).then(
    ([m]) => m,
    (error: unknown) => {
      loading = null; // Not fetched (the network dropped): the next render tries again.
      throw error;
    },
  ));

/** The component, rendered as soon as its chunk is here (nothing in its place until then). */
function whenLoaded<P extends object>(pick: (m: Awaited<ReturnType<typeof load>>) => ComponentType<P>): ComponentType<P> {
  const Lazy = onDemand(() => load().then(pick));
  const Loaded = (props: P) => (
    <Suspense fallback={null}>
      <Lazy {...props} />
    </Suspense>
  );
  return Loaded;
}

/** Runs `use` with the lists' on-demand module once it is here (it is, by the time a list shows). */
export const withDialogs = (use: (m: Awaited<ReturnType<typeof load>>) => void) => void load().then(use, () => undefined);

export const ColumnsDialog = whenLoaded((m) => m.ColumnsDialog);
// Says politely when the list was read again, and how many rows the filter shows.
export const ListAnnouncer = whenLoaded((m) => m.ListAnnouncer);
export const ListActions = whenLoaded((m) => m.ListActions);
// The notices of a change a colleague's change refused, and of a list a colleague deleted: only after the lists showed.
export const ListChangeNotice = whenLoaded((m) => m.ListChangeNotice);
export const ListGoneWatch = whenLoaded((m) => m.ListGoneWatch);
// A list holding more patients than it shows (added outside the app) says so.
export const ListLimitNotice = whenLoaded((m) => m.ListLimitNotice);
export const NewListDialog = whenLoaded((m) => m.NewListDialog);
export const RemoveUnavailable = whenLoaded((m) => m.RemoveUnavailable);
