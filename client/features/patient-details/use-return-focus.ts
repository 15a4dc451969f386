import { useEffect } from 'react';

/** How long after closing the panel focus may still be on its way out of it (its closing motion). */
const SETTLE_MS = 2000;

const inDialog = (el: Element) => Boolean(el.closest('[role="dialog"]'));

// Kept outside the component: the app mounts the panel afresh for each patient (and on close).
let lastOutside: HTMLElement | null = null;
let openedFrom: HTMLElement | null = null;
let listening = false;

/** The last element focused outside any dialog: what a dialog opened from it returns to. */
function trackFocus() {
  if (listening) return;
  listening = true;
  // The panel is fetched on its first opening, after the link that opened it took focus.
  const active = document.activeElement;
  if (active instanceof HTMLElement && active !== document.body && !inDialog(active)) lastOutside = active;
  document.addEventListener('focusin', (e) => {
    // The panel takes focus as it opens: only what is outside a dialog can have opened it.
    if (e.target instanceof HTMLElement && !inDialog(e.target)) lastOutside = e.target;
  });
}

/**
 * Gives focus back to what opened the details panel (the patient's link in the list) when it
 * closes, by Escape or Close. The panel opens from the list without a DialogTrigger, so Fluent has
 * nothing to return focus to, and focus would fall to the page: once focus has left the closed
 * panel with nowhere to go, the element it was opened from gets it back (if still on the page).
 */
export function useReturnFocus(open: boolean) {
  trackFocus();
  useEffect(() => {
    if (open) {
      openedFrom ??= lastOutside;
      return;
    }
    const target = openedFrom;
    openedFrom = null;
    if (!target) return;
    const until = Date.now() + SETTLE_MS;
    let frame = 0;
    const settle = () => {
      const active = document.activeElement;
      if (!active || active === document.body) {
        if (target.isConnected) target.focus();
        return;
      }
      // Focus went somewhere else outside the panel (the user moved on): leave it there.
      if (!inDialog(active)) return;
      if (Date.now() < until) frame = requestAnimationFrame(settle);
    };
    frame = requestAnimationFrame(settle);
    return () => cancelAnimationFrame(frame);
  }, [open]);
}
