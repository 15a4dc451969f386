import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { listColumns } from '../../../contract/columns';
import { startAppProcess } from '../../helpers/app-process';
import { startSlowEhr, type SlowEhr } from '../../helpers/slow-ehr';
import { cast, startTestSso, type DevInfo, type TestSso } from '../../helpers/test-server';

// The app as its own process receives SIGTERM while a list answer waits on a slow EHR.
const dataDir = mkdtempSync(join(tmpdir(), 'patients-shutdown-'));
let sso: TestSso;
let ehr: SlowEhr;
let child: ChildProcess | undefined;
beforeAll(async () => {
  sso = await startTestSso();
  ehr = await startSlowEhr(12);
});
afterEach(() => {
  child?.kill('SIGKILL');
  ehr.latencyMs = 0;
});
afterAll(async () => {
  await ehr?.stop();
  await sso?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const exitOf = (c: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) resolve({ code: c.exitCode, signal: c.signalCode });
    else c.once('exit', (code, signal) => resolve({ code, signal }));
  });

/** Starts the app, connects a team to the EHR and fills a list with clinical columns. */
async function appWithList(graceMs: number) {
  const app = startAppProcess({
    ...sso.env,
    ...ehr.env,
    PORT: '0',
    DATA_DIR: join(dataDir, String(graceMs)),
    SANDBOX_PATIENTS: '1',
    STATIC_DIR: join(dataDir, 'no-tab'),
    SHUTDOWN_GRACE_MS: String(graceMs),
  });
  child = app.child;
  const url = await app.url;
  const info = (await (await fetch(`${url}/dev/info`)).json()) as DevInfo;
  const who = cast(info);
  const headers = { authorization: `Bearer ${await sso.tokenFor(url, who.owner)}`, 'content-type': 'application/json' };
  const base = `${url}/api/teams/${who.team.id}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    expect(res.status, `${method} ${path}`).toBeLessThan(300);
    return (await res.json()) as Record<string, unknown>;
  };
  await call('PUT', '/connection', { mode: 'ehr', url: `${ehr.origin}/sandbox/r4`, name: 'Slow EHR' });
  const found = (await call('GET', '/patients?gender=female&count=10')).patients as { id: string }[];
  const list = (await call('POST', '/lists', { name: 'Rounds' })) as { id: string };
  await call('PATCH', `/lists/${list.id}`, { columns: [...listColumns] });
  await call('POST', `/lists/${list.id}/patients`, { patientIds: found.map((p) => p.id) });
  return { url, child: app.child, listUrl: `${base}/lists/${list.id}`, headers, patients: found.length };
}

/** Whether a new connection to the app is refused, polled until it is or `withinMs` passes. */
async function refusedWithin(url: string, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    try {
      await fetch(`${url}/api/health`, { headers: { connection: 'close' } });
    } catch (err) {
      if ((err as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') return true;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

it('finishes a streaming list answer in flight after SIGTERM, refuses new connections meanwhile, then exits 0', async () => {
  const app = await appWithList(15_000);
  ehr.latencyMs = 1500;
  const fhirReached = ehr.nextFhirRequest();
  const answer = fetch(app.listUrl, { headers: { ...app.headers, accept: 'application/x-ndjson' } }).then(async (res) => ({
    status: res.status,
    lines: (await res.text()).trim().split('\n'),
  }));
  let answered = false;
  void answer.then(() => (answered = true));
  await fhirReached; // the answer is being built and waits on the EHR
  const exit = exitOf(app.child);
  app.child.kill('SIGTERM');

  expect(await refusedWithin(app.url, 1000)).toBe(true);
  expect(answered).toBe(false);
  const { status, lines } = await answer;
  expect(status).toBe(200);
  expect(lines).toHaveLength(app.patients + 2);
  expect(JSON.parse(lines.at(-1)!)).toEqual({ end: {} });
  const rows = lines.slice(1, -1).map((l) => JSON.parse(l) as { row: { cells: Record<string, unknown> } });
  expect(rows.every((r) => 'heartRate' in r.row.cells)).toBe(true);
  expect(await exit).toEqual({ code: 0, signal: null });
});

it('cuts what is still in flight when the grace period ends, and still exits 0', async () => {
  const app = await appWithList(300);
  ehr.latencyMs = 10_000;
  const fhirReached = ehr.nextFhirRequest();
  const answer = fetch(app.listUrl, { headers: { ...app.headers, accept: 'application/x-ndjson' } }).then(
    async (res) => (await res.text()).includes('"end"'),
    () => false,
  );
  await fhirReached;
  const sent = Date.now();
  const exit = exitOf(app.child);
  app.child.kill('SIGTERM');
  expect(await exit).toEqual({ code: 0, signal: null });
  // Gone before the EHR would have answered: the grace period, not the request, decided.
  expect(Date.now() - sent).toBeLessThan(ehr.latencyMs);
  expect(await answer).toBe(false);
});
