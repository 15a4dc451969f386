import { randomBytes } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExportTickets, TICKET_KNOWN_AFTER_EXPIRY_MS, type ExportGrant } from '../../../server/features/lists/export-tickets';
import type { ImportFile } from '../../../server/features/manual/import-file';
import { createImportUploads, type UploadOwner } from '../../../server/features/manual/import-uploads';
import { heldQuota, memoryHeldItems, MiB, type HeldItems } from '../../../server/platform/held-items';
import { Problem } from '../../../server/platform/problem';
import { auditTableClient } from '../../../server/storage/azure-table/table-audit-log';
import { openTableHeldItems, tableHeldItems } from '../../../server/storage/azure-table/table-held-items';
import { startAzurite, type Azurite } from '../../helpers/azurite';

/**
 * Download tickets and uploads waiting for their import, on both stores: this process's memory
 * (one instance: "both instances" are the same store) and Azure Table Storage (azurite), where
 * two store objects with their own table clients stand for two app instances.
 */

const SSO_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.sso-token-of-dr-kowalski.signature';
const MRN = 'MRN-40400417';

const grant: ExportGrant = {
  caller: { tenantId: 'tenant-1', userId: 'user-1', roles: [] },
  ssoToken: SSO_TOKEN,
  teamId: 'team-1',
  listId: 'list-1',
  timeZone: 'Europe/Warsaw',
};
const owner: UploadOwner = { tenantId: 'tenant-1', teamId: 'team-1', userId: 'owner-1' };
const file: ImportFile = {
  columns: ['MRN', 'Name', 'Bed'],
  rows: [
    { row: 2, cells: [MRN, 'Jadwiga Nowak', '7'] },
    { row: 3, cells: ['MRN-40400418', 'Piotr Zieliński', '8'] },
  ],
};

const refusal = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (err) {
    return err instanceof Problem ? { status: err.status, message: err.message } : err;
  }
  return null;
};

let azurite: Azurite;
let tables = 0;
const opened: HeldItems[] = [];
beforeAll(async () => {
  azurite = await startAzurite();
}, 60_000);
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await azurite?.stop();
});

interface Instances {
  a: HeldItems;
  b: HeldItems;
  clock: { now: number };
  /** The table's client, to read what the storage account holds (table store only). */
  table?: TableClient;
}

const stores: [string, () => Promise<Instances>][] = [
  [
    'memory (one instance)',
    async () => {
      const clock = { now: Date.now() };
      const store = memoryHeldItems({ now: () => clock.now });
      opened.push(store);
      return { a: store, b: store, clock };
    },
  ],
  [
    'Azure Table Storage (azurite, two instances)',
    async () => {
      const clock = { now: Date.now() };
      const settings = { connectionString: azurite.connectionString, tableName: `Held${++tables}`, now: () => clock.now, sweepMs: 0 };
      const a = await openTableHeldItems(settings);
      const b = await openTableHeldItems(settings);
      opened.push(a, b);
      return { a, b, clock, table: auditTableClient(settings) };
    },
  ],
];

