import { Button, useId } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import { t } from '../../shared/i18n/t';
import { dismissNotice, showNotice } from '../../shared/components/TabToaster';
import { listChangeText } from '../../shared/list-change';

/** How long a removal can be undone. */
export const UNDO_MS = 10_000;
/** How long "NAME is back on LIST" shows. */
const RESTORED_MS = 3_000;

/**
 * The Undo of "Removed NAME from LIST". Focus moves to it, so that a removal made from the
 * keyboard (Enter on Remove) can be taken back at once with Enter again.
 */
function UndoButton({ label, onUndo }: { label: string; onUndo: () => void }) {
  const undo = useRef<HTMLButtonElement>(null);
  useEffect(() => undo.current?.focus(), []);
  return (
    <Button ref={undo} size="small" aria-label={label} onClick={onUndo}>
      {t('lists.undo')}
    </Button>
  );
}

/** The words of one removal's notice: what was removed, the Undo's label, and how the Undo went. */
interface RemovalWords {
  removed: string;
  undoLabel: string;
  restored: string;
  failed: string;
}

/** Shows that patients were taken off a list and offers Undo (`restore` puts them back) for ten seconds; then says how the Undo went. */
function useRemovalNotice() {
  const baseId = useId('removed');
  return (words: RemovalWords, restore: () => Promise<unknown>) => {
    const id = `${baseId}-${Date.now()}`;
    const onUndo = () => {
      dismissNotice(id);
      restore().then(
        () => showNotice({ id, intent: 'success', text: words.restored, timeout: RESTORED_MS }),
        (error: unknown) => showNotice({ id, intent: 'error', text: `${words.failed} ${listChangeText(error)}`, timeout: 3 * UNDO_MS }),
      );
    };
    showNotice({ id, intent: 'info', text: words.removed, action: <UndoButton label={words.undoLabel} onUndo={onUndo} />, timeout: UNDO_MS });
  };
}

/** Tells that a patient was taken off a list and offers Undo (`restore` puts them back) for ten seconds; then says how the Undo went. */
export function useRemovedNotice() {
  const notify = useRemovalNotice();
  return ({ name, list, restore }: { name: string; list: string; restore: () => Promise<unknown> }) =>
    notify(
      {
        removed: t('lists.removed', { name, list }),
        undoLabel: t('lists.undoLabel', { name, list }),
        restored: t('lists.restored', { name, list }),
        failed: t('lists.undoFailed', { name, list }),
      },
      restore,
    );
}

/** The same for several patients taken off a list in one step (`restore` puts them all back). */
export function useRemovedManyNotice() {
  const notify = useRemovalNotice();
  return ({ count, list, restore }: { count: number; list: string; restore: () => Promise<unknown> }) =>
    notify(
      {
        removed: t('lists.removedMany', { count, list }),
        undoLabel: t('lists.undoManyLabel', { count, list }),
        restored: t('lists.restoredMany', { count, list }),
        failed: t('lists.undoManyFailed', { count, list }),
      },
      restore,
    );
}
