import { randomBytes } from 'node:crypto';
import { EXPORT_TICKET_TTL_MS } from '../../../contract/exports.js';
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

interface Held extends ExportGrant {
  expiresAt: number;
}

/** 32 random bytes, base64url: what a ticket in a path looks like. */
const ticketShape = /^[A-Za-z0-9_-]{43}$/;

const gone = () => problem('not_found', 'This download link was used already or does not exist. Export the list again from the tab.');
const expired = () => problem('not_found', 'This download link has expired (links last a minute). Export the list again from the tab.');

/**
 * Single-use download tickets, in this process's memory: a ticket is redeemed once, within
 * `ttlMs`, for the tenant, user, team and list it was issued for, on the instance that issued it.
 * At most `max` are held; when full (after dropping expired ones) a new one is refused rather
 * than pushing out someone else's.
 */
export function createExportTickets({ ttlMs = EXPORT_TICKET_TTL_MS, max = 5_000, now = Date.now } = {}) {
  const held = new Map<string, Held>();
  const sweep = () => {
    const at = now();
    for (const [ticket, grant] of held) if (grant.expiresAt <= at) held.delete(ticket);
  };
  return {
    issue(grant: ExportGrant): { ticket: string; expiresAt: Date } {
      if (held.size >= max) sweep();
      if (held.size >= max) throw problem('throttled', 'Too many downloads are being prepared. Try again in a minute.');
      const ticket = randomBytes(32).toString('base64url');
      const expiresAt = now() + ttlMs;
      held.set(ticket, { ...grant, expiresAt });
      // An unused ticket (and the token it holds) is dropped soon after it expires, not at the next sweep.
      setTimeout(() => held.delete(ticket), ttlMs + 5_000).unref();
      return { ticket, expiresAt: new Date(expiresAt) };
    },

    /**
     * The grant of a ticket, which is used up by this call whatever follows; a ticket that is
     * unknown, used, expired, or named with another team or list is refused the same way (404).
     */
    redeem(ticket: string, teamId: string, listId: string): ExportGrant {
      const grant = ticketShape.test(ticket) ? held.get(ticket) : undefined;
      if (!grant) throw gone();
      held.delete(ticket);
      if (grant.teamId !== teamId || grant.listId !== listId) throw gone();
      if (grant.expiresAt <= now()) throw expired();
      const { expiresAt: _expiresAt, ...rest } = grant;
      return rest;
    },

    /** How many tickets are held (for tests of the cap). */
    get size() {
      return held.size;
    },
  };
}

export type ExportTickets = ReturnType<typeof createExportTickets>;
