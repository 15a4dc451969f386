import { describe, expect, it } from 'vitest';
import { createPageLinks, PAGE_LINK_TTL_MS, type PageHolder } from '../../../../server/features/patients/page-links';
import { Problem } from '../../../../server/platform/problem';

const base = 'https://ehr.example/fhir/r4';
const next = { url: `${base}/Patient?family=Chau&_count=20&_offset=20`, count: 20 };
const avery: PageHolder = { tenantId: 'tenant-1', teamId: 'team-1', userId: 'avery' };

const refusal = async (fn: () => Promise<unknown>) => {
  try {
    await fn();
  } catch (err) {
    return err instanceof Problem ? { status: err.status, code: err.code, message: err.message } : err;
  }
  return null;
};

describe('next-page links of a patient search', () => {
  it('are opaque, short and URL-safe, and lead to the next page for the one who searched', async () => {
    const links = createPageLinks();
    const ticket = await links.issue(avery, base, next);
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(ticket).not.toContain(Buffer.from('ehr.example').toString('base64url').slice(0, 8));
    expect(await links.redeem(ticket, { ...avery }, base)).toEqual(next);
    // Not spent by use: a page asked again (a retry) is answered again.
    expect(await links.redeem(ticket, avery, base)).toEqual(next);
  });

  it.each([
    ['another team', { ...avery, teamId: 'team-2' }],
    ['another user', { ...avery, userId: 'blake' }],
    ['another tenant', { ...avery, tenantId: 'tenant-2' }],
  ])('are refused for %s, as if unknown', async (_, holder) => {
    const links = createPageLinks();
    const ticket = await links.issue(avery, base, next);
    expect(await refusal(() => links.redeem(ticket, holder, base))).toEqual({
      status: 400,
      code: 'invalid_page',
      message: 'The page link is not valid (it is not a link this search gave you). Search again.',
    });
    // The holder's link still works.
    expect(await links.redeem(ticket, avery, base)).toEqual(next);
  });

  it('are refused when forged or altered', async () => {
    const links = createPageLinks();
    const ticket = await links.issue(avery, base, next);
    const altered = `${ticket.slice(0, 10)}${ticket[10] === 'A' ? 'B' : 'A'}${ticket.slice(11)}`;
    for (const forged of [altered, 'A'.repeat(43), Buffer.from(next.url).toString('base64url'), '']) {
      expect(await refusal(() => links.redeem(forged, avery, base))).toMatchObject({ status: 400, code: 'invalid_page' });
    }
  });

  it('expire after 15 minutes', async () => {
    let now = Date.parse('2026-01-05T09:00:00Z');
    const links = createPageLinks({ now: () => now });
    const ticket = await links.issue(avery, base, next);
    now += PAGE_LINK_TTL_MS - 1;
    expect(await links.redeem(ticket, avery, base)).toEqual(next);
    now += 1;
    expect(await refusal(() => links.redeem(ticket, avery, base))).toEqual({
      status: 400,
      code: 'invalid_page',
      message: 'The page link is not valid (it has expired). Search again.',
    });
  });

  it("are refused once the team's EHR link changed", async () => {
    const links = createPageLinks();
    const ticket = await links.issue(avery, base, next);
    expect(await refusal(() => links.redeem(ticket, avery, 'https://other.example/fhir'))).toEqual({
      status: 400,
      code: 'invalid_page',
      message: "The page link is not valid (the team's EHR link has changed since). Search again.",
    });
  });

  it("are one per user and team: a new one replaces the holder's last, not anyone else's", async () => {
    const links = createPageLinks();
    const first = await links.issue(avery, base, next);
    const blakes = await links.issue({ ...avery, userId: 'blake' }, base, next);
    const otherTeam = await links.issue({ ...avery, teamId: 'team-2' }, base, next);
    const second = await links.issue(avery, base, { url: `${base}/Patient?family=Chau&_offset=40` });
    expect(await refusal(() => links.redeem(first, avery, base))).toMatchObject({ status: 400, code: 'invalid_page' });
    expect(await links.redeem(second, avery, base)).toEqual({ url: `${base}/Patient?family=Chau&_offset=40` });
    expect(await links.redeem(blakes, { ...avery, userId: 'blake' }, base)).toEqual(next);
    expect(await links.redeem(otherTeam, { ...avery, teamId: 'team-2' }, base)).toEqual(next);
    expect(links.size).toBe(3);
  });

  it('are refused when full rather than pushing out anyone else', async () => {
    const links = createPageLinks({ max: 2 });
    const a = await links.issue(avery, base, next);
    await links.issue({ ...avery, tenantId: 'tenant-2', userId: 'blake' }, base, next);
    expect(await refusal(() => links.issue({ ...avery, tenantId: 'tenant-3', userId: 'casey' }, base, next))).toMatchObject({
      status: 503,
      code: 'throttled',
    });
    expect(await links.redeem(a, avery, base)).toEqual(next);
  });

  it("are a sixteenth of the cap for one organisation, so one tenant's searches never refuse another's", async () => {
    const links = createPageLinks({ max: 32 });
    await links.issue(avery, base, next);
    await links.issue({ ...avery, userId: 'blake' }, base, next);
    expect(await refusal(() => links.issue({ ...avery, userId: 'casey' }, base, next))).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(await links.issue({ ...avery, tenantId: 'tenant-2' }, base, next)).toMatch(/^[\w-]{43}$/);
  });
});
