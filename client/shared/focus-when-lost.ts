// Where focus goes after a change that takes away the element that had it (a dialog closing over a
// control that was drawn anew, an Undo notice going away, a list deleted, a note corrected while
// the details are read again): without this, focus falls to the page and a keyboard or screen
// reader user loses their place.

const dialogOf = (el: Element) => el.closest('[role="dialog"],[role="alertdialog"]');

/**
 * Once focus is lost (on the page itself, or on an element no longer there), gives it to what
 * `find` finds, as soon as that is on the page, for up to `ms`. While focus is still where it was
 * when called, in a dialog closing, or on the target, this keeps watching; focus the user moved
 * anywhere else is left there.
 */
export function focusWhenLost(find: () => HTMLElement | null | undefined, ms = 4000): void {
  const from = document.activeElement;
  const until = Date.now() + ms;
  // Only a dialog already open is one closing: a dialog the user opens since is somewhere else they went.
  const closing = new Set(document.querySelectorAll('[role="dialog"],[role="alertdialog"]'));
  const inClosingDialog = (el: Element) => {
    const dialog = dialogOf(el);
    return dialog !== null && closing.has(dialog);
  };
  const step = () => {
    const active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) {
      const target = find();
      if (target?.isConnected) target.focus();
    } else if (active !== from && !inClosingDialog(active) && active !== find()) return;
    if (Date.now() < until) setTimeout(step, 50);
  };
  setTimeout(step, 0);
}
