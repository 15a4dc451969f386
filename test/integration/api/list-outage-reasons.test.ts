import { afterAll, beforeAll, expect, it } from 'vitest';
import { batchResponse, batchUrls, patientOf, searchset, startScriptedEhr, type EhrAnswer } from '../../helpers/failing-ehr';
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
  const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] };
  const patient = patientOf('Ward');
  /** Status and body of `Patient/{id}`. */
  const read = (id: string): EhrAnswer =>
    state.deleted.has(id)
      ? [404, { ...outcome, issue: [{ severity: 'error', code: 'not-found' }] }]
      : state.flaky.has(id)
        ? [503, outcome]
        : [200, patient(id)];
  const ehr = await startScriptedEhr(RESOURCES, (request) => {
    const path = request.url.pathname;
    if (state.down) return [503, outcome];
    if (request.method === 'POST' && path === '/fhir') {
      const entry = batchUrls(request).map((u) => {
        if (!u.startsWith('Patient/')) return { resource: searchset([]), response: { status: '200 OK' } };
        const [status, resource] = read(u.slice(8));
        return { resource, response: { status: `${status} ${status === 200 ? 'OK' : status === 404 ? 'Not Found' : 'Service Unavailable'}` } };
      });
      return [200, batchResponse(entry)];
    }
    if (path.startsWith('/fhir/Patient/')) return read(path.slice('/fhir/Patient/'.length));
    if (path === '/fhir/Patient') {
      const ids = request.url.searchParams.get('_id');
      return [200, searchset((ids ? ids.split(',') : ['w1']).map(patient))];
    }
    return [200, searchset([])];
  });
  return Object.assign(ehr, { state });
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
