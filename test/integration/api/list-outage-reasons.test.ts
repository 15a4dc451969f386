import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

/**
 * Why a list row cannot be shown, as the list answer says it: `gone` only for a patient the EHR
 * said it does not have, `failed` for one it did not give for any other reason. An EHR outage
 * must never make a ward's rows look gone: the tab offers to remove gone rows in bulk.
 */

const RESOURCES = ['Patient', 'Observation'];

/** An open FHIR server: `down` answers 503 to all but its metadata; `deleted` are 404, `flaky` 503, each on its own. */
async function startEhr() {
  const state = { down: false, deleted: new Set<string>(), flaky: new Set<string>() };
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/fhir+json' });
    res.end(JSON.stringify(body));
  };
  const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] };
  const patient = (id: string) => ({
    resourceType: 'Patient',
    id,
    name: [{ family: 'Ward', given: [id] }],
    gender: 'female',
    birthDate: '1970-01-01',
  });
  const searchset = (resources: unknown[]) => ({ resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource })) });
  /** Status and body of `Patient/{id}`. */
  const read = (id: string): [number, unknown] =>
    state.deleted.has(id)
      ? [404, { ...outcome, issue: [{ severity: 'error', code: 'not-found' }] }]
      : state.flaky.has(id)
        ? [503, outcome]
        : [200, patient(id)];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path = url.pathname;
      if (path === '/fhir/metadata')
        return json(res, 200, {
          resourceType: 'CapabilityStatement',
          status: 'active',
          fhirVersion: '4.0.1',
          rest: [{ mode: 'server', resource: RESOURCES.map((type) => ({ type })) }],
        });
      if (!path.startsWith('/fhir') || path.startsWith('/fhir/.well-known')) return json(res, 404, { resourceType: 'OperationOutcome', issue: [] });
      if (state.down) return json(res, 503, outcome);
      if (req.method === 'POST' && path === '/fhir') {
        const asked = (JSON.parse(Buffer.concat(chunks).toString()).entry as { request: { url: string } }[]).map((e) => e.request.url);
        const entry = asked.map((u) => {
          if (!u.startsWith('Patient/')) return { resource: searchset([]), response: { status: '200 OK' } };
          const [status, resource] = read(u.slice(8));
          return { resource, response: { status: `${status} ${status === 200 ? 'OK' : status === 404 ? 'Not Found' : 'Service Unavailable'}` } };
        });
        return json(res, 200, { resourceType: 'Bundle', type: 'batch-response', entry });
      }
      if (path.startsWith('/fhir/Patient/')) return json(res, ...read(path.slice('/fhir/Patient/'.length)));
      if (path === '/fhir/Patient') {
        const ids = url.searchParams.get('_id');
        return json(res, 200, searchset((ids ? ids.split(',') : ['w1']).map(patient)));
      }
      return json(res, 200, searchset([]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let server: TestServer;
let ehr: Awaited<ReturnType<typeof startEhr>>;
let who: ReturnType<typeof cast>;
let listUrl: string;
const ward = ['w1', 'w2', 'w3', 'w4', 'w5'];

beforeAll(async () => {
  [server, ehr] = await Promise.all([startTestServer(), startEhr()]);
  who = cast(server.info);
  const base = `/api/teams/${who.team.id}`;
  expect((await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: ehr.url, name: 'Ward EHR' })).status).toBe(200);
  const list = (await server.api(who.member, 'POST', `${base}/lists`, { name: 'Ward 5' })).body;
  expect((await server.api(who.member, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: ward })).status).toBe(200);
  listUrl = `${base}/lists/${list.id}`;
});
afterAll(async () => {
  await server?.stop();
  await ehr?.close();
});

const reasons = (rows: { patientId: string; available: boolean; unavailable?: string }[]) =>
  rows.map((r) => [r.patientId, r.available, r.unavailable]);

it('marks every row of a list read during an EHR outage (503) failed, never gone, with the EHR error', async () => {
  ehr.state.down = true;
  try {
    const view = await server.api(who.member, 'GET', listUrl);
    expect(view.status).toBe(200);
    expect(view.body.ehrError).toBeDefined();
    expect(reasons(view.body.rows)).toEqual(ward.map((id) => [id, false, 'failed']));
  } finally {
    ehr.state.down = false;
  }
});

it('marks gone only a patient the EHR says it does not have (404); one it fails to give (503) is failed', async () => {
  ehr.state.deleted.add('w2');
  ehr.state.flaky.add('w4');
  try {
    const view = await server.api(who.member, 'GET', listUrl);
    expect(view.status).toBe(200);
    expect(view.body.ehrError).toBeUndefined();
    expect(reasons(view.body.rows)).toEqual([
      ['w1', true, undefined],
      ['w2', false, 'gone'],
      ['w3', true, undefined],
      ['w4', false, 'failed'],
      ['w5', true, undefined],
    ]);
  } finally {
    ehr.state.deleted.clear();
    ehr.state.flaky.clear();
  }
});
