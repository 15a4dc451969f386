import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAppProcess } from '../../helpers/app-process';
import { batchResponse, batchUrls, patientOf, searchset, startScriptedEhr } from '../../helpers/failing-ehr';
import { cast, startTestSso, type DevInfo, type TestSso } from '../../helpers/test-server';

// An EHR that answers every search and batch with a Bundle of tens of thousands of entries (under
// the 20 MB answer limit) must not take the app down: the app runs as its own process here, so
// its memory can be watched while five loads of one list run at once, and another tenant's
// requests must keep answering meanwhile.

const MB = 1024 * 1024;
const PATIENTS = Array.from({ length: 10 }, (_, i) => `h${i}`);
const RESOURCES = ['Patient', 'Observation', 'Encounter', 'Condition', 'AllergyIntolerance', 'MedicationRequest', 'Coverage'];

/** A searchset of `n` small Observations, as bytes, built once. */
function bundleOf(n: number): Buffer {
  const entries = Array.from(
    { length: n },
    (_, i) =>
      `{"fullUrl":"urn:uuid:${i}","resource":{"resourceType":"Observation","id":"o${i}","status":"final","subject":{"reference":"Patient/h0"}},"search":{"mode":"match"}}`,
  );
  return Buffer.from(`{"resourceType":"Bundle","type":"searchset","entry":[${entries.join(',')}]}`);
}

type Mode = 'benign' | 'huge' | 'fallback';

