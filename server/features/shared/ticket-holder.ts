import { jsonKind, type HeldItems, type HeldQuota } from '../../platform/held-items.js';
import { requestContext, type Caller } from '../../platform/request-context.js';
import { idLike } from './audit-trail.js';

/** How long a ticket's holder stays known after it expired: a late use is refused, and recorded as theirs. */
export const TICKET_KNOWN_AFTER_EXPIRY_MS = 60_000;

/** Whose ticket a refused download used: the grant's verified caller, and the team and list it was for. */
export interface TicketHolder {
  caller: Caller;
  teamId?: string;
  listId?: string;
}

/** A refusal of a ticket that is known (expired, or named with another list): it carries who held it. */
export function refusedTicket<E extends Error>(error: E, holder: TicketHolder): E {
  return Object.assign(error, { ticketHolder: holder });
}

/**
 * A refused download link is recorded as a failure in the trail of whoever held the ticket, when
 * the ticket is known (expired, or used with another team's or list's address): the ticket was
 * issued to a verified caller, who is named with the team and list it was for. An unknown ticket
 * (never issued, already used and gone, held past its expiry's grace) names nobody verified: it is
 * refused the same way, without a record, since a record needs a verified caller (or, for a
 * refused token, the tenant it claims) and a made-up ticket claims nothing.
 */
export function attributeRefusal(error: unknown): void {
  const holder = (error as { ticketHolder?: TicketHolder } | null)?.ticketHolder;
  if (!holder) return;
  const context = requestContext();
  context.caller = holder.caller;
  if (context.audit && holder.teamId !== undefined) context.audit.teamId = idLike(holder.teamId);
  if (context.audit && holder.listId !== undefined) context.audit.listId = idLike(holder.listId);
}

/**
 * Who used a download link, kept under its ticket for `ttlMs` after the use, so that the link
 * used again (seen in browser history, on a shared screen, in a proxy's log) is refused as any
 * used link is and recorded in its holder's trail, as a late use is. Once: the first use again
 * spends the mark, so a leaked link tried again and again adds one record, and later tries name
 * nobody, as an unknown ticket does. Under `quota` (the newest marks of a user are kept).
 */
export function usedTickets({ store, name, ttlMs, quota }: { store: HeldItems; name: string; ttlMs: number; quota: HeldQuota }) {
  const held = jsonKind<TicketHolder>(store, { name, ttlMs, quota, busy: 'Too many used download links are remembered.' });
  return {
    /** Marks the ticket used by `holder`. Best effort: a download goes on when its mark cannot be kept. */
    async mark(ticket: string, holder: TicketHolder): Promise<void> {
      await held.put(holder, { owner: holder.caller.tenantId, user: holder.caller.userId, ticket }).catch(() => undefined);
    },
    /** Who used the ticket, the first time it is asked after its use; then, and for a ticket never used, nobody. */
    async holderOf(ticket: string): Promise<TicketHolder | undefined> {
      const taken = await held.take(ticket);
      if (taken.state !== 'held') return undefined;
      await taken.discard();
      return taken.value;
    },
  };
}
