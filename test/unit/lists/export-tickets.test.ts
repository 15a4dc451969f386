import { describe, expect, it, vi } from 'vitest';
import {
  createExportTickets,
  TICKET_KNOWN_AFTER_EXPIRY_MS,
  EXPORT_TICKETS_PER_USER,
  type ExportGrant,
} from '../../../server/features/lists/export-tickets';
import { Problem } from '../../../server/platform/problem';
import { heldQuota, memoryHeldItems, MiB } from '../../../server/platform/held-items';

const grant: ExportGrant = {
  caller: { tenantId: 't1', userId: 'u1', roles: [] },
  ssoToken: 'sso',
  teamId: 'team-1',
  listId: 'list-1',
  timeZone: 'Europe/London',
};

const refusal = async (fn: () => Promise<unknown>) => {
  try {
    await fn();
  } catch (err) {
    return err instanceof Problem ? { status: err.status, message: err.message } : err;
  }
  return null;
};

describe('export download tickets', () => {
  it('are redeemed once, for the team and list they were issued for, with who asked', async () => {
    const tickets = createExportTickets();
    const { ticket } = await tickets.issue(grant);
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await tickets.redeem(ticket, 'team-1', 'list-1')).toEqual(grant);
    expect(await refusal(() => tickets.redeem(ticket, 'team-1', 'list-1'))).toMatchObject({
      status: 404,
      message: expect.stringMatching(/used already/),
    });
  });

  it('are refused with another team or list, naming their holder, and spent there: a link seen at another address may have leaked', async () => {
    for (const [teamId, listId] of [
      ['team-2', 'list-1'],
      ['team-1', 'list-2'],
    ]) {
      const tickets = createExportTickets();
      const { ticket } = await tickets.issue(grant);
      const wrong = await tickets.redeem(ticket, teamId, listId).catch((e: unknown) => e);
      expect(wrong).toMatchObject({ status: 404, ticketHolder: { caller: grant.caller, teamId: 'team-1', listId: 'list-1' } });
      // Spent: unknown now, naming nobody, so a leaked link probed at many addresses writes one record.
      const again = await tickets.redeem(ticket, 'team-1', 'list-1').catch((e: unknown) => e);
      expect(again).toMatchObject({ status: 404 });
      expect((again as { ticketHolder?: unknown }).ticketHolder).toBeUndefined();
    }
  });

  it('name their holder when used late, for a while after they expired; then nobody', async () => {
    let now = 1_000_000;
    const tickets = createExportTickets({ store: memoryHeldItems({ now: () => now }) });
    const first = await tickets.issue(grant);
    const second = await tickets.issue(grant);
    now += 60_000;
    const late = await tickets.redeem(first.ticket, 'team-1', 'list-1').catch((e: unknown) => e);
    expect(late).toMatchObject({ status: 404, message: expect.stringMatching(/expired/), ticketHolder: { caller: grant.caller } });
    now += TICKET_KNOWN_AFTER_EXPIRY_MS;
    const forgotten = await tickets.redeem(second.ticket, 'team-1', 'list-1').catch((e: unknown) => e);
    expect(forgotten).toMatchObject({ status: 404, message: expect.stringMatching(/expired/) });
    expect((forgotten as { ticketHolder?: unknown }).ticketHolder).toBeUndefined();
  });

  it('expire after a minute, said in plain words', async () => {
    let now = 1_000_000;
    const tickets = createExportTickets({ store: memoryHeldItems({ now: () => now }) });
    const first = await tickets.issue(grant);
    expect(first.expiresAt.getTime()).toBe(now + 60_000);
    const second = await tickets.issue(grant);
    now += 59_999;
    expect((await tickets.redeem(first.ticket, 'team-1', 'list-1')).listId).toBe('list-1');
    now += 1;
    expect(await refusal(() => tickets.redeem(second.ticket, 'team-1', 'list-1'))).toMatchObject({
      status: 404,
      message: expect.stringMatching(/expired/),
    });
  });

  it('are held up to a cap: expired ones make room, live ones are never pushed out', async () => {
    let now = 0;
    const tickets = createExportTickets({ quota: heldQuota({ items: 2, bytes: MiB }), store: memoryHeldItems({ now: () => now }) });
    // One tenant may hold a sixteenth of the cap: each ticket here is another tenant's.
    const of = (tenantId: string): ExportGrant => ({ ...grant, caller: { ...grant.caller, tenantId } });
    const a = await tickets.issue(grant);
    await tickets.issue(of('t2'));
    expect(await refusal(() => tickets.issue(of('t3')))).toMatchObject({ status: 503 });
    expect(await tickets.redeem(a.ticket, 'team-1', 'list-1')).toEqual(grant);
    await tickets.issue(grant);
    // Expired tickets are held a while longer (a late use names its holder), then make room.
    now += 60_000 + TICKET_KNOWN_AFTER_EXPIRY_MS;
    expect((await tickets.issue(of('t3'))).ticket).toMatch(/^[\w-]{43}$/);
    expect(tickets.size).toBe(1);
  });

  it('are dropped, with the token they hold, soon after their holder stops being known (a minute past expiry), unused', async () => {
    vi.useFakeTimers();
    try {
      const tickets = createExportTickets();
      await tickets.issue(grant);
      vi.advanceTimersByTime(60_000 + TICKET_KNOWN_AFTER_EXPIRY_MS);
      expect(tickets.size).toBe(1);
      vi.advanceTimersByTime(5_000);
      expect(tickets.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('are unguessable: each is new, and a made-up one is refused', async () => {
    const tickets = createExportTickets();
    // Two hundred people of one tenant, one ticket each (one person may hold 25 at once).
    const of = (userId: string): ExportGrant => ({ ...grant, caller: { ...grant.caller, userId } });
    const seen = new Set(await Promise.all(Array.from({ length: 200 }, async (_, i) => (await tickets.issue(of(`u${i}`))).ticket)));
    expect(seen.size).toBe(200);
    expect(await refusal(() => tickets.redeem('A'.repeat(43), 'team-1', 'list-1'))).toMatchObject({ status: 404 });
  });

  describe('a share per user within the tenant share', () => {
    const as = (userId: string, tenantId = 't1'): ExportGrant => ({ ...grant, caller: { ...grant.caller, tenantId, userId } });

    it('one user asking again and again is throttled alone: another user of the same tenant still gets tickets', async () => {
      const tickets = createExportTickets();
      expect(EXPORT_TICKETS_PER_USER).toBe(25);
      // Far below the tenant's share (1,250 of the default 20,000).
      for (let i = 0; i < 25; i++) await tickets.issue(as('greedy'));
      expect(await refusal(() => tickets.issue(as('greedy')))).toMatchObject({
        status: 429,
        message: 'You have too many downloads waiting to be fetched. Try again in a minute.',
      });
      // At once, too: requests at the same moment cannot pass the share together.
      const burst = await Promise.allSettled(Array.from({ length: 10 }, () => tickets.issue(as('greedy'))));
      expect(burst.every((r) => r.status === 'rejected')).toBe(true);
      expect((await tickets.issue(as('colleague'))).ticket).toMatch(/^[\w-]{43}$/);
      // The same user id in another tenant is another person.
      expect((await tickets.issue(as('greedy', 't2'))).ticket).toMatch(/^[\w-]{43}$/);
      expect(tickets.size).toBe(27);
    });

    it('a ticket redeemed or expired frees its place in the user share', async () => {
      let now = 0;
      const quota = heldQuota({ items: 5_000, bytes: 64 * MiB, perUser: 2 });
      const tickets = createExportTickets({ quota, store: memoryHeldItems({ now: () => now }) });
      const first = await tickets.issue(as('u1'));
      await tickets.issue(as('u1'));
      expect(await refusal(() => tickets.issue(as('u1')))).toMatchObject({ status: 429 });
      await tickets.redeem(first.ticket, 'team-1', 'list-1');
      await tickets.issue(as('u1'));
      expect(await refusal(() => tickets.issue(as('u1')))).toMatchObject({ status: 429 });
      // Long after the two live tickets expired (and were forgotten), they no longer count.
      now += 10 * 60_000;
      await tickets.issue(as('u1'));
      await tickets.issue(as('u1'));
    });

    it('users of one tenant still fill no more than its share together', async () => {
      const tickets = createExportTickets({ quota: heldQuota({ items: 160, bytes: 64 * MiB, perUser: 4 }) });
      // The tenant's share is a sixteenth of 160: ten, whoever asks.
      for (const user of ['a', 'b']) for (let i = 0; i < 4; i++) await tickets.issue(as(user));
      await tickets.issue(as('c'));
      await tickets.issue(as('c'));
      expect(await refusal(() => tickets.issue(as('c')))).toMatchObject({
        status: 429,
        message: expect.stringMatching(
          /^Your organization has as many downloads waiting to be fetched as one organization may \(10\)\. Open or let expire/,
        ),
      });
      expect((await tickets.issue(as('a', 't2'))).ticket).toMatch(/^[\w-]{43}$/);
    });
  });
});
