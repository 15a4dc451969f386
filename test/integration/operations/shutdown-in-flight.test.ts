import { TableClient } from '@azure/data-tables';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createInFlightWork, ShuttingDownError } from '../../../server/platform/shutdown';
import { settleWithin } from '../../../server/start';
import { startAzurite, type Azurite } from '../../helpers/azurite';
import { captureLogs } from '../../helpers/log-capture';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

/**
 * When the shutdown grace period ends with a request still running, the request is ended in a
 * defined way: its connection is closed, the store work it has started (a change, then its audit
 * record in Azure Table Storage) finishes before the stores close, at most for a bounded time,
 * and a write acknowledged with a 2xx is there afterwards. The app is real, on 127.0.0.1, its
 * audit table azurite behind a front that holds audit writes as long as a test says.
 */
const logs = captureLogs();
let azurite: Azurite;
let front: Server;
/** How long the front holds the next audit write (POST) before passing it on; 0 passes at once. */
let holdNextWriteMs = 0;
let writeHeld: (() => void) | undefined;
const released: (() => void)[] = [];

beforeAll(async () => {
  azurite = await startAzurite();
  const target = new URL(azurite.tableEndpoint);
  front = createServer((req: IncomingMessage, res: ServerResponse) => {
    const pass = () => {
      const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (req.method === 'POST' && holdNextWriteMs > 0) {
      const ms = holdNextWriteMs;
      holdNextWriteMs = 0;
      writeHeld?.();
      const timer = setTimeout(pass, ms);
      released.push(() => {
        clearTimeout(timer);
        pass();
      });
    } else pass();
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
}, 60_000);
afterAll(async () => {
  for (const release of released) release();
  front?.closeAllConnections();
  await new Promise((resolve) => front?.close(resolve));
  await azurite?.stop();
});

let tables = 0;
async function appWithSlowAudit(): Promise<{ app: TestServer; records: () => Promise<string[]> }> {
  const tableName = `Audit${++tables}${Date.now()}`;
  const { port } = front.address() as AddressInfo;
  const connectionString = azurite.connectionString.replace(/TableEndpoint=[^;]+/, `TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1`);
  const app = await startTestServer({
    AUDIT_STORE: 'azure-table',
    AUDIT_TABLE_CONNECTION_STRING: connectionString,
    AUDIT_TABLE_NAME: tableName,
    HELD_ITEMS_TABLE_NAME: `Held${tables}${Date.now()}`,
    SANDBOX_PATIENTS: '1',
    SHUTDOWN_GRACE_MS: '200',
  });
  // Read straight from azurite, not through the front.
  const direct = TableClient.fromConnectionString(azurite.connectionString, tableName, { allowInsecureConnection: true });
  const records = async () => {
    const found: string[] = [];
    for await (const e of direct.listEntities<Record<string, unknown>>()) found.push(JSON.stringify(e));
    return found.filter((e) => e.includes('ListCreate'));
  };
  return { app, records };
}

const createList = async (app: TestServer, name: string) => {
  const who = cast(app.info);
  return fetch(`${app.url}/api/teams/${who.team.id}/lists`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await app.tokenFor(who.owner)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
};

/**
 * Creates a list whose audit record is held `holdMs`, and shuts the server down once the record is
 * on its way: what the client got (a status, or cut off) and how long the shutdown took.
 */
async function shutDownDuring(app: Awaited<ReturnType<typeof appWithSlowAudit>>['app'], name: string, holdMs: number) {
  holdNextWriteMs = holdMs;
  const held = new Promise<void>((resolve) => (writeHeld = resolve));
  const cut = createList(app, name).then(
    (res) => res.status,
    () => 'cut off' as const,
  );
  await held;
  const started = Date.now();
  await app.shutdown();
  return { cut, took: Date.now() - started };
}

it('waits for the change and audit record of a request cut off at the end of the grace period before closing the stores', async () => {
  const { app, records } = await appWithSlowAudit();
  // Acknowledged before the shutdown: its change and record are there.
  const before = await createList(app, 'Before');
  expect(before.status).toBe(201);
  expect(await records()).toHaveLength(1);

  // The next change is made, and its audit record is on its way, held 1.5 s: longer than the grace.
  const { cut, took } = await shutDownDuring(app, 'Rounds', 1500);

  // The client got no answer, so nothing was acknowledged: the connection was closed.
  expect(await cut).toBe('cut off');
  // The stores closed only after the record was written: both records are there as the shutdown ends.
  expect(await records()).toHaveLength(2);
  expect(took).toBeGreaterThanOrEqual(1000);
  expect(took).toBeLessThan(200 + 1500 + 2000);
  expect(logs.join('\n')).toContain('were cut off');
  expect(logs.join('\n')).not.toContain('abandoned');
}, 60_000);

it('abandons store work still running after a bounded wait, says so, and still ends', async () => {
  const { app } = await appWithSlowAudit();
  const { cut, took } = await shutDownDuring(app, 'Stuck', 60_000);
  expect(await cut).toBe('cut off');
  expect(took).toBeGreaterThanOrEqual(settleWithin(200));
  expect(took).toBeLessThan(200 + settleWithin(200) + 2000);
  const abandoned = logs.map((l) => JSON.parse(l) as { msg: string; abandoned?: number }).find((l) => l.abandoned !== undefined);
  expect(abandoned).toMatchObject({ abandoned: 1 });
  expect(abandoned!.msg).toContain('may lack its audit record');
}, 60_000);

it('within the App Service kill: the wait after the grace leaves a second of the 30 s', () => {
  expect(settleWithin(20_000)).toBe(5_000);
  expect(settleWithin(26_000)).toBe(3_000);
  expect(settleWithin(29_500)).toBe(0);
});

it('refuses store work a request starts after the grace period, and counts each page of a read as work', async () => {
  const work = createInFlightWork();
  let release!: () => void;
  const store = work.track({
    write: () => new Promise<string>((resolve) => (release = () => resolve('written'))),
    audit: {
      async *query() {
        yield 1;
        yield 2;
      },
    },
  });
  const pages = store.audit.query()[Symbol.asyncIterator]();
  expect(await pages.next()).toEqual({ done: false, value: 1 });
  const write = store.write();
  expect(work.running).toBe(1);
  const settled = work.settle(5_000);
  // Nothing new starts once the shutdown settles: no change, no page.
  expect(() => store.write()).toThrow(ShuttingDownError);
  await expect(pages.next()).rejects.toThrow(ShuttingDownError);
  release();
  expect(await write).toBe('written');
  expect(await settled).toEqual({ abandoned: 0 });
});
