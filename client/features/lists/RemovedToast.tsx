import { t } from '../../shared/i18n/t';
import { withDialogs } from './dialogs-on-demand';

// The notice itself, with its Undo, comes with the lists' dialogs (undo-notice.tsx), fetched as the lists first show.

/** Tells that a patient was taken off a list and offers Undo (`restore` puts them back) for ten seconds; then says how the Undo went. */
export function useRemovedNotice() {
  return ({ name, list, restore }: { name: string; list: string; restore: () => Promise<unknown> }) =>
    withDialogs((m) =>
      m.showUndoNotice(
        {
          done: t('lists.removed', { name, list }),
          undoLabel: t('lists.undoLabel', { name, list }),
          restored: t('lists.restored', { name, list }),
          failed: t('lists.undoFailed', { name, list }),
        },
        restore,
        m.rowButton(name),
      ),
    );
}
