import { Button, useId } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import { errorText } from '../../shared/error-text';
import { t } from '../../shared/i18n/t';
import { dismissNotice, showNotice } from '../../shared/components/TabToaster';

/** How long a removal can be undone. */
export const UNDO_MS = 10_000;
/** How long "NAME is back on LIST" shows. */
const RESTORED_MS = 3_000;

/**
 * The Undo of "Removed NAME from LIST". Focus moves to it, so that a removal made from the
 * keyboard (Enter on Remove) can be taken back at once with Enter again.
 */
function UndoButton({ name, list, onUndo }: { name: string; list: string; onUndo: () => void }) {
  const undo = useRef<HTMLButtonElement>(null);
  useEffect(() => undo.current?.focus(), []);
  return (
    <Button ref={undo} size="small" aria-label={t('lists.undoLabel', { name, list })} onClick={onUndo}>
      {t('lists.undo')}
    </Button>
  );
}

/** Tells that a patient was taken off a list and offers Undo (`restore` puts them back) for ten seconds; then says how the Undo went. */
export function useRemovedNotice() {
  const baseId = useId('removed');
  return ({ name, list, restore }: { name: string; list: string; restore: () => Promise<unknown> }) => {
    const id = `${baseId}-${Date.now()}`;
    const onUndo = () => {
      dismissNotice(id);
      restore().then(
        () => showNotice({ id, intent: 'success', text: t('lists.restored', { name, list }), timeout: RESTORED_MS }),
        (error: unknown) =>
          showNotice({ id, intent: 'error', text: `${t('lists.undoFailed', { name, list })} ${errorText(error)}`, timeout: 3 * UNDO_MS }),
      );
    };
    showNotice({
      id,
      intent: 'info',
      text: t('lists.removed', { name, list }),
      action: <UndoButton name={name} list={list} onUndo={onUndo} />,
      timeout: UNDO_MS,
    });
  };
}