/** The EHR: benign while the team connects and fills its list, then hostile. Open server: no token endpoint. */
async function startHostileEhr() {
  // 'huge': 60,000 entries (about 9 MB) for every search, read and batch. 'fallback': batches
  // refused (so entries are read one by one) and every single answer 25,000 entries, under 4 MB.
  const huge = bundleOf(60_000);
  const underSingleCap = bundleOf(25_000);
  const state = { mode: 'benign' as Mode };
  const patient = patientOf('Hostile');
  const ehr = await startScriptedEhr(RESOURCES, (request) => {
    const path = request.url.pathname;
    if (state.mode === 'huge') return [200, huge];
    if (state.mode === 'fallback') {
      if (request.method === 'POST' && path === '/fhir')
        return [400, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-supported' }] }];
      return [200, underSingleCap];
    }
    if (request.method === 'POST' && path === '/fhir') {
      const entry = batchUrls(request).map((u) => ({
        resource: u.startsWith('Patient/') ? patient(u.slice(8)) : searchset([]),
        response: { status: '200 OK' },
      }));
      return [200, batchResponse(entry)];
    }
    if (path.startsWith('/fhir/Patient/') && path !== '/fhir/Patient/_search') return [200, patient(path.slice('/fhir/Patient/'.length))];
    return [200, searchset(PATIENTS.map(patient))];
  });
  return Object.assign(ehr, { state });
}

const dataDir = mkdtempSync(join(tmpdir(), 'patients-hostile-'));
let sso: TestSso;
let child: ChildProcess | undefined;
let ehr: Awaited<ReturnType<typeof startHostileEhr>>;

beforeAll(async () => {
  sso = await startTestSso();
  ehr = await startHostileEhr();
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await ehr?.close();
  await sso?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The app as its own process (dev mode allows http loopback EHR links); what it prints is shown only if the test fails. */
function startApp(): Promise<string> {
  const app = startAppProcess({ ...sso.env, PORT: '0', DATA_DIR: dataDir, SANDBOX_PATIENTS: '5', STATIC_DIR: join(dataDir, 'no-tab') });
  child = app.child;
  return app.url;
}

/** Resident memory of the app's process, from /proc. */
function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

it('keeps five concurrent list loads from a hostile EHR under 512 MB, failing them with ehr_error, while another tenant keeps answering, each search within a second', async () => {
  const url = await startApp();
  const info = (await (await fetch(`${url}/dev/info`)).json()) as DevInfo;
  const who = cast(info);
  // Stops waiting for the loads as soon as the app has grown past the bound (the old code grew by 2 GB).
  const overBound = new AbortController();
  const call = async (user: string, method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { authorization: `Bearer ${await sso.tokenFor(url, user)}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: overBound.signal,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  // One team on the hostile EHR with a list of ten patients and every clinical column…
  const team = `/api/teams/${who.team.id}`;
  expect((await call(who.owner, 'PUT', `${team}/connection`, { mode: 'ehr', url: ehr.url, name: 'Hostile' })).status).toBe(200);
  const list = (await call(who.owner, 'POST', `${team}/lists`, { name: 'Rounds' })).body;
  const columns = ['name', 'heartRate', 'location', 'conditions', 'allergies', 'medications', 'coverage'];
  expect((await call(who.owner, 'PATCH', `${team}/lists/${list.id}`, { columns })).status).toBe(200);
  expect((await call(who.owner, 'POST', `${team}/lists/${list.id}/patients`, { patientIds: PATIENTS })).status).toBeLessThan(300);
  const calm = (await call(who.owner, 'GET', `${team}/lists/${list.id}`)).body;
  expect(calm.rows.map((r: { available: boolean }) => r.available)).toEqual(PATIENTS.map(() => true));

  // …and a team of another tenant on the app's own sandbox.
  const other = `/api/teams/${who.otherTenantTeam.id}`;
  expect((await call(who.otherTenantOwner, 'PUT', `${other}/connection`, { mode: 'ehr', url: info.sandbox.fhir.r4, name: 'Sandbox' })).status).toBe(
    200,
  );
  expect((await call(who.otherTenantOwner, 'GET', `${other}/patients?gender=male&count=3`)).status).toBe(200);

  const pid = child!.pid!;
  await new Promise((resolve) => setTimeout(resolve, 200));
  const idle = rssBytes(pid);
  let peak = idle;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, rssBytes(pid));
      if (peak - idle > 512 * MB) overBound.abort();
    } catch {
      // The process is gone: the test fails below.
    }
  }, 20);

  try {
    for (const mode of ['huge', 'fallback'] as const) {
      ehr.state.mode = mode;
      const asked = ehr.requests;
      let loading = true;
      const latencies: number[] = [];
      const otherTenant = (async () => {
        while (loading) {
          const started = performance.now();
          const res = await call(who.otherTenantOwner, 'GET', `${other}/patients?gender=male&count=3`);
          latencies.push(performance.now() - started);
          expect(res.status).toBe(200);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      })();
      // Awaited below; only when the loads are given up is it left behind (aborted).
      otherTenant.catch(() => undefined);
      const loads = await Promise.all(PATIENTS.slice(0, 5).map(() => call(who.owner, 'GET', `${team}/lists/${list.id}`)))
        .finally(() => {
          loading = false;
        })
        .catch((error: unknown) => {
          expect((peak - idle) / MB, 'memory above idle when the loads were given up (MB)').toBeLessThan(512);
          throw error;
        });
      await otherTenant;

      for (const load of loads) {
        expect(load.status).toBe(200);
        expect(load.body.ehrError).toMatchObject({ code: 'ehr_error', message: expect.stringContaining('far more than was asked for') });
        expect(load.body.rows).toHaveLength(PATIENTS.length);
        expect(load.body.rows.every((r: { available: boolean }) => !r.available)).toBe(true);
      }
      // The budget stops each load early: a few answers each, not one per entry (70 per load).
      expect(ehr.requests - asked).toBeLessThan(5 * 12);
      expect(latencies.length).toBeGreaterThan(0);
      // A starved event loop would hold them for the loads' whole length. An answer of far more
      // entries than the read's budget is refused from its plain layout before it is parsed.
      expect(Math.max(...latencies)).toBeLessThan(1000);
    }
  } finally {
    clearInterval(sampler);
  }
  expect(child!.exitCode).toBeNull();
  expect((peak - idle) / MB).toBeLessThan(512);
});
