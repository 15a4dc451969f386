import { describe, expect, it } from 'vitest';
import { createAuditLinks, type AuditExportGrant } from '../../../server/features/audit/audit-links';
import { createExportTickets, type ExportGrant } from '../../../server/features/lists/export-tickets';
import type { ImportFile } from '../../../server/features/manual/import-file';
import { createImportUploads, IMPORT_UPLOADS_PER_USER, type UploadOwner } from '../../../server/features/manual/import-uploads';
import { createPageLinks, PAGE_LINKS_PER_USER } from '../../../server/features/patients/page-links';
import { heldQuota, memoryHeldItems, MiB, type HeldQuota } from '../../../server/platform/held-items';
import { Problem } from '../../../server/platform/problem';

/**
 * Held items (uploads waiting for their import, download and page links) are one pool per
 * instance shared by every organisation: no user and no tenant may use up what other tenants need.
 */

const refusal = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (err) {
    return err instanceof Problem ? { status: err.status, code: err.code, message: err.message } : err;
  }
  return null;
};
const TICKET = /^[\w-]{43}$/;

const file: ImportFile = { columns: ['Name', 'MRN'], rows: [{ row: 2, cells: ['Ada Lovelace', 'Q-1'] }] };
/** A file whose rows take about `mb` MB as JSON. */
const fileOf = (mb: number): ImportFile => ({ columns: ['Name'], rows: [{ row: 2, cells: ['x'.repeat(mb * 1_000_000)] }] });
const owner = (tenantId: string, userId: string, teamId = 'team-1'): UploadOwner => ({ tenantId, userId, teamId });

