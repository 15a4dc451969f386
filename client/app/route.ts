/** The tab's hash routes: `#/tab` (the default) and `#/config` (the Teams configuration page). */
export type Route = 'tab' | 'config';

export function currentRoute(hash = window.location.hash): Route {
  return hash.startsWith('#/config') ? 'config' : 'tab';
}

/** Makes the default route explicit in the address, without adding a history entry. */
export function normalizeRoute(): void {
  if (!window.location.hash || window.location.hash === '#' || window.location.hash === '#/') {
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/tab`);
  }
}
