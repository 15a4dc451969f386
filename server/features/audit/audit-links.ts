import { EXPORT_TICKET_TTL_MS } from '../../../contract/exports.js';
import type { AuditExportBody } from '../../../contract/audit.js';
import { jsonKind, memoryHeldItems, type HeldItems } from '../../platform/held-items.js';
import { problem } from '../../platform/problem.js';
import type { Caller } from '../../platform/request-context.js';

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
 * Held in `store`: this process's memory by default, or the table every instance shares.
 */
export function createAuditLinks({ ttlMs = EXPORT_TICKET_TTL_MS, max = 1_000, now = Date.now, store = memoryHeldItems({ now }) as HeldItems } = {}) {
  const held = jsonKind<AuditExportGrant>(store, { name: 'audit-export', ttlMs, max, busy: 'Too many downloads are being prepared.' });
  return {
    issue: (grant: AuditExportGrant) => held.put(grant, { owner: grant.caller.tenantId }),
    /** The grant of a ticket, used up by this call whatever follows; unknown, used and expired tickets are refused (404). */
    async redeem(ticket: string): Promise<AuditExportGrant> {
      const taken = await held.take(ticket);
      if (taken.state === 'missing') throw gone();
      if (taken.state === 'expired') throw expired();
      await taken.discard();
      return taken.value;
    },
  };
}