describe('uploads waiting for their import', () => {
  it('two hostile tenants, each one user owning ten teams, uploading to every team, leave another hospital able to upload', async () => {
    const uploads = createImportUploads();
    for (const tenant of ['hostile-1', 'hostile-2'])
      for (let team = 0; team < 10; team++) expect(await uploads.hold(owner(tenant, 'mallory', `team-${team}`), 'x.csv', file)).toMatch(TICKET);
    expect(await uploads.hold(owner('st-mary', 'avery'), 'ward.csv', file)).toMatch(TICKET);
  });

  it("one user's uploads across many teams are capped: a new one replaces their own oldest, their colleagues' stay", async () => {
    expect(IMPORT_UPLOADS_PER_USER).toBe(3);
    const uploads = createImportUploads();
    const colleague = await uploads.hold(owner('t1', 'blake'), 'theirs.csv', file);
    const tokens: string[] = [];
    for (let team = 0; team < 10; team++) tokens.push(await uploads.hold(owner('t1', 'avery', `team-${team}`), 'x.csv', file));
    for (let team = 0; team < 7; team++)
      expect(await refusal(uploads.get(tokens[team], owner('t1', 'avery', `team-${team}`)))).toMatchObject({ status: 404 });
    for (let team = 7; team < 10; team++) expect(await uploads.get(tokens[team], owner('t1', 'avery', `team-${team}`))).toEqual(file);
    expect(await uploads.get(colleague, owner('t1', 'blake'))).toEqual(file);
    expect(uploads.size).toBe(4);
  });

  it('an upload being imported is never pushed out; with all of them being imported, a new one is refused (429) saying what to do', async () => {
    const uploads = createImportUploads();
    const avery = (team: number) => owner('t1', 'avery', `team-${team}`);
    const tokens = [];
    for (let team = 0; team < 3; team++) tokens.push(await uploads.hold(avery(team), 'x.csv', file));
    const importing = await uploads.take(tokens[0], avery(0));
    // The oldest is being imported: the next oldest makes room.
    const fourth = await uploads.hold(avery(3), 'x.csv', file);
    expect(await refusal(uploads.get(tokens[1], avery(1)))).toMatchObject({ status: 404 });
    await importing.putBack();
    expect(await uploads.get(tokens[0], avery(0))).toEqual(file);
    const busy = await Promise.all([uploads.take(tokens[0], avery(0)), uploads.take(tokens[2], avery(2)), uploads.take(fourth, avery(3))]);
    expect(await refusal(uploads.hold(avery(4), 'x.csv', file))).toMatchObject({
      status: 429,
      code: 'rate_limited',
      message: expect.stringMatching(/^You have 3 files waiting to be imported.*upload the file again\.$/),
    });
    await busy[0].done();
    expect(await uploads.hold(avery(4), 'x.csv', file)).toMatch(TICKET);
  });

  it('a tenant at its share is refused with 429 saying what to do, and other tenants are not', async () => {
    const uploads = createImportUploads();
    // A sixteenth of the instance's 256: sixteen, from as many people.
    for (let user = 0; user < 16; user++) await uploads.hold(owner('hostile', `u${user}`), 'x.csv', file);
    expect(await refusal(uploads.hold(owner('hostile', 'u16'), 'x.csv', file))).toMatchObject({
      status: 429,
      code: 'rate_limited',
      message: expect.stringMatching(
        /^Your organization has as many files waiting to be imported as one organization may \(16 files, 16 MB\)\. Confirm/,
      ),
    });
    // At once, too: puts at the same moment cannot pass the share together.
    const burst = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => uploads.hold(owner('hostile', `v${i}`), 'x.csv', file)));
    expect(burst.every((r) => r.status === 'rejected')).toBe(true);
    expect(await uploads.hold(owner('st-mary', 'avery'), 'ward.csv', file)).toMatch(TICKET);
  });

  it('are bounded by the bytes they hold, per tenant and per instance, not only by their count', async () => {
    const uploads = createImportUploads();
    // A tenant's 16 MiB: two files of 7 MB, not a third, though far below sixteen uploads.
    await uploads.hold(owner('t1', 'a'), 'big.csv', fileOf(7));
    await uploads.hold(owner('t1', 'b'), 'big.csv', fileOf(7));
    expect(await refusal(uploads.hold(owner('t1', 'c'), 'big.csv', fileOf(7)))).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(await uploads.hold(owner('t1', 'c'), 'small.csv', file)).toMatch(TICKET);

    const quota: HeldQuota = { perUser: 3, replaceOldest: true, perTenant: { items: 10, bytes: 8 * MiB }, instance: { items: 100, bytes: 10 * MiB } };
    const small = createImportUploads({ quota });
    await small.hold(owner('t1', 'a'), 'big.csv', fileOf(4));
    await small.hold(owner('t2', 'a'), 'big.csv', fileOf(4));
    expect(await refusal(small.hold(owner('t3', 'a'), 'big.csv', fileOf(4)))).toMatchObject({
      status: 503,
      code: 'throttled',
      message: 'Too many imports are being prepared. Try again in a few minutes.',
    });
    expect(await small.hold(owner('t3', 'a'), 'small.csv', file)).toMatch(TICKET);
  });

  it('a confirmed import or an expired upload frees its place', async () => {
    let now = 0;
    const quota = heldQuota({ items: 32, bytes: 64 * MiB, perUser: 3, replaceOldest: true });
    const uploads = createImportUploads({ quota, store: memoryHeldItems({ now: () => now }) });
    const first = await uploads.hold(owner('t1', 'a'), 'x.csv', file);
    await uploads.hold(owner('t1', 'b'), 'x.csv', file);
    expect(await refusal(uploads.hold(owner('t1', 'c'), 'x.csv', file))).toMatchObject({ status: 429 });
    await (await uploads.take(first, owner('t1', 'a'))).done();
    await uploads.hold(owner('t1', 'c'), 'x.csv', file);
    now += 15 * 60_000;
    await uploads.hold(owner('t1', 'd'), 'x.csv', file);
    await uploads.hold(owner('t1', 'e'), 'x.csv', file);
  });
});

