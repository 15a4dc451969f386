import Database from 'better-sqlite3';
import { TableClient } from '@azure/data-tables';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../contract/audit';
import { continuationToken } from '../../../server/features/audit/audit-token';
import { partitionKey } from '../../../server/storage/azure-table/audit-keys';
import { openTableAuditLog } from '../../../server/storage/azure-table/table-audit-log';
import { sqliteAuditLog } from '../../../server/storage/sqlite/sqlite-audit-log';
import { startAzurite, type Azurite } from '../../helpers/azurite';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';
import { event } from './audit-log-contract';

/**
 * Reading the audit trail page by page through the API (`next`, `after`): every matching record
 * exactly once, in order, even when many share a millisecond (a patient search writes one record
 * per patient, all at one time), on each audit store.
 */
interface Setup {
  server: TestServer;
  /** Appends records where this server keeps its trail, as another writer would. */
  seed(events: AuditEvent[]): Promise<void>;
  stop(): Promise<void>;
  /** The emulator, when the trail is in Azure Table Storage. */
  azurite?: Azurite;
}

const TABLE = 'PagingAudit';

const stores: [string, () => Promise<Setup>][] = [
  [
    'SQLite',
    async () => {
      const server = await startTestServer();
      return {
        server,
        async seed(events) {
          const db = new Database(join(server.dataDir, 'patients.sqlite'));
          await sqliteAuditLog(db).append(...events);
          db.close();
        },
        stop: () => server.stop(),
      };
    },
  ],
  [
    'Azure Table Storage (azurite)',
    async () => {
      const azurite: Azurite = await startAzurite();
      const server = await startTestServer({
        AUDIT_STORE: 'azure-table',
        AUDIT_TABLE_CONNECTION_STRING: azurite.connectionString,
        AUDIT_TABLE_NAME: TABLE,
      });
      const log = await openTableAuditLog({ connectionString: azurite.connectionString, tableName: TABLE });
      return {
        server,
        seed: (events) => log.append(...events),
        async stop() {
          await server.stop();
          await azurite.stop();
        },
        azurite,
      };
    },
  ],
];

interface Page {
  status: number;
  body: { events: AuditEvent[]; more?: true; next?: string; code?: string; fields?: string[]; message?: string };
}

