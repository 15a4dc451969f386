import { EXPORT_TICKET_TTL_MS } from '../../../contract/exports.js';
import type { AuditExportBody } from '../../../contract/audit.js';
import { heldQuota, jsonKind, memoryHeldItems, MiB, type HeldItems, type HeldQuota } from '../../platform/held-items.js';
import { problem } from '../../platform/problem.js';
import type { Caller } from '../../platform/request-context.js';
import { refusedTicket, TICKET_KNOWN_AFTER_EXPIRY_MS, usedTickets } from '../shared/ticket-holder.js';

/** What an audit download ticket stands for: the audit reader who asked, and the filters. */
export interface AuditExportGrant {
  caller: Caller;
  filters: AuditExportBody;
}

const gone = () => problem('not_found', 'This download link was used already or does not exist. Download the audit trail again from the tab.');
const expired = () => problem('not_found', 'This download link has expired (links last a minute). Download the audit trail again from the tab.');

/**
 * What an instance holds of audit download links (platform/held-items.ts): 16,000 and 32 MiB in all (a
 * grant is the reader and the filters, under 2 KB), a tenant a sixteenth (1,000 and 2 MiB), an
 * audit reader 25 (as a list's downloads): a few tenants granting themselves readers cannot fill it.
 */
export const AUDIT_LINK_QUOTA: HeldQuota = heldQuota({ items: 16_000, bytes: 32 * MiB, perUser: 25 });

/** Marks of used links (the reader, under 1 KB each): as many as links, a reader's newest kept. */
const USED_LINK_QUOTA: HeldQuota = heldQuota({ items: 16_000, bytes: 16 * MiB, perUser: 25, replaceOldest: true });

/**
 * Single-use links to the audit trail as CSV, as a list's downloads are (lists/export-tickets.ts):
 * redeemed once, within `ttlMs`, restoring the reader who asked (whose role is checked again).
 * Held in `store`: this process's memory by default, or the table every instance shares. Held
 * `knownMs` past expiry, so a late use is refused as expired and recorded in its holder's trail.
 */
export function createAuditLinks({
  ttlMs = EXPORT_TICKET_TTL_MS,
  knownMs = TICKET_KNOWN_AFTER_EXPIRY_MS,
  quota = AUDIT_LINK_QUOTA,
  store = memoryHeldItems() as HeldItems,
} = {}) {
  // Expiry is read on the store's clock.
  const now = () => store.now();
  const held = jsonKind<AuditExportGrant & { expiresAt?: number }>(store, {
    name: 'audit-export',
    ttlMs: ttlMs + knownMs,
    quota,
    busy: 'Too many downloads are being prepared.',
    userBusy: 'You have too many audit downloads waiting to be fetched.',
    tenantBusy: `Your organization has as many audit downloads waiting to be fetched as one organization may (${quota.perTenant.items.toLocaleString('en')}). Open or let expire the links already asked for, then try again in a minute.`,
  });
  const used = usedTickets({ store, name: 'audit-export-used', ttlMs: ttlMs + knownMs, quota: USED_LINK_QUOTA });
  return {
    async issue(grant: AuditExportGrant): Promise<{ ticket: string; expiresAt: Date }> {
      const expiresAt = now() + ttlMs;
      const { ticket } = await held.put({ ...grant, expiresAt }, { owner: grant.caller.tenantId, user: grant.caller.userId });
      return { ticket, expiresAt: new Date(expiresAt) };
    },
    /**
     * The grant of a ticket, used up by this call; refused (404): unknown tickets naming nobody,
     * expired ones naming their holder, used ones naming it the first time they are used again (usedTickets).
     */
    async redeem(ticket: string): Promise<AuditExportGrant> {
      const taken = await held.take(ticket);
      if (taken.state === 'missing') {
        const holder = await used.holderOf(ticket);
        throw holder ? refusedTicket(gone(), holder) : gone();
      }
      if (taken.state === 'expired') throw expired();
      await taken.discard();
      const { expiresAt, ...grant } = taken.value;
      if (expiresAt !== undefined && expiresAt <= now()) throw refusedTicket(expired(), { caller: grant.caller });
      await used.mark(ticket, { caller: grant.caller });
      return grant;
    },
  };
}
