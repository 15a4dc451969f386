import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

/**
 * A list whose EHR read failed is recorded as what the caller got: a failure of each patient whose
 * row went out unavailable, with the EHR error's status, never a success.
 */

const RESOURCES = ['Patient', 'Observation', 'Encounter', 'Condition', 'AllergyIntolerance', 'MedicationRequest', 'Coverage'];

/** An open FHIR server (no token endpoint) with two patients: it answers well until `broken`, then 500 to everything but its metadata. */
async function startEhr() {
  const state = { broken: false };
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/fhir+json' });
    res.end(JSON.stringify(body));
  };
  const patient = (id: string) => ({
    resourceType: 'Patient',
    id,
    name: [{ family: 'Audited', given: [id] }],
    gender: 'female',
    birthDate: '1970-01-01',
  });
  const searchset = (resources: unknown[]) => ({ resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource })) });
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
      if (state.broken) return json(res, 500, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] });
      if (req.method === 'POST' && path === '/fhir') {
        const asked = (JSON.parse(Buffer.concat(chunks).toString()).entry as { request: { url: string } }[]).map((e) => e.request.url);
        const entry = asked.map((u) => ({
          resource: u.startsWith('Patient/')
            ? patient(u.slice(8))
            : u.startsWith('Patient?_id=')
              ? searchset(u.slice(12).split(',').map(patient))
              : searchset([]),
          response: { status: '200 OK' },
        }));
        return json(res, 200, { resourceType: 'Bundle', type: 'batch-response', entry });
      }
      if (path.startsWith('/fhir/Patient/')) return json(res, 200, patient(path.slice('/fhir/Patient/'.length)));
      if (path === '/fhir/Patient') {
        const ids = url.searchParams.get('_id');
        return json(res, 200, searchset((ids ? ids.split(',') : ['ehr-a', 'ehr-b']).map(patient)));
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
