import { EXPORT_TICKET_TTL_MS } from '../../../contract/exports.js';
import { heldQuota, jsonKind, memoryHeldItems, MiB, type HeldItems, type HeldQuota } from '../../platform/held-items.js';
import { problem } from '../../platform/problem.js';
import type { Caller } from '../../platform/request-context.js';
import { refusedTicket, TICKET_KNOWN_AFTER_EXPIRY_MS, usedTickets, type TicketHolder } from '../shared/ticket-holder.js';

export { attributeRefusal, TICKET_KNOWN_AFTER_EXPIRY_MS } from '../shared/ticket-holder.js';

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
 * Tickets one user may hold at once on an instance (within their tenant's share, 1,250): far
 * more than a person downloading lists needs in a minute, and a small part of the tenant's share,
 * so one user asking again and again never throttles their colleagues.
 */
export const EXPORT_TICKETS_PER_USER = 25;

/**
 * What an instance holds of download tickets (platform/held-items.ts): 20,000 and 64 MiB in all (a ticket
 * keeps the caller's SSO token: 2 to 3 KB), a tenant a sixteenth (1,250 and 4 MiB), a user 25.
 */
export const EXPORT_TICKET_QUOTA: HeldQuota = heldQuota({ items: 20_000, bytes: 64 * MiB, perUser: EXPORT_TICKETS_PER_USER });

/** Marks of used tickets (a holder, under 1 KB each): as many as tickets, a user's newest kept. */
const USED_TICKET_QUOTA: HeldQuota = heldQuota({ items: 20_000, bytes: 32 * MiB, perUser: EXPORT_TICKETS_PER_USER, replaceOldest: true });

/**
 * Single-use download tickets: a ticket is redeemed once, within `ttlMs`, for the tenant, user,
 * team and list it was issued for. Held in `store`: this process's memory by default, or a table
 * every instance shares, so a link issued by one instance downloads through another. At most
 * `quota` are held per instance, per tenant and per user (EXPORT_TICKET_QUOTA); a user or tenant
 * at their share is refused (429), and nobody's ticket is pushed out for another. A ticket is held `knownMs` past its expiry (sealed, as before), so a late use is refused
 * as expired and recorded as its holder's.
 */
export function createExportTickets({
  ttlMs = EXPORT_TICKET_TTL_MS,
  knownMs = TICKET_KNOWN_AFTER_EXPIRY_MS,
  quota = EXPORT_TICKET_QUOTA,
  store = memoryHeldItems() as HeldItems,
} = {}) {
  // Expiry and the per-user share are read on the store's clock.
  const now = () => store.now();
  const held = jsonKind<{ grant: ExportGrant; expiresAt: number }>(store, {
    name: 'export',
    ttlMs: ttlMs + knownMs,
    quota,
    busy: 'Too many downloads are being prepared.',
    userBusy: 'You have too many downloads waiting to be fetched.',
    tenantBusy: `Your organization has as many downloads waiting to be fetched as one organization may (${quota.perTenant.items.toLocaleString('en')}). Open or let expire the links already asked for, then try again in a minute.`,
  });
  const used = usedTickets({ store, name: 'export-used', ttlMs: ttlMs + knownMs, quota: USED_TICKET_QUOTA });
  const holderOf = (grant: ExportGrant): TicketHolder => ({
    caller: { ...grant.caller, name: undefined },
    teamId: grant.teamId,
    listId: grant.listId,
  });
  return {
    async issue(grant: ExportGrant): Promise<{ ticket: string; expiresAt: Date }> {
      const expiresAt = now() + ttlMs;
      const { ticket } = await held.put({ grant, expiresAt }, { owner: grant.caller.tenantId, user: grant.caller.userId });
      return { ticket, expiresAt: new Date(expiresAt) };
    },

    /**
     * The grant of a ticket, used up by this call whatever follows. Refused (404) alike: a ticket
     * unknown (naming nobody); used already (naming its holder the first time: usedTickets);
     * expired, or named with another team or list (naming its holder: a link seen at another
     * address may have leaked, so it is spent there too).
     */
    async redeem(ticket: string, teamId: string, listId: string): Promise<ExportGrant> {
      // Of redemptions at the same moment (on any instance), one gets it.
      const taken = await held.take(ticket);
      if (taken.state === 'missing') {
        // Used already: the first use again is recorded as its holder's (usedTickets).
        const holder = await used.holderOf(ticket);
        throw holder ? refusedTicket(gone(), holder) : gone();
      }
      if (taken.state === 'expired') throw expired();
      await taken.discard();
      const { grant, expiresAt } = taken.value;
      if (grant.teamId !== teamId || grant.listId !== listId) throw refusedTicket(gone(), holderOf(grant));
      if (expiresAt <= now()) throw refusedTicket(expired(), holderOf(grant));
      await used.mark(ticket, holderOf(grant));
      return grant;
    },

    /** How many tickets this instance holds (for tests of the cap). */
    get size() {
      return held.size;
    },
  };
}

export type ExportTickets = ReturnType<typeof createExportTickets>;
