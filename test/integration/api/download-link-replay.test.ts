import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditEventsOf, auditReader, callAs } from '../../helpers/audit-records';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

// A download link is spent by its first use. Used again (browser history, a shared screen, a
// proxy's log: the link leaked) it is refused, and the attempt is in the trail of whoever held
// it, as a late use is: the first time only, so a link tried again and again adds one record.
let server: TestServer;
let who: ReturnType<typeof cast>;
let base: string;
let listId: string;

beforeAll(async () => {
  server = await startTestServer();
  who = cast(server.info);
  base = `/api/teams/${who.team.id}`;
  await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'EHR' });
  const patientId = (await server.api(who.owner, 'GET', `${base}/patients?gender=female&count=1`)).body.patients[0].id as string;
  listId = (await server.api(who.owner, 'POST', `${base}/lists`, { name: 'Ward' })).body.id as string;
  await server.api(who.owner, 'POST', `${base}/lists/${listId}/patients`, { patientIds: [patientId] });
});
afterAll(() => server?.stop());

/** Opens a link as Teams does: no token. */
async function open(url: string) {
  const res = await fetch(`${server.url}${url}`);
  const text = await res.text();
  return { status: res.status, text, requestId: res.headers.get('x-request-id')! };
}

it("records a list's download link used again in its holder's trail, once", async () => {
  const link = await callAs(server, who.member, 'POST', `${base}/lists/${listId}/export`, { timeZone: 'UTC' });
  expect((await open(link.body.url as string)).status).toBe(200);

  const replay = await open(link.body.url as string);
  expect(replay.status).toBe(404);
  expect(replay.text).not.toContain('Name,MRN');
  expect(await auditEventsOf(server, replay.requestId)).toEqual([
    expect.objectContaining({
      operation: 'ExportInitiation',
      outcome: 'failure',
      status: 404,
      userId: who.member,
      teamId: who.team.id,
      listId,
      patientId: null,
    }),
  ]);

  const again = await open(link.body.url as string);
  expect(again.status).toBe(404);
  expect(await auditEventsOf(server, again.requestId)).toEqual([]);
});

it("records the audit trail's download link used again in its reader's trail, once", async () => {
  const reader = auditReader(server);
  const link = await callAs(server, reader, 'POST', '/api/audit/export', {});
  expect((await open(link.body.url as string)).status).toBe(200);

  const replay = await open(link.body.url as string);
  expect(replay.status).toBe(404);
  expect(await auditEventsOf(server, replay.requestId)).toEqual([
    expect.objectContaining({ operation: 'AuditExport', outcome: 'failure', status: 404, userId: reader, tenantId: who.contoso.id }),
  ]);

  const again = await open(link.body.url as string);
  expect(again.status).toBe(404);
  expect(await auditEventsOf(server, again.requestId)).toEqual([]);
});
