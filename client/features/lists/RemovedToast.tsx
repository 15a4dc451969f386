import { Button, Toast, ToastTitle, useId } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import { errorText } from '../../shared/error-text';
import { t } from '../../shared/i18n/t';
import { useTabToasts } from '../../shared/components/TabToaster';

/** How long a removal can be undone. */
export const UNDO_MS = 10_000;

/**
 * "Removed NAME from LIST" with Undo, for ten seconds. Focus moves to Undo, so that a removal
 * made from the keyboard (Enter on Remove) can be taken back at once with Enter again.
 */
function RemovedToast({ name, list, onUndo }: { name: string; list: string; onUndo: () => void }) {
  const undo = useRef<HTMLButtonElement>(null);
  useEffect(() => undo.current?.focus(), []);
  return (
    <Toast>
      <ToastTitle
        action={
          <Button ref={undo} size="small" aria-label={t('lists.undoLabel', { name, list })} onClick={onUndo}>
            {t('lists.undo')}
          </Button>
        }
      >
        {t('lists.removed', { name, list })}
      </ToastTitle>
    </Toast>
  );
}

/** Tells that a patient was taken off a list and offers Undo (`restore` puts them back); then says how the Undo went. */
export function useRemovedNotice() {
  const { dispatchToast, dismissToast } = useTabToasts();
  const baseId = useId('removed');
  return ({ name, list, restore }: { name: string; list: string; restore: () => Promise<unknown> }) => {
    const toastId = `${baseId}-${Date.now()}`;
    const onUndo = () => {
      dismissToast(toastId);
      restore().then(
        () =>
          dispatchToast(
            <Toast>
              <ToastTitle>{t('lists.restored', { name, list })}</ToastTitle>
            </Toast>,
            { intent: 'success' },
          ),
        (error: unknown) =>
          dispatchToast(
            <Toast>
              <ToastTitle>{`${t('lists.undoFailed', { name, list })} ${errorText(error)}`}</ToastTitle>
            </Toast>,
            { intent: 'error', timeout: 3 * UNDO_MS },
          ),
      );
    };
    dispatchToast(<RemovedToast name={name} list={list} onUndo={onUndo} />, { toastId, intent: 'info', timeout: UNDO_MS });
  };
}