describe('download and page links', () => {
  const exportGrant = (tenantId: string, userId: string): ExportGrant => ({
    caller: { tenantId, userId, roles: [] },
    ssoToken: 'sso',
    teamId: 'team-1',
    listId: 'list-1',
    timeZone: 'Europe/London',
  });
  const auditGrant = (tenantId: string, userId: string): AuditExportGrant => ({
    caller: { tenantId, userId, roles: ['Patients.AuditReader'] },
    filters: {},
  });

  it('four hostile tenants of self-granted audit readers fill their own shares only: another tenant still gets links', async () => {
    const links = createAuditLinks();
    for (const tenant of ['h1', 'h2', 'h3', 'h4']) {
      let refused: unknown = null;
      for (let i = 0; i < 1_100 && !refused; i++) refused = await refusal(links.issue(auditGrant(tenant, `reader-${Math.floor(i / 25)}`)));
      expect(refused).toMatchObject({
        status: 429,
        code: 'rate_limited',
        message: expect.stringMatching(/^Your organization has as many audit downloads/),
      });
    }
    expect((await links.issue(auditGrant('st-mary', 'reader'))).ticket).toMatch(TICKET);
  });

  it('one audit reader asking again and again is capped alone', async () => {
    const links = createAuditLinks();
    for (let i = 0; i < 25; i++) await links.issue(auditGrant('t1', 'greedy'));
    expect(await refusal(links.issue(auditGrant('t1', 'greedy')))).toMatchObject({
      status: 429,
      message: 'You have too many audit downloads waiting to be fetched. Try again in a minute.',
    });
    expect((await links.issue(auditGrant('t1', 'colleague'))).ticket).toMatch(TICKET);
  });

  it("four hostile tenants filling their share of list download tickets leave another tenant's exports", async () => {
    const tickets = createExportTickets();
    for (const tenant of ['h1', 'h2', 'h3', 'h4']) {
      let refused: unknown = null;
      for (let i = 0; i < 1_300 && !refused; i++) refused = await refusal(tickets.issue(exportGrant(tenant, `u${Math.floor(i / 25)}`)));
      expect(refused).toMatchObject({ status: 429, code: 'rate_limited' });
    }
    expect((await tickets.issue(exportGrant('st-mary', 'avery'))).ticket).toMatch(TICKET);
  });

  it("four hostile tenants filling their share of page links leave another tenant's searches", async () => {
    const links = createPageLinks();
    const base = 'https://ehr.example/fhir';
    for (const tenant of ['h1', 'h2', 'h3', 'h4']) {
      let refused: unknown = null;
      for (let i = 0; i < 2_600 && !refused; i++)
        refused = await refusal(
          links.issue({ tenantId: tenant, teamId: `team-${i}`, userId: `m${Math.floor(i / 25)}` }, base, { url: `${base}/Patient?_page=2` }),
        );
      expect(refused).toMatchObject({ status: 429, code: 'rate_limited' });
    }
    expect(await links.issue({ tenantId: 'st-mary', teamId: 'team-1', userId: 'avery' }, base, { url: `${base}/Patient?_page=2` })).toMatch(TICKET);
  });

  it("one user searching in many teams holds PAGE_LINKS_PER_USER links: the oldest goes, never a colleague's", async () => {
    const links = createPageLinks();
    const base = 'https://ehr.example/fhir';
    const next = { url: `${base}/Patient?_page=2` };
    const holder = (teamId: string, userId = 'mallory') => ({ tenantId: 'h1', teamId, userId });
    const colleague = await links.issue(holder('team-0', 'avery'), base, next);
    const issued: string[] = [];
    for (let i = 0; i < PAGE_LINKS_PER_USER + 5; i++) issued.push(await links.issue(holder(`team-${i}`), base, next));
    // The first five went to make room; the last PAGE_LINKS_PER_USER still lead on.
    for (const [i, ticket] of issued.entries()) {
      const redeemed = refusal(links.redeem(ticket, holder(`team-${i}`), base));
      if (i < 5) expect(await redeemed).toMatchObject({ code: 'invalid_page' });
      else expect(await redeemed).toBeNull();
    }
    expect(await links.redeem(colleague, holder('team-0', 'avery'), base)).toEqual(next);
  });
});
