import { GraphAccessError } from './graph-errors.js';

/**
 * Each user's share of the app's SharePoint budget. SharePoint throttles an app per tenant in
 * resource units per minute (1,200 for the smallest tenants; learn.microsoft.com/sharepoint/dev/
 * general-development/how-to-avoid-getting-throttled-or-blocked-in-sharepoint-online), all its
 * users together: without a share, one user's script or bulk work would get every colleague in
 * the tenant throttled. Each store operation is admitted only while its user has spent less than
 * the share in the current minute; a request already admitted runs to its end (a bulk add is
 * never cut half-way), and its units count against the user's next requests.
 */
export interface UnitShare {
  /** Refuses (`throttled`, 429) a new request of a user who spent their share this window; one admitted before passes. */
  admit(user: string, request: string): void;
  /** Counts a request's units against the user. */
  charge(user: string, units: number): void;
}

export function unitShare(options: { unitsPerWindow: number; windowMs?: number }): UnitShare {
  const windowMs = options.windowMs ?? 60_000;
  const spent = new Map<string, { windowEnds: number; units: number; admitted: string[] }>();
  const current = (user: string) => {
    const now = Date.now();
    let entry = spent.get(user);
    if (!entry || entry.windowEnds <= now) {
      if (spent.size > 10_000) for (const [key, e] of spent) if (e.windowEnds <= now) spent.delete(key);
      entry = { windowEnds: now + windowMs, units: 0, admitted: [] };
      spent.set(user, entry);
    }
    return entry;
  };
  return {
    admit(user, request) {
      const entry = current(user);
      if (entry.admitted.includes(request)) return;
      if (entry.units < options.unitsPerWindow) {
        // The user's last few requests, enough for those served at once.
        entry.admitted = [...entry.admitted.slice(-31), request];
        return;
      }
      const seconds = Math.max(1, Math.ceil((entry.windowEnds - Date.now()) / 1000));
      throw new GraphAccessError(
        'throttled',
        `You have made many changes in a short time, and Microsoft 365's limit for this app is shared by your whole organization; try again in ${seconds} seconds.`,
        429,
      );
    },
    charge(user, units) {
      current(user).units += units;
    },
  };
}

/**
 * A Graph request's cost in SharePoint resource units, as documented: 1 for a single-item read,
 * 2 for a query of many items and for a create, update or delete (each request of a `$batch`
 * counts by itself).
 */
export function unitsOf(method: string, path: string): number {
  if (method !== 'GET') return 2;
  const resource = path.split('?')[0];
  return /\/(items|lists|columns|owners|members|joinedTeams)$/.test(resource) ? 2 : 1;
}