describe.each(stores)('%s', (_name, start) => {
  let setup: Setup;
  let server: TestServer;
  let who: ReturnType<typeof cast>;
  const reader = () => server.info.users.find((u) => u.name === 'Casey Lindqvist')!.id;
  const read = async (query: string): Promise<Page> => server.api(reader(), 'GET', `/api/audit?${query}`);

  /** Every page of a query, following `next` until an answer has none. */
  async function allPages(query: string, limit: number): Promise<Page[]> {
    const pages: Page[] = [];
    let after: string | undefined;
    do {
      const page = await read(`${query}&limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      expect(page.status).toBe(200);
      pages.push(page);
      after = page.body.next;
      expect(pages.length).toBeLessThan(100);
    } while (after);
    return pages;
  }

  beforeAll(async () => {
    setup = await start();
    server = setup.server;
    who = cast(server.info);
  }, 120_000);
  afterAll(() => setup?.stop());

  let searchTime: string;
  let searched: AuditEvent[];
  it('pages through the records of one millisecond, every record once, in order, the last page without a token', async () => {
    const base = `/api/teams/${who.team.id}`;
    await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'Sandbox' });
    const found = await server.api(who.member, 'GET', `${base}/patients?gender=female&count=20`);
    expect(found.status).toBe(200);
    const all = await read('operation=PatientSearch&limit=1000');
    searched = all.body.events;
    searchTime = searched[0].time;
    // One record per patient found, all written in the same millisecond.
    expect(searched.length).toBeGreaterThanOrEqual(7);
    expect(searched.every((e) => e.time === searchTime)).toBe(true);

    const query = `from=${searchTime}&to=${searchTime}&operation=PatientSearch`;
    const pages = await allPages(query, 3);
    expect(pages.length).toBe(Math.ceil(searched.length / 3));
    expect(pages.flatMap((p) => p.body.events)).toEqual(searched);
    for (const page of pages.slice(0, -1)) {
      expect(page.body.events).toHaveLength(3);
      expect(page.body.more).toBe(true);
      expect(page.body.next).toEqual(expect.any(String));
    }
    const last = pages.at(-1)!.body;
    expect(last.more).toBeUndefined();
    expect(last.next).toBeUndefined();
    // The token names no patient and no filter's value.
    for (const page of pages.slice(0, -1)) {
      for (const e of searched) expect(page.body.next).not.toContain(e.patientId!);
      expect(Buffer.from(page.body.next!.split('.')[1] ?? '', 'base64url').toString()).not.toMatch(/PatientSearch|female/);
    }
    // A page the size of the rest ends without a token, and `more` agrees; the page size may change from page to page.
    const first = await read(`${query}&limit=2`);
    const rest = await read(`${query}&limit=${searched.length - 2}&after=${encodeURIComponent(first.body.next!)}`);
    expect([...first.body.events, ...rest.body.events]).toEqual(searched);
    expect(rest.body).not.toHaveProperty('more');
    expect(rest.body).not.toHaveProperty('next');
  });

  it('continues across records of other writers in the same millisecond, and across midnight', async () => {
    // Records of another writer (on Azure, another instance of the app) at the search's time, and around a midnight.
    const extra = Array.from({ length: 5 }, (_, i) =>
      event({ tenantId: who.contoso.id, time: searchTime, operation: 'PatientSearch', requestId: `other-${i}`, patientId: `o${i}` }),
    );
    await setup.seed(extra);
    if (setup.azurite) {
      // Row keys of two other instances, before and after this one's sequence numbers.
      const client = TableClient.fromConnectionString(setup.azurite.connectionString, TABLE, { allowInsecureConnection: true });
      const { listId: _none, ...record } = event({ tenantId: who.contoso.id, time: searchTime, operation: 'PatientSearch' });
      const entity = (seq: string, instance: string, i: number) => ({
        partitionKey: partitionKey(who.contoso.id, searchTime),
        rowKey: `${searchTime}|${seq}|${instance}`,
        ...record,
        requestId: `instance-${i}`,
        patientId: `i${i}`,
      });
      await client.createEntity(entity('000000000000', '00000000', 0));
      await client.createEntity(entity('999999999999', 'ffffffff', 1));
      await client.createEntity(entity('999999999999', '00000000', 2));
    }
    const query = `from=${searchTime}&to=${searchTime}&operation=PatientSearch`;
    const everything = (await read(`${query}&limit=1000`)).body.events;
    expect(everything.length).toBe(searched.length + extra.length + (setup.azurite ? 3 : 0));
    for (const limit of [1, 2, 4]) expect((await allPages(query, limit)).flatMap((p) => p.body.events)).toEqual(everything);

    const midnight = Date.UTC(2026, 2, 14);
    const around = [-1, -1, -1, 0, 0, 0, 1].map((offset, i) =>
      event({ tenantId: who.contoso.id, time: new Date(midnight + offset).toISOString(), requestId: `night-${i}`, patientId: `n${i}` }),
    );
    await setup.seed(around.slice(0, 2));
    await setup.seed(around.slice(2));
    // Day by day (a range of days), and as one range scan (a long or open range).
    for (const range of ['from=2026-03-13&to=2026-03-14', 'from=2026-01-01&to=2026-06-30', `user=${around[0].userId}&patient=n1`]) {
      const pages = await allPages(range, 2);
      const all = (await read(`${range}&limit=1000`)).body.events;
      expect(pages.flatMap((p) => p.body.events)).toEqual(all);
      expect(all.length).toBe(range.startsWith('user') ? 1 : around.length);
    }
  });

  it('refuses a token with other filters, a malformed or altered one, and one with CSV: 400, recorded as a refused read, nothing read', async () => {
    const forged = (key: string) =>
      encodeURIComponent(continuationToken({ tenantId: who.contoso.id, from: searchTime, to: searchTime, operation: 'PatientSearch' }, key));
    const query = `from=${searchTime}&to=${searchTime}&operation=PatientSearch`;
    const first = await read(`${query}&limit=2`);
    const token = first.body.next!;
    expect(token).toEqual(expect.any(String));
    const after = `after=${encodeURIComponent(token)}`;
    const refusals: [string, string, RegExp][] = [
      ['other operation', `from=${searchTime}&to=${searchTime}&operation=PatientView&${after}`, /other filters/],
      ['no operation', `from=${searchTime}&to=${searchTime}&${after}`, /other filters/],
      ['other to', `from=${searchTime}&to=2099-01-01&operation=PatientSearch&${after}`, /other filters/],
      ['a patient', `${query}&patient=p1&${after}`, /other filters/],
      ['another team', `${query}&team=${who.team.id}&${after}`, /other filters/],
      ['garbage', `${query}&after=garbage`, /not a continuation token/],
      ['garbage with dots', `${query}&after=a1.abc.def`, /not a continuation token/],
      ['an altered key', `${query}&after=${encodeURIComponent(alter(token, 1))}`, /not a continuation token|other filters/],
      ['an altered check', `${query}&after=${encodeURIComponent(alter(token, 2))}`, /not a continuation token|other filters/],
      // A token with a right check around a key its store never gives (made outside the app): the store refuses it.
      ['a key of no record', `${query}&after=${forged(`${searchTime}|1`)}`, /not a continuation token/],
      [
        'a key of the other store',
        `${query}&after=${forged(`${searchTime}|000000000001${setup.azurite ? '' : '|0a0b0c0d'}`)}`,
        /not a continuation token/,
      ],
      ['CSV', `${query}&format=csv&${after}`, /CSV/],
    ];
    for (const [what, q, message] of refusals) {
      const res = await server.api(reader(), 'GET', `/api/audit?${q}`);
      expect(res.status, what).toBe(400);
      expect(res.body, what).toMatchObject({ code: 'validation_failed', fields: ['after'], message: expect.stringMatching(message) });
    }
    // The same filters in another spelling are the same read: `to` to the millisecond it covers, `from` in another zone.
    const plus = new Date(Date.parse(searchTime) + 3_600_000).toISOString().replace('Z', '+01:00');
    const same = await read(`from=${encodeURIComponent(plus)}&to=${searchTime}&operation=PatientSearch&limit=1000&${after}`);
    expect(same.status).toBe(200);
    expect(same.body.events).toEqual((await read(`${query}&limit=1000`)).body.events.slice(2));

    // Each refused read is recorded as today's refusals are: a failed AuditView with its status, and no success.
    const trail = (await read('operation=AuditView&limit=1000')).body.events;
    const refused = trail.filter((e) => e.outcome === 'failure');
    expect(refused).toHaveLength(refusals.length - 1);
    for (const e of refused) {
      expect(e.status).toBe(400);
      expect(trail.filter((s) => s.requestId === e.requestId && s.outcome === 'success')).toEqual([]);
    }
    // The CSV one as a refused export.
    const csv = (await read('operation=AuditExport&limit=1000')).body.events;
    expect(csv.map((e) => [e.outcome, e.status])).toEqual([['failure', 400]]);
  });
});

/** The token with one character of its `part` (1 the key, 2 the check) changed, still base64url. */
function alter(token: string, part: number): string {
  const parts = token.split('.');
  const s = parts[part];
  const i = Math.floor(s.length / 2);
  parts[part] = s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  return parts.join('.');
}
