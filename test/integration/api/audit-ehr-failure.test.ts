import { afterAll, beforeAll, expect, it } from 'vitest';
import { batchResponse, batchUrls, patientOf, searchset, startScriptedEhr } from '../../helpers/failing-ehr';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

/**
 * A list whose EHR read failed is recorded as what the caller got: a failure of each patient whose
 * row went out unavailable, with the EHR error's status, never a success.
 */

const RESOURCES = ['Patient', 'Observation', 'Encounter', 'Condition', 'AllergyIntolerance', 'MedicationRequest', 'Coverage'];

/** An open FHIR server (no token endpoint) with two patients: it answers well until `broken`, then 500 to everything but its metadata. */
async function startEhr() {
  const state = { broken: false };
  const patient = patientOf('Audited');
  const ehr = await startScriptedEhr(RESOURCES, (request) => {
    const path = request.url.pathname;
    if (state.broken) return [500, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] }];
    if (request.method === 'POST' && path === '/fhir') {
      const entry = batchUrls(request).map((u) => ({
        resource: u.startsWith('Patient/')
          ? patient(u.slice(8))
          : u.startsWith('Patient?_id=')
            ? searchset(u.slice(12).split(',').map(patient))
            : searchset([]),
        response: { status: '200 OK' },
      }));
      return [200, batchResponse(entry)];
    }
    if (path.startsWith('/fhir/Patient/')) return [200, patient(path.slice('/fhir/Patient/'.length))];
    if (path === '/fhir/Patient') {
      const ids = request.url.searchParams.get('_id');
      return [200, searchset((ids ? ids.split(',') : ['ehr-a', 'ehr-b']).map(patient))];
    }
    return [200, searchset([])];
  });
  return Object.assign(ehr, { state });
}

let server: TestServer;
let ehr: Awaited<ReturnType<typeof startEhr>>;
let who: ReturnType<typeof cast>;
const auditReader = (s: TestServer) => s.info.users.find((u) => u.name === 'Casey Lindqvist')!.id;

beforeAll(async () => {
  [server, ehr] = await Promise.all([startTestServer(), startEhr()]);
  who = cast(server.info);
});
afterAll(async () => {
  await server?.stop();
  await ehr?.close();
});

it('records a list view whose EHR answered 500 as a failure of each patient, with the EHR status, and no success', async () => {
  const base = `/api/teams/${who.team.id}`;
  const connected = await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: ehr.url, name: 'Failing EHR' });
  expect(connected.status).toBe(200);
  const list = (await server.api(who.member, 'POST', `${base}/lists`, { name: 'Broken EHR' })).body;
  const added = await server.api(who.member, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: ['ehr-a', 'ehr-b'] });
  expect(added.status).toBe(200);

  ehr.state.broken = true;
  const view = await server.api(who.member, 'GET', `${base}/lists/${list.id}`);
  expect(view.status).toBe(200);
  expect(view.body.ehrError).toBeDefined();
  expect(view.body.rows.map((r: { available: boolean }) => r.available)).toEqual([false, false]);

  const trail = await server.api(auditReader(server), 'GET', `/api/audit?user=${who.member}&operation=PatientListView`);
  const requests = [...new Set(trail.body.events.map((e: { requestId: string }) => e.requestId))];
  // The view the add answered with (the EHR still well), then the failed one.
  expect(requests).toHaveLength(2);
  const failed = trail.body.events.filter((e: { requestId: string }) => e.requestId === requests[1]);
  const status = { ehr_error: 502, ehr_unreachable: 502, ehr_timeout: 504 }[view.body.ehrError.code as string];
  expect(failed.map((e: Record<string, unknown>) => [e.patientId, e.outcome, e.status])).toEqual([
    ['ehr-a', 'failure', status],
    ['ehr-b', 'failure', status],
  ]);
  expect(status).toBeGreaterThanOrEqual(502);
});