describe.each(stores)('held items in %s', (_name, open) => {
  it('a download ticket issued by one instance is redeemed through the other, once, with who asked', async () => {
    const { a, b } = await open();
    const issued = await createExportTickets({ store: a }).issue(grant);
    expect(issued.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await createExportTickets({ store: b }).redeem(issued.ticket, 'team-1', 'list-1')).toEqual(grant);
    expect(await refusal(createExportTickets({ store: a }).redeem(issued.ticket, 'team-1', 'list-1'))).toEqual({
      status: 404,
      message: 'This download link was used already or does not exist. Export the list again from the tab.',
    });
  });

  it('a ticket redeemed through both instances at the same moment downloads once', async () => {
    const { a, b } = await open();
    for (let round = 0; round < 5; round++) {
      const { ticket } = await createExportTickets({ store: a }).issue(grant);
      const results = await Promise.allSettled([a, b, a, b].map((store) => createExportTickets({ store }).redeem(ticket, 'team-1', 'list-1')));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ status: 404 });
    }
  });

  it('a made-up, altered or malformed ticket is refused as unknown', async () => {
    const { a, b } = await open();
    const { ticket } = await createExportTickets({ store: a }).issue(grant);
    const altered = ticket.slice(0, 10) + (ticket[10] === 'A' ? 'B' : 'A') + ticket.slice(11);
    const tickets = createExportTickets({ store: b });
    for (const forged of [altered, randomBytes(32).toString('base64url'), 'short', '../../etc', ticket.slice(0, 42) + '=']) {
      expect(await refusal(tickets.redeem(forged, 'team-1', 'list-1'))).toMatchObject({
        status: 404,
        message: expect.stringMatching(/does not exist/),
      });
    }
    // The real one still works.
    expect((await tickets.redeem(ticket, 'team-1', 'list-1')).caller.userId).toBe('user-1');
  });

  it('a ticket used again is refused through either instance, naming its holder the first time only', async () => {
    const { a, b } = await open();
    const { ticket } = await createExportTickets({ store: a }).issue(grant);
    expect(await createExportTickets({ store: b }).redeem(ticket, 'team-1', 'list-1')).toEqual(grant);
    const again = await createExportTickets({ store: a })
      .redeem(ticket, 'team-1', 'list-1')
      .catch((e: unknown) => e);
    expect(again).toMatchObject({
      status: 404,
      message: expect.stringMatching(/used already/),
      ticketHolder: { caller: { tenantId: 'tenant-1', userId: 'user-1' }, teamId: 'team-1', listId: 'list-1' },
    });
    // A leaked link tried again and again adds one record: later tries name nobody.
    const later = await createExportTickets({ store: b })
      .redeem(ticket, 'team-1', 'list-1')
      .catch((e: unknown) => e);
    expect(later).toMatchObject({ status: 404 });
    expect((later as { ticketHolder?: unknown }).ticketHolder).toBeUndefined();
  });

  it('a ticket named with another team or list is refused, naming its holder, and spent', async () => {
    const { a, b } = await open();
    for (const [teamId, listId] of [
      ['team-2', 'list-1'],
      ['team-1', 'list-2'],
    ]) {
      const { ticket } = await createExportTickets({ store: a }).issue(grant);
      const wrong = await createExportTickets({ store: b })
        .redeem(ticket, teamId, listId)
        .catch((e: unknown) => e);
      expect(wrong).toMatchObject({ status: 404, ticketHolder: { caller: { userId: 'user-1' }, teamId: 'team-1', listId: 'list-1' } });
      expect(await refusal(createExportTickets({ store: a }).redeem(ticket, 'team-1', 'list-1'))).toMatchObject({ status: 404 });
    }
  });

  it('a ticket expires after a minute, said in plain words, on either instance', async () => {
    const { a, b, clock } = await open();
    const tickets = createExportTickets({ store: a });
    const first = await tickets.issue(grant);
    const second = await tickets.issue(grant);
    expect(first.expiresAt.getTime()).toBe(clock.now + 60_000);
    clock.now += 59_999;
    expect((await createExportTickets({ store: b }).redeem(first.ticket, 'team-1', 'list-1')).listId).toBe('list-1');
    clock.now += 1;
    expect(await refusal(createExportTickets({ store: b }).redeem(second.ticket, 'team-1', 'list-1'))).toEqual({
      status: 404,
      message: 'This download link has expired (links last a minute). Export the list again from the tab.',
    });
  });

  it('an instance holds up to its cap: expired tickets make room, live ones are never pushed out', async () => {
    const { a, b, clock } = await open();
    const tickets = createExportTickets({ store: a, quota: heldQuota({ items: 2, bytes: 64 * MiB }) });
    const of = (tenantId: string): ExportGrant => ({ ...grant, caller: { ...grant.caller, tenantId } });
    const first = await tickets.issue(grant);
    await tickets.issue(of('tenant-2'));
    expect(await refusal(tickets.issue(of('tenant-3')))).toMatchObject({ status: 503, message: expect.stringMatching(/Too many downloads/) });
    expect((await createExportTickets({ store: a }).redeem(first.ticket, 'team-1', 'list-1')).listId).toBe('list-1');
    const third = await tickets.issue(grant);
    // A ticket makes room once its holder is no longer known: a minute after the link expired.
    clock.now += 60_000 + TICKET_KNOWN_AFTER_EXPIRY_MS;
    expect((await tickets.issue(of('tenant-3'))).ticket).toMatch(/^[\w-]{43}$/);
    // The live ticket was not pushed out by the cap: it only expired.
    expect(await refusal(createExportTickets({ store: b }).redeem(third.ticket, 'team-1', 'list-1'))).toMatchObject({
      message: expect.stringMatching(/expired|does not exist/),
    });
  });

  it('an upload held by one instance is previewed and imported through the other, by its owner only, once', async () => {
    const { a, b } = await open();
    const token = await createImportUploads({ store: a }).hold(owner, 'ward.csv', file);
    const onB = createImportUploads({ store: b });
    expect(await onB.get(token, owner)).toEqual(file);
    // Previewed again: the upload stays.
    expect(await onB.get(token, owner)).toEqual(file);
    for (const stranger of [
      { ...owner, userId: 'someone-else' },
      { ...owner, teamId: 'team-2' },
      { ...owner, tenantId: 'tenant-2' },
    ]) {
      expect(await refusal(onB.get(token, stranger))).toMatchObject({ status: 404 });
      expect(await refusal(onB.take(token, stranger))).toMatchObject({ status: 404 });
    }
    const taken = await onB.take(token, owner);
    expect(taken.file).toEqual(file);
    // While it is being imported, a second confirmation through either instance finds nothing.
    expect(await refusal(createImportUploads({ store: a }).take(token, owner))).toEqual({
      status: 404,
      message: 'This upload has expired or was already imported (uploads are kept for 15 minutes). Upload the file again.',
    });
    // A refused import puts it back, for another try through either instance.
    await taken.putBack();
    const again = await createImportUploads({ store: a }).take(token, owner);
    await again.done();
    expect(await refusal(onB.get(token, owner))).toMatchObject({ status: 404 });
  });

  it("an owner's new upload for the team replaces their earlier one; other people's stay", async () => {
    const { a, b } = await open();
    const first = await createImportUploads({ store: a }).hold(owner, 'first.csv', file);
    const colleague = { ...owner, userId: 'owner-2' };
    const theirs = await createImportUploads({ store: a }).hold(colleague, 'theirs.csv', file);
    const second = await createImportUploads({ store: b }).hold(owner, 'second.csv', file);
    for (const store of [a, b]) {
      expect(await refusal(createImportUploads({ store }).get(first, owner))).toMatchObject({ status: 404 });
      expect(await createImportUploads({ store }).get(second, owner)).toEqual(file);
      expect(await createImportUploads({ store }).get(theirs, colleague)).toEqual(file);
    }
  });

  it('uploads imported through the other instance no longer count against the cap of the one that held them', async () => {
    const { a, b } = await open();
    const onA = createImportUploads({ store: a, quota: heldQuota({ items: 2, bytes: 64 * MiB, perUser: 3, replaceOldest: true }) });
    const first = await onA.hold(owner, 'first.csv', file);
    await onA.hold({ ...owner, tenantId: 'tenant-2', userId: 'owner-2' }, 'second.csv', file);
    expect(await refusal(onA.hold({ ...owner, tenantId: 'tenant-3', userId: 'owner-3' }, 'third.csv', file))).toMatchObject({
      status: 503,
      message: expect.stringMatching(/Too many imports/),
    });
    await (await createImportUploads({ store: b }).take(first, owner)).done();
    expect(await onA.hold({ ...owner, tenantId: 'tenant-3', userId: 'owner-3' }, 'third.csv', file)).toMatch(/^[\w-]{43}$/);
    expect(await refusal(onA.hold({ ...owner, tenantId: 'tenant-4', userId: 'owner-4' }, 'fourth.csv', file))).toMatchObject({ status: 503 });
  });

  it("one organisation asking again and again fills its own share only: another's downloads and uploads still go through", async () => {
    const { a } = await open();
    const tickets = createExportTickets({ store: a, quota: heldQuota({ items: 32, bytes: 64 * MiB }) });
    const of = (tenantId: string): ExportGrant => ({ ...grant, caller: { ...grant.caller, tenantId } });
    // A sixteenth of the cap for one tenant.
    for (let i = 0; i < 2; i++) await tickets.issue(of('hostile-tenant'));
    expect(await refusal(tickets.issue(of('hostile-tenant')))).toMatchObject({
      status: 429,
      message: expect.stringMatching(/^Your organization has/),
    });
    expect((await tickets.issue(grant)).ticket).toMatch(/^[\w-]{43}$/);
    // Uploads: a sixteenth of the cap for one tenant too.
    const uploads = createImportUploads({ store: a, quota: heldQuota({ items: 32, bytes: 64 * MiB, perUser: 3, replaceOldest: true }) });
    for (const userId of ['h-1', 'h-2']) await uploads.hold({ tenantId: 'hostile-tenant', teamId: 'team-h', userId }, 'x.csv', file);
    expect(await refusal(uploads.hold({ tenantId: 'hostile-tenant', teamId: 'team-h', userId: 'h-3' }, 'x.csv', file))).toMatchObject({
      status: 429,
    });
    expect(await uploads.hold(owner, 'ward.csv', file)).toMatch(/^[\w-]{43}$/);
  });

  it('an upload expires after 15 minutes', async () => {
    const { a, b, clock } = await open();
    const token = await createImportUploads({ store: a }).hold(owner, 'ward.csv', file);
    clock.now += 15 * 60_000 - 1;
    expect(await createImportUploads({ store: b }).get(token, owner)).toEqual(file);
    clock.now += 1;
    expect(await refusal(createImportUploads({ store: b }).get(token, owner))).toMatchObject({
      status: 404,
      message: expect.stringMatching(/expired/),
    });
    expect(await refusal(createImportUploads({ store: a }).take(token, owner))).toMatchObject({ status: 404 });
  });

  it('a file of the largest size comes back whole through the other instance', async () => {
    const { a, b } = await open();
    // Random cells do not compress: about 3 MB, more than one table entity holds.
    const big: ImportFile = {
      columns: ['A', 'B', 'C', 'D', 'E', 'F'],
      rows: Array.from({ length: 10_000 }, (_, i) => ({ row: i + 2, cells: Array.from({ length: 6 }, () => randomBytes(36).toString('base64')) })),
    };
    const token = await createImportUploads({ store: a }).hold(owner, 'big.xlsx', big);
    const taken = await createImportUploads({ store: b }).take(token, owner);
    expect(taken.file).toEqual(big);
    await taken.done();
  });
});

