import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureLogs } from '../../helpers/log-capture';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

/**
 * DATA_DIR removed while the server runs (an admin's clean-up, a volume unmounted): SQLite keeps
 * the deleted file open and would take every change into it, acknowledged and lost at the next
 * start. Readiness says the store is down, and no change is acknowledged.
 */
const logs = captureLogs();
let server: TestServer;
let who: ReturnType<typeof cast>;
beforeAll(async () => {
  server = await startTestServer();
  who = cast(server.info);
});
afterAll(async () => {
  await server?.stop();
});

it('is not ready and acknowledges no change once the SQLite file is gone from DATA_DIR', async () => {
  const lists = `/api/teams/${who.team.id}/lists`;
  expect((await server.api(who.member, 'POST', lists, { name: 'Ward 4' })).status).toBe(201);
  expect((await server.api(null, 'GET', '/api/ready')).status).toBe(200);

  rmSync(server.dataDir, { recursive: true, force: true });
  // Past the readiness answer's reuse (2 s).
  await new Promise((r) => setTimeout(r, 2100));
  const ready = await fetch(`${server.url}/api/ready`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toEqual({ status: 'not_ready', checks: { store: 'failed', audit: 'failed', configuration: 'ok' } });

  const change = await fetch(`${server.url}${lists}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await server.tokenFor(who.member)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Ward 5' }),
  }).then(
    (res) => res.status,
    () => 'connection dropped',
  );
  expect(change === 'connection dropped' || change === 503).toBe(true);
  // The log says why, without a path of the machine.
  expect(logs.join('')).toContain('the SQLite file is no longer in DATA_DIR');
  expect(logs.join('')).not.toContain(server.dataDir);
});
