import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureLogs } from '../../helpers/log-capture';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

const logs = captureLogs();
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

interface RequestLine {
  msg: string;
  requestId: string;
  method: string;
  route: string;
  status: number;
  durationMs: number;
}
const requestLines = () => logs.map((l) => JSON.parse(l) as RequestLine).filter((l) => l.msg === 'request completed' || l.msg === 'request failed');

async function get(path: string, token?: string) {
  const res = await fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  await res.arrayBuffer();
  return { status: res.status, requestId: res.headers.get('x-request-id')! };
}

it('logs each answered request by its route template, with its request id, status and duration, and none of the path ids, query or token', async () => {
  const who = cast(server.info);
  const team = `/api/teams/${who.team.id}`;
  await server.api(who.owner, 'PUT', `${team}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'Sandbox' });
  const found = await server.api(who.owner, 'GET', `${team}/patients?gender=female&count=5`);
  const patient = (found.body as { patients: { id: string; mrn: string | null; displayName: string }[] }).patients[0];
  const family = patient.displayName.split(' ').at(-1)!;
  const token = await server.tokenFor(who.owner);
  logs.length = 0;

  const byName = await get(`${team}/patients?name=${encodeURIComponent(family)}`, token);
  const details = await get(`${team}/patients/${patient.id}/details`, token);
  const missing = await get(`/api/teams/${who.team.id}/no-such-thing/${patient.id}`, token);
  const refused = await get(`${team}/patients/${patient.id}`);

  const lines = requestLines();
  const of = (requestId: string) => lines.filter((l) => l.requestId === requestId);
  expect(of(byName.requestId)).toMatchObject([{ method: 'GET', route: '/api/teams/:teamId/patients', status: 200 }]);
  expect(of(details.requestId)).toMatchObject([{ method: 'GET', route: '/api/teams/:teamId/patients/:patientId/details', status: 200 }]);
  expect(of(missing.requestId)).toMatchObject([{ route: '/api/*', status: 404 }]);
  expect(of(refused.requestId)).toMatchObject([{ route: '/api/teams/:teamId/patients/:patientId', status: 401 }]);
  for (const l of lines) expect(typeof l.durationMs).toBe('number');

  const text = logs.join('');
  for (const secret of [patient.id, patient.displayName, family, who.team.id, token, 'name=', '?']) expect(text, secret).not.toContain(secret);
  if (patient.mrn) expect(text).not.toContain(patient.mrn);
});
