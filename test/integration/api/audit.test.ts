import { afterAll, beforeAll, expect, it } from 'vitest';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

let server: TestServer;
let who: ReturnType<typeof cast>;
const auditReader = (s: TestServer) => s.info.users.find((u) => u.name === 'Casey Lindqvist')!.id;

beforeAll(async () => {
  server = await startTestServer();
  who = cast(server.info);
});
afterAll(() => server?.stop());

it('records each audited action once, refusals as failures, with ids and no clinical data', async () => {
  const base = `/api/teams/${who.team.id}`;
  await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'Sandbox' });
  await server.api(who.member, 'PUT', `${base}/connection`, { mode: 'manual' });
  const found = (await server.api(who.member, 'GET', `${base}/patients?gender=female&count=2`)).body.patients;
  await server.api(who.member, 'GET', `${base}/patients/${found[0].id}`);
  const list = (await server.api(who.member, 'POST', `${base}/lists`, { name: 'Audited' })).body;
  await server.api(who.member, 'POST', `${base}/lists`, { name: '' });
  await server.api(who.member, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: found.map((p: { id: string }) => p.id) });
  await server.api(who.member, 'GET', `${base}/lists/${list.id}`);
  await server.api(who.member, 'DELETE', `${base}/lists/${list.id}/patients/${found[0].id}`);

  const res = await server.api(auditReader(server), 'GET', `/api/audit?user=${who.member}`);
  expect(res.status).toBe(200);
  const seen = res.body.events.map((e: Record<string, unknown>) => [e.operation, e.outcome, e.patientId ?? null]);
  const [a, b] = found.map((p: { id: string }) => p.id);
  // Each use case names the patients it returned or changed: a search its results, a list view
  // (also the one an add answers with) every patient on the list.
  expect(seen).toEqual([
    ['EHRConnectionSet', 'failure', null],
    ['PatientSearch', 'success', a],
    ['PatientSearch', 'success', b],
    ['PatientView', 'success', a],
    ['PatientListCreate', 'success', null],
    ['PatientListCreate', 'failure', null],
    ['PatientListAddPatient', 'success', a],
    ['PatientListAddPatient', 'success', b],
    ['PatientListView', 'success', a],
    ['PatientListView', 'success', b],
    ['PatientListView', 'success', a],
    ['PatientListView', 'success', b],
    ['PatientListRemovePatient', 'success', a],
  ]);
  for (const e of res.body.events) {
    expect(e).toMatchObject({
      tenantId: who.contoso.id,
      teamId: who.team.id,
      userId: who.member,
      requestId: expect.any(String),
      time: expect.any(String),
    });
  }
  expect(res.body.events[4].listId).toBe(list.id);
  const text = JSON.stringify(res.body);
  for (const p of found) expect(text).not.toContain(p.displayName);

  const views = await server.api(auditReader(server), 'GET', `/api/audit?patient=${found[0].id}&operation=PatientView`);
  expect(views.body.events).toHaveLength(1);
});

it('exports CSV for audit readers only, within their own tenant', async () => {
  expect((await server.api(who.member, 'GET', '/api/audit')).body.code).toBe('audit_reader_required');
  const res = await fetch(`${server.url}/api/audit?format=csv`, {
    headers: { authorization: `Bearer ${await server.tokenFor(auditReader(server))}` },
  });
  expect(res.headers.get('content-type')).toContain('text/csv');
  // Response.text() drops a BOM while decoding: read the bytes.
  const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
  expect(csv.startsWith('\uFEFFtime,operation,outcome,status,tenantId,teamId,userId,patientId,listId,requestId\r\n')).toBe(true);
  expect(csv).not.toContain(who.fabrikam.id);
  const other = who.fabrikam.teams[0].members.find((id) => server.info.users.find((u) => u.id === id)?.name === 'Finley Haddad')!;
  const theirs = await server.api(other, 'GET', '/api/audit');
  expect(theirs.body.events.every((e: { tenantId: string }) => e.tenantId === who.fabrikam.id)).toBe(true);
  expect((await server.api(auditReader(server), 'GET', '/api/audit?from=yesterday')).body.code).toBe('validation_failed');
});