describe('held items in Azure Table Storage: what the storage account sees', () => {
  const openTable = async () => {
    const clock = { now: Date.now() };
    const settings = { connectionString: azurite.connectionString, tableName: `Held${++tables}`, now: () => clock.now, sweepMs: 0 };
    const store = await openTableHeldItems(settings);
    opened.push(store);
    return { store, clock, table: auditTableClient(settings) };
  };
  const everything = async (table: TableClient) => {
    const rows: Record<string, unknown>[] = [];
    for await (const row of table.listEntities()) rows.push(row);
    return rows;
  };
  /** Every byte and character the table holds, keys and properties, binary ones as raw bytes. */
  const rawText = (rows: Record<string, unknown>[]) =>
    Buffer.concat(
      rows.flatMap((row) =>
        Object.entries(row).flatMap(([key, value]) => [
          Buffer.from(key),
          value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(String(value)),
        ]),
      ),
    );

  it('holds neither the SSO token, nor an MRN, nor the ticket: only sealed bytes under the ticket’s hash', async () => {
    const { store, table } = await openTable();
    const { ticket } = await createExportTickets({ store }).issue(grant);
    const token = await createImportUploads({ store }).hold(owner, 'ward.csv', file);
    const rows = await everything(table);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const raw = rawText(rows);
    for (const secret of [SSO_TOKEN, 'sso-token-of-dr-kowalski', MRN, 'Jadwiga', ticket, token, 'user-1', 'owner-1', 'Europe/Warsaw'])
      expect(raw.includes(Buffer.from(secret)), secret).toBe(false);
    for (const key of rows.map((r) => String(r.partitionKey))) expect(key).toMatch(/^(export|upload)-(slot-)?[0-9a-f]{64}$/);
    // And the same bytes still open with the ticket.
    expect((await createExportTickets({ store }).redeem(ticket, 'team-1', 'list-1')).ssoToken).toBe(SSO_TOKEN);
  });

  it('an item changed in the table, or given a later expiry there, no longer opens', async () => {
    const { store, table, clock } = await openTable();
    const tickets = createExportTickets({ store });
    const flipped = await tickets.issue(grant);
    const extended = await tickets.issue(grant);
    const heads = (await everything(table)).filter((r) => r.rowKey === '0');
    expect(heads).toHaveLength(2);
    const [first, second] = heads;
    const data = Buffer.from(first.d0 as Uint8Array);
    data[5] ^= 1;
    await table.updateEntity({ partitionKey: String(first.partitionKey), rowKey: '0', d0: new Uint8Array(data) }, 'Merge');
    const later = new Date(clock.now + 3_600_000);
    await table.updateEntity({ partitionKey: String(second.partitionKey), rowKey: '0', expiresAt: later }, 'Merge');
    const results = await Promise.all([flipped, extended].map((t) => refusal(tickets.redeem(t.ticket, 'team-1', 'list-1'))));
    for (const result of results) expect(result).toMatchObject({ status: 404, message: expect.stringMatching(/does not exist/) });
  });

  it('a confirmation that read an upload before another import took it and put it back does not take it too (ETag)', async () => {
    const { store: a, table, clock } = await openTable();
    // Instance b's table client holds its first delete until instance a has taken the upload and put it back.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reachedDelete!: () => void;
    const atDelete = new Promise<void>((resolve) => (reachedDelete = resolve));
    let held = false;
    const slowClient = new Proxy(table, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (key !== 'deleteEntity' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          if (!held) {
            held = true;
            reachedDelete();
            await gate;
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const b = tableHeldItems(slowClient, { now: () => clock.now, sweepMs: 0 });
    const token = await createImportUploads({ store: a }).hold(owner, 'ward.csv', file);
    const late = createImportUploads({ store: b }).take(token, owner);
    await atDelete;
    const first = await createImportUploads({ store: a }).take(token, owner);
    await first.putBack();
    release();
    expect(await refusal(late)).toMatchObject({ status: 404 });
    // The upload put back is still there for its owner.
    expect(await createImportUploads({ store: a }).get(token, owner)).toEqual(file);
  });

  it('each instance sweeps expired items by itself, and stops when closed', async () => {
    const clock = { now: Date.now() };
    const settings = { connectionString: azurite.connectionString, tableName: `Held${++tables}`, now: () => clock.now, sweepMs: 100 };
    const store = await openTableHeldItems(settings);
    const table = auditTableClient(settings);
    await createExportTickets({ store }).issue(grant);
    expect(await everything(table)).toHaveLength(1);
    // A link lasts a minute and its holder is known a minute longer; the table then keeps it a minute as expired.
    clock.now += 181_000;
    await expect.poll(() => everything(table), { timeout: 5_000 }).toEqual([]);
    await store.close();
    await createExportTickets({ store: tableHeldItems(table, { now: () => clock.now, sweepMs: 0 }) }).issue(grant);
    clock.now += 181_000;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await everything(table)).toHaveLength(1);
  });

  it('expired items are swept from the table, a bounded number at a time', async () => {
    const { store, table, clock } = await openTable();
    const tickets = createExportTickets({ store });
    // From as many users: one user holds at most EXPORT_TICKETS_PER_USER at once.
    const of = (n: number): ExportGrant => ({ ...grant, caller: { ...grant.caller, userId: `user-${n}` } });
    for (let i = 0; i < 203; i += 20) await Promise.all(Array.from({ length: Math.min(20, 203 - i) }, (_, j) => tickets.issue(of(i + j))));
    await createImportUploads({ store }).hold(owner, 'ward.csv', file);
    const sweeper = tableHeldItems(table, { now: () => clock.now, sweepMs: 0 });
    // Not yet: a link's holder is known a minute past its expiry, and links past that still say "expired" when used.
    clock.now += 121_000;
    expect(await sweeper.sweep()).toBe(0);
    clock.now += 60_000;
    // At most 200 entities a sweep; the next one takes the rest.
    expect(await sweeper.sweep()).toBe(200);
    expect(await sweeper.sweep()).toBe(3);
    expect((await everything(table)).map((r) => String(r.partitionKey).split('-')[0]).sort()).toEqual(['upload', 'upload']);
    clock.now += 15 * 60_000;
    expect(await sweeper.sweep()).toBe(2);
    expect(await everything(table)).toEqual([]);
    await sweeper.close();
  });
});
