import { EXPORT_TICKET_TTL_MS } from '../../../contract/exports.js';
import type { AuditExportBody } from '../../../contract/audit.js';
import { jsonKind, memoryHeldItems, type HeldItems } from '../../platform/held-items.js';
import { problem } from '../../platform/problem.js';
import type { Caller } from '../../platform/request-context.js';
import { refusedTicket, TICKET_KNOWN_AFTER_EXPIRY_MS } from '../shared/ticket-holder.js';

/** What an audit download ticket stands for: the audit reader who asked, and the filters. */
export interface AuditExportGrant {
  caller: Caller;
  filters: AuditExportBody;
}

const gone = () => problem('not_found', 'This download link was used already or does not exist. Download the audit trail again from the tab.');
const expired = () => problem('not_found', 'This download link has expired (links last a minute). Download the audit trail again from the tab.');

/**
 * Single-use links to the audit trail as CSV, as a list's downloads are (lists/export-tickets.ts):
 * redeemed once, within `ttlMs`, restoring the reader who asked (whose role is checked again).
 * Held in `store`: this process's memory by default, or the table every instance shares. Held
 * `knownMs` past expiry, so a late use is refused as expired and recorded in its holder's trail.
 */
export function createAuditLinks({
  ttlMs = EXPORT_TICKET_TTL_MS,
  knownMs = TICKET_KNOWN_AFTER_EXPIRY_MS,
  max = 1_000,
  store = memoryHeldItems() as HeldItems,
} = {}) {
  // Expiry is read on the store's clock.
  const now = () => store.now();
  const held = jsonKind<AuditExportGrant & { expiresAt?: number }>(store, {
    name: 'audit-export',
    ttlMs: ttlMs + knownMs,
    max,
    busy: 'Too many downloads are being prepared.',
  });
  return {
    async issue(grant: AuditExportGrant): Promise<{ ticket: string; expiresAt: Date }> {
      const expiresAt = now() + ttlMs;
      const { ticket } = await held.put({ ...grant, expiresAt }, { owner: grant.caller.tenantId });
      return { ticket, expiresAt: new Date(expiresAt) };
    },
    /** The grant of a ticket, used up by this call; unknown and used tickets are refused (404) naming nobody, expired ones naming their holder. */
    async redeem(ticket: string): Promise<AuditExportGrant> {
      const taken = await held.take(ticket);
      if (taken.state === 'missing') throw gone();
      if (taken.state === 'expired') throw expired();
      await taken.discard();
      const { expiresAt, ...grant } = taken.value;
      if (expiresAt !== undefined && expiresAt <= now()) throw refusedTicket(expired(), { caller: grant.caller });
      return grant;
    },
  };
}
