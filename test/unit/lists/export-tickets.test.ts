import { describe, expect, it, vi } from 'vitest';
import { createExportTickets, type ExportGrant } from '../../../server/features/lists/export-tickets';
import { Problem } from '../../../server/platform/problem';

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

  it('are spent by a redemption with another team or list, which is refused', async () => {
    const tickets = createExportTickets();
    const { ticket } = await tickets.issue(grant);
    expect(await refusal(() => tickets.redeem(ticket, 'team-2', 'list-1'))).toMatchObject({ status: 404 });
    expect(await refusal(() => tickets.redeem(ticket, 'team-1', 'list-1'))).toMatchObject({ status: 404 });
  });

  it('expire after a minute, said in plain words', async () => {
    let now = 1_000_000;
    const tickets = createExportTickets({ now: () => now });
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
    const tickets = createExportTickets({ max: 2, now: () => now });
    // One tenant may hold a quarter of the cap: each ticket here is another tenant's.
    const of = (tenantId: string): ExportGrant => ({ ...grant, caller: { ...grant.caller, tenantId } });
    const a = await tickets.issue(grant);
    await tickets.issue(of('t2'));
    expect(await refusal(() => tickets.issue(of('t3')))).toMatchObject({ status: 503 });
    expect(await tickets.redeem(a.ticket, 'team-1', 'list-1')).toEqual(grant);
    await tickets.issue(grant);
    now += 60_000;
    expect((await tickets.issue(of('t3'))).ticket).toMatch(/^[\w-]{43}$/);
    expect(tickets.size).toBe(1);
  });

  it('are dropped, with the token they hold, soon after they expire unused', async () => {
    vi.useFakeTimers();
    try {
      const tickets = createExportTickets();
      await tickets.issue(grant);
      vi.advanceTimersByTime(60_000);
      expect(tickets.size).toBe(1);
      vi.advanceTimersByTime(5_000);
      expect(tickets.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('are unguessable: each is new, and a made-up one is refused', async () => {
    const tickets = createExportTickets();
    const seen = new Set(await Promise.all(Array.from({ length: 200 }, async () => (await tickets.issue(grant)).ticket)));
    expect(seen.size).toBe(200);
    expect(await refusal(() => tickets.redeem('A'.repeat(43), 'team-1', 'list-1'))).toMatchObject({ status: 404 });
  });
});
