import { EXPORT_TICKET_TTL_MS } from '../../../contract/exports.js';
import { jsonKind, memoryHeldItems, type HeldItems } from '../../platform/held-items.js';
import { problem } from '../../platform/problem.js';
import type { Caller } from '../../platform/request-context.js';

/** What a download ticket stands for: who asked (and their token, for Graph on their behalf), for which list, in which zone. */
export interface ExportGrant {
  caller: Caller;
  ssoToken?: string;
  teamId: string;
  listId: string;
  timeZone: string;
}

const gone = () => problem('not_found', 'This download link was used already or does not exist. Export the list again from the tab.');
const expired = () => problem('not_found', 'This download link has expired (links last a minute). Export the list again from the tab.');

/**
 * Single-use download tickets: a ticket is redeemed once, within `ttlMs`, for the tenant, user,
 * team and list it was issued for. Held in `store`: this process's memory by default, or a table
 * every instance shares, so a link issued by one instance downloads through another. At most
 * `max` are held per instance; when full (after dropping expired ones) a new one is refused
 * rather than pushing out someone else's.
 */
export function createExportTickets({
  ttlMs = EXPORT_TICKET_TTL_MS,
  max = 5_000,
  now = Date.now,
  store = memoryHeldItems({ now }) as HeldItems,
} = {}) {
  const held = jsonKind<ExportGrant>(store, { name: 'export', ttlMs, max, busy: 'Too many downloads are being prepared.' });
  return {
    async issue(grant: ExportGrant): Promise<{ ticket: string; expiresAt: Date }> {
      return held.put(grant, { owner: grant.caller.tenantId });
    },

    /**
     * The grant of a ticket, which is used up by this call whatever follows; a ticket that is
     * unknown, used, expired, or named with another team or list is refused the same way (404).
     */
    async redeem(ticket: string, teamId: string, listId: string): Promise<ExportGrant> {
      const taken = await held.take(ticket);
      if (taken.state === 'missing') throw gone();
      if (taken.state === 'expired') throw expired();
      await taken.discard();
      if (taken.value.teamId !== teamId || taken.value.listId !== listId) throw gone();
      return taken.value;
    },

    /** How many tickets this instance holds (for tests of the cap). */
    get size() {
      return held.size;
    },
  };
}

export type ExportTickets = ReturnType<typeof createExportTickets>;
