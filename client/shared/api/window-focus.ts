import { focusManager } from '@tanstack/react-query';

/**
 * Tells React Query when the tab is back in front of the user, so reads that ask for it
 * (`refetchOnWindowFocus`) are made again. A page shown again fires `visibilitychange` (browser
 * tab, minimised window, Teams on the web). Inside the Teams client the tab's frame may stay
 * visible while the user is in another pane; coming back then focuses the frame, so its `focus`
 * counts too. Calls without a state make React Query look at `document.visibilityState` itself.
 */
export function watchTabFocus(): void {
  if (typeof window === 'undefined' || !window.addEventListener) return;
  focusManager.setEventListener((handleFocus) => {
    const listener = () => handleFocus();
    window.addEventListener('visibilitychange', listener, false);
    window.addEventListener('focus', listener, false);
    return () => {
      window.removeEventListener('visibilitychange', listener);
      window.removeEventListener('focus', listener);
    };
  });
}
