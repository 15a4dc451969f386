// The tab's one polite live region: every short announcement (a list read again, how many rows a
// filter shows, a note saved) goes through it, so a screen reader hears each once and in turn.
// Not in the tab's first download: the screens that announce fetch it with themselves.

const REGION_ID = 'tab-live-region';

/** The region, made once and kept at the end of the page (in place before the first announcement). */
function liveRegion(): HTMLElement | null {
  if (typeof document === 'undefined') return null;
  let region = document.getElementById(REGION_ID);
  if (!region) {
    region = document.createElement('div');
    region.id = REGION_ID;
    region.setAttribute('role', 'status');
    region.setAttribute('aria-live', 'polite');
    region.setAttribute('aria-atomic', 'true');
    // An open dialog or drawer hides the rest of the page from screen readers (aria-hidden), this
    // region too, so what it says from inside one ("Note saved") would never be heard. Fluent's
    // tabster leaves an element with this attribute alone (useDangerousNeverHidden_unstable).
    region.setAttribute('data-tabster-never-hide', '');
    // Visually hidden, still read.
    region.style.cssText =
      'position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0';
    document.body.append(region);
  }
  return region;
}
liveRegion();

let pending: ReturnType<typeof setTimeout> | undefined;

/** Says `text` politely. Emptied first, so the same words said again are heard again. */
export function announce(text: string): void {
  const region = liveRegion();
  if (!region) return;
  clearTimeout(pending);
  region.textContent = '';
  pending = setTimeout(() => (region.textContent = text), 100);
}
