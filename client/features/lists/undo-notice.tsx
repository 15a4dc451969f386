import { Button } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import { t } from '../../shared/i18n/t';
import { dismissNotice, showNotice } from '../../shared/components/TabToaster';
import { listChangeText } from '../../shared/list-change';
import { focusWhenLost } from '../../shared/focus-when-lost';
import { listPicker, rowButton } from './focus-after';
import { UNDO_MS } from './undo-time';

/** How long "NAME is back on LIST" shows. */
const RESTORED_MS = 3_000;

/**
 * The Undo of "Removed NAME from LIST" or "Moved NAME to LIST". Focus moves to it, so that a change
 * made from the keyboard (Enter on Remove, on a list to move to) can be taken back at once with Enter
 * again. When the notice times out unused with focus on it, focus goes to the list picker, not the
 * page: from there the next Tab would reach another patient's Remove.
 */
function UndoButton({ label, onUndo }: { label: string; onUndo: () => void }) {
  const undo = useRef<HTMLButtonElement>(null);
  const used = useRef(false);
  // Whether this Undo had focus when its notice went: only then has focus been lost, and moves. A
  // notice going while the user is on another (the Undo of an earlier change) leaves focus there.
  const focused = useRef(false);
  useEffect(() => (undo.current?.focus(), () => void (used.current || !focused.current || focusWhenLost(listPicker))), []);
  return (
    <Button
      ref={undo}
      size="small"
      aria-label={label}
      onFocus={() => (focused.current = true)}
      onBlur={() => (focused.current = false)}
      onClick={() => ((used.current = true), onUndo())}
    >
      {t('lists.undo')}
    </Button>
  );
}

/** The words of one change's notice: what was done, the Undo's label, and how the Undo went. */
export interface UndoWords {
  done: string;
  undoLabel: string;
  restored: string;
  failed: string;
}

let shown = 0;

/**
 * Shows that patients were taken off a list (or moved) and offers Undo (`restore` takes the change
 * back) for ten seconds; then says how the Undo went. Focus, which was on Undo, goes to what
 * `back` finds once it is there again (the patient's row), not to the page.
 */
export function showUndoNotice(words: UndoWords, restore: () => Promise<unknown>, back?: () => HTMLElement | null | undefined): void {
  const id = `undo-notice-${++shown}`;
  const onUndo = () => {
    if (back) focusWhenLost(back, UNDO_MS);
    dismissNotice(id);
    restore().then(
      () => showNotice({ id, intent: 'success', text: words.restored, timeout: RESTORED_MS }),
      (error: unknown) => showNotice({ id, intent: 'error', text: `${words.failed} ${listChangeText(error)}`, timeout: 3 * UNDO_MS }),
    );
  };
  showNotice({ id, intent: 'info', text: words.done, action: <UndoButton label={words.undoLabel} onUndo={onUndo} />, timeout: UNDO_MS });
}

/** "Moved NAME to LIST", with Undo (`back` moves the patient back to the list `from`). */
export function notifyMoved({ name, from, to }: { name: string; from: string; to: string }, back: () => Promise<unknown>): void {
  showUndoNotice(
    {
      done: t('lists.moved', { name, list: to }),
      undoLabel: t('lists.undoMoveLabel', { name, list: from }),
      restored: t('lists.restored', { name, list: from }),
      failed: t('lists.undoMoveFailed', { name, list: from }),
    },
    back,
    rowButton(name),
  );
}

/**
 * "Removed N patients from LIST", with Undo (`restore` puts them all back), for several patients
 * taken off in one step; after Undo, focus goes to what `back` finds (the button that took them off, back with the rows).
 */
export function useRemovedManyNotice() {
  return ({ count, list, restore, back }: { count: number; list: string; restore: () => Promise<unknown>; back?: () => HTMLElement | null }) =>
    showUndoNotice(
      {
        done: t('lists.removedMany', { count, list }),
        undoLabel: t('lists.undoManyLabel', { count, list }),
        restored: t('lists.restoredMany', { count, list }),
        failed: t('lists.undoManyFailed', { count, list }),
      },
      restore,
      back,
    );
}
