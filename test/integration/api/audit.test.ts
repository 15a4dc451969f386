import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AUDIT_VIEW_LIMIT } from '../../../contract/audit';
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
  // Adding one the EHR does not have with one it has: nothing is added, and both are named.
  await server.api(who.member, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: ['no-such-patient-77', found[0].id] });
  // A move, recorded on the list it leaves and, as an addition, on the list it joins.
  const second = (await server.api(who.member, 'POST', `${base}/lists`, { name: 'Second' })).body;
  await server.api(who.member, 'POST', `${base}/lists/${list.id}/patients/${found[1].id}/move`, { toListId: second.id });

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
    ['PatientListAddPatient', 'failure', 'no-such-patient-77'],
    ['PatientListAddPatient', 'failure', a],
    ['PatientListCreate', 'success', null],
    ['PatientListMovePatient', 'success', b],
    ['PatientListAddPatient', 'success', b],
  ]);
  const [moved, joined] = res.body.events.slice(-2);
  expect([moved.listId, joined.listId]).toEqual([list.id, second.id]);
  expect(moved.requestId).toBe(joined.requestId);
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

it('says when a screenful leaves records out, and exports every record; a team is found in any letter case; `to` is inclusive', async () => {
  // A busy tenant's day, written where the trail is (the store's own table), past the screenful.
  const db = new Database(join(server.dataDir, 'patients.sqlite'));
  const insert = db.prepare(
    `INSERT INTO audit_events (time, operation, outcome, status, tenant_id, team_id, user_id, patient_id, list_id, request_id)
     VALUES (?, 'PatientView', 'success', 200, ?, ?, 'bulk-reader', ?, NULL, ?)`,
  );
  const count = AUDIT_VIEW_LIMIT + 10;
  db.transaction(() => {
    for (let i = 0; i < count; i++)
      insert.run(new Date(Date.UTC(2020, 0, 1) + i * 1000).toISOString(), who.contoso.id, who.team.id, `p-${i}`, randomUUID());
  })();
  db.close();
  const reader = auditReader(server);

  const screen = await server.api(reader, 'GET', '/api/audit?user=bulk-reader');
  expect(screen.body.events).toHaveLength(AUDIT_VIEW_LIMIT);
  expect(screen.body.more).toBe(true);
  const asked = await server.api(reader, 'GET', '/api/audit?user=bulk-reader&limit=10');
  expect(asked.body).toMatchObject({ more: true });
  expect(asked.body.events).toHaveLength(10);
  const whole = await server.api(reader, 'GET', `/api/audit?user=bulk-reader&limit=${count}`);
  expect(whole.body.events).toHaveLength(count);
  expect(whole.body.more).toBeUndefined();

  const res = await fetch(`${server.url}/api/audit?user=bulk-reader&format=csv`, {
    headers: { authorization: `Bearer ${await server.tokenFor(reader)}` },
  });
  const lines = (await res.text()).trim().split('\r\n');
  expect(lines).toHaveLength(count + 1);

  const upper = await server.api(reader, 'GET', `/api/audit?user=bulk-reader&team=${who.team.id.toUpperCase()}&limit=1`);
  expect(upper.body.events).toHaveLength(1);
  // `from` and `to` are both inclusive: the records at 00:00:00 and 00:00:02 are in.
  const range = await server.api(reader, 'GET', '/api/audit?user=bulk-reader&from=2020-01-01T00:00:00.000Z&to=2020-01-01T00:00:02.000Z');
  expect(range.body.events.map((e: { patientId: string }) => e.patientId)).toEqual(['p-0', 'p-1', 'p-2']);
  // A `to` to the minute covers the whole minute (the records a second apart from 00:00:00 to 00:00:59), a date the whole UTC day.
  const minute = await server.api(reader, 'GET', '/api/audit?user=bulk-reader&from=2020-01-01T00:00Z&to=2020-01-01T00:00Z&limit=100');
  expect(minute.status).toBe(200);
  expect(minute.body.events).toHaveLength(60);
  const day = await server.api(reader, 'GET', `/api/audit?user=bulk-reader&from=2020-01-01&to=2020-01-01&limit=${count}`);
  expect(day.body.events).toHaveLength(count);
});

it("finds a user's records by their Entra object id in any letter case, as a team's, for a read and an export alike", async () => {
  const base = `/api/teams/${who.team.id}`;
  const from = new Date().toISOString();
  expect((await server.api(who.member, 'GET', `${base}/lists`)).status).toBe(200);
  expect((await server.api(who.member, 'POST', `${base}/lists`, { name: 'Looked up by user' })).status).toBe(201);
  const reader = auditReader(server);
  const asked = (user: string) => `/api/audit?from=${encodeURIComponent(from)}&user=${user}`;
  const lower = (await server.api(reader, 'GET', asked(who.member.toLowerCase()))).body.events as { userId: string }[];
  expect(lower.length).toBeGreaterThan(0);
  // An access review pastes the id as a directory tool shows it: the same user, the same records.
  const upper = await server.api(reader, 'GET', asked(who.member.toUpperCase()));
  expect(upper.status).toBe(200);
  expect(upper.body.events).toEqual(lower);
  const csv = await fetch(`${server.url}${asked(who.member.toUpperCase())}&format=csv`, {
    headers: { authorization: `Bearer ${await server.tokenFor(reader)}` },
  });
  expect((await csv.text()).trim().split('\r\n')).toHaveLength(lower.length + 1);
});

it('refuses a `from` or `to` past the end of the year 9999 in UTC (it would turn the filter around), for a read and an export alike', async () => {
  const reader = auditReader(server);
  // 9999-12-31T23:59:59 at −23:59 is the year 10000 in UTC: refused with a clear error, never
  // read as "every record" (from) or "none" (to).
  for (const query of ['from=9999-12-31T23:59:59-23:59', 'to=9999-12-31T23:59:59-23:59', 'to=9999-12-31T23:59-00:01']) {
    const res = await server.api(reader, 'GET', `/api/audit?${query}`);
    expect(res.status, query).toBe(400);
    expect(JSON.stringify(res.body)).toContain('from the year 0000 to 9999 in UTC');
  }
  const exported = await server.api(reader, 'POST', '/api/audit/export', { to: '9999-12-31T23:59:59-23:59' });
  expect(exported.status).toBe(400);
  // The last instant in UTC, in any zone, is taken: every record is before it.
  const last = await server.api(reader, 'GET', '/api/audit?to=9999-12-31T23:59:59.999Z&limit=1');
  expect(last.status).toBe(200);
  expect(last.body.events).toHaveLength(1);
  const east = await server.api(reader, 'GET', '/api/audit?to=9999-12-31T23:59:59%2B14:00&limit=1');
  expect(east.body.events).toHaveLength(1);
});

it('downloads the trail as CSV through a single-use link, for audit readers only, with the filters asked', async () => {
  const reader = auditReader(server);
  expect((await server.api(who.member, 'POST', '/api/audit/export', {})).body.code).toBe('audit_reader_required');
  expect((await server.api(reader, 'POST', '/api/audit/export', { operation: 'NotAnOperation' })).body.code).toBe('validation_failed');
  const link = await server.api(reader, 'POST', '/api/audit/export', { user: 'bulk-reader', to: '2020-01-01T00:00:04.000Z' });
  expect(link.status).toBe(201);
  expect(link.body.url).toMatch(/^\/api\/audit\/export\/[A-Za-z0-9_-]+$/);
  // A refused request for a link is on the trail, as a refused read is.
  const refused = await server.api(reader, 'GET', `/api/audit?operation=AuditExport&user=${who.member}&limit=1000000`);
  expect(refused.body.events).toContainEqual(expect.objectContaining({ outcome: 'failure', status: 403, userId: who.member }));
  // A request for the headers alone (a link checker, a proxy) is refused and leaves the link unused.
  const head = await fetch(`${server.url}${link.body.url}`, { method: 'HEAD' });
  expect(head.status).toBe(405);
  expect(head.headers.get('allow')).toBe('GET');
  // Opened by the host without a token: the ticket names the reader, the filters come with it.
  const res = await fetch(`${server.url}${link.body.url}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-disposition')).toContain('audit.csv');
  const lines = (await res.text()).trim().split('\r\n');
  expect(lines.slice(1).map((l) => l.split(',')[7])).toEqual(['p-0', 'p-1', 'p-2', 'p-3', 'p-4']);
  // Single use.
  expect((await fetch(`${server.url}${link.body.url}`)).status).toBe(404);
  const exports = await server.api(reader, 'GET', '/api/audit?operation=AuditExport&limit=1000000');
  expect(exports.body.events.some((e: { userId: string }) => e.userId === reader)).toBe(true);
});

it('cuts an export asked for whole off without its end once it passes the most one read gives, so it never passes as complete', async () => {
  // AUDIT_MAX_LIMIT (1,000,000) lowered to 1,200 (more than two of the stream's chunks of 500), so the case is a few records.
  const ceiling = 1200;
  const small = await startTestServer({}, undefined, { auditExportCeiling: ceiling });
  try {
    const people = cast(small.info);
    const db = new Database(join(small.dataDir, 'patients.sqlite'));
    const insert = db.prepare(
      `INSERT INTO audit_events (time, operation, outcome, status, tenant_id, team_id, user_id, patient_id, list_id, request_id)
       VALUES (?, 'PatientView', 'success', 200, ?, ?, 'bulk-reader', ?, NULL, ?)`,
    );
    const write = (from: number, n: number) =>
      db.transaction(() => {
        for (let i = from; i < from + n; i++)
          insert.run(new Date(Date.UTC(2020, 0, 1) + i * 1000).toISOString(), people.contoso.id, people.team.id, `p-${i}`, randomUUID());
      })();
    const headers = { authorization: `Bearer ${await small.tokenFor(auditReader(small))}` };
    const csv = () => fetch(`${small.url}/api/audit?user=bulk-reader&format=csv`, { headers });

    write(0, ceiling);
    const exactly = await csv();
    expect(exactly.status).toBe(200);
    expect((await exactly.text()).trim().split('\r\n')).toHaveLength(ceiling + 1);

    write(ceiling, 1);
    const over = await csv();
    // The status and the first records went out before the store was read to its end; the answer then stops without its end.
    expect(over.status).toBe(200);
    await expect(over.text()).rejects.toThrow();
    // A limit asked for is a whole answer of that many records, ending with a row saying more match.
    const asked = await fetch(`${small.url}/api/audit?user=bulk-reader&format=csv&limit=${ceiling}`, { headers });
    const lines = (await asked.text()).trim().split('\r\n');
    expect(lines).toHaveLength(ceiling + 2);
    expect(lines.at(-1)).toMatch(/^More records match beyond the limit/);
    db.close();
  } finally {
    await small.stop();
  }
});

it('records an export the caller left before its end as not given whole (499), after its success', async () => {
  const own = await startTestServer();
  try {
    const people = cast(own.info);
    const db = new Database(join(own.dataDir, 'patients.sqlite'));
    const insert = db.prepare(
      `INSERT INTO audit_events (time, operation, outcome, status, tenant_id, team_id, user_id, patient_id, list_id, request_id)
       VALUES (?, 'PatientView', 'success', 200, ?, ?, 'bulk-reader', ?, NULL, ?)`,
    );
    // Enough records (some 10 MB of CSV) that the export is still being written when the caller leaves.
    db.transaction(() => {
      for (let i = 0; i < 60_000; i++)
        insert.run(new Date(Date.UTC(2020, 0, 1) + i * 1000).toISOString(), people.contoso.id, people.team.id, `p-${i}`, randomUUID());
    })();
    db.close();
    const reader = auditReader(own);
    const controller = new AbortController();
    const res = await fetch(`${own.url}/api/audit?user=bulk-reader&format=csv`, {
      headers: { authorization: `Bearer ${await own.tokenFor(reader)}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    await res.body!.getReader().read();
    controller.abort();
    let exports: { outcome: string; status: number }[] = [];
    for (let waited = 0; waited < 5000 && exports.length < 2; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      exports = (await own.api(reader, 'GET', `/api/audit?user=${reader}&operation=AuditExport`)).body.events;
    }
    expect(exports.map((e) => `${e.outcome} ${e.status}`)).toEqual(['success 200', 'failure 499']);
  } finally {
    await own.stop();
  }
});

it('records a call refused for its body (malformed JSON, too large) as a failure of what it tried, naming the patient in its path', async () => {
  const path = `/api/teams/${who.team.id}/patients/body-refused-1/notes`;
  const send = async (body: string) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await server.tokenFor(who.member)}`, 'content-type': 'application/json' },
      body,
    });
  const malformed = await send('{"text": "Seen on rou');
  expect(malformed.status).toBe(400);
  expect((await malformed.json()).code).toBe('malformed_json');
  expect((await send(JSON.stringify({ text: 'x'.repeat(70_000) }))).status).toBe(413);
  const trail = await server.api(auditReader(server), 'GET', `/api/audit?patient=body-refused-1`);
  expect(
    trail.body.events.map((e: { operation: string; outcome: string; status: number; userId: string }) => [
      e.operation,
      e.outcome,
      e.status,
      e.userId,
    ]),
  ).toEqual([
    ['PatientNoteAdd', 'failure', 400, who.member],
    ['PatientNoteAdd', 'failure', 413, who.member],
  ]);
});

it('records a refused change of a list as the change it asked for: new columns as EditColumns, a new name as Rename', async () => {
  const base = `/api/teams/${who.team.id}`;
  const list = (await server.api(who.owner, 'POST', `${base}/lists`, { name: 'Columns refused' })).body;
  const since = new Date().toISOString();
  // A stale version (412), a column that does not exist (400), a name too long (400), both at once.
  expect((await server.api(who.owner, 'PATCH', `${base}/lists/${list.id}`, { columns: ['name', 'heartRate'], version: 99 })).status).toBe(412);
  expect((await server.api(who.owner, 'PATCH', `${base}/lists/${list.id}`, { columns: ['name', 'no-such-column'] })).status).toBe(400);
  expect((await server.api(who.owner, 'PATCH', `${base}/lists/${list.id}`, { name: 'x'.repeat(300) })).status).toBe(400);
  expect((await server.api(who.owner, 'PATCH', `${base}/lists/${list.id}`, { name: 'Both', columns: ['nope'] })).status).toBe(400);
  const trail = await server.api(auditReader(server), 'GET', `/api/audit?user=${who.owner}&from=${encodeURIComponent(since)}`);
  const refused = trail.body.events.filter((e: { listId: string }) => e.listId === list.id);
  expect(refused.map((e: { operation: string; outcome: string; status: number }) => [e.operation, e.outcome, e.status])).toEqual([
    ['PatientListEditColumns', 'failure', 412],
    ['PatientListEditColumns', 'failure', 400],
    ['PatientListRename', 'failure', 400],
    ['PatientListRename', 'failure', 400],
    ['PatientListEditColumns', 'failure', 400],
  ]);
});

it("names the patient of a deliberate read of the trail (more than a screenful), and of a screenful that gives their records, in that patient's own trail; a screenful that gives nothing as a filter is typed does not", async () => {
  const reader = auditReader(server);
  const patient = 'trail-read-patient-1';
  await server.api(reader, 'GET', `/api/audit?patient=${patient}`);
  await server.api(reader, 'GET', `/api/audit?patient=trail-read-pat`);
  await server.api(reader, 'GET', `/api/audit?patient=${patient}&limit=1000000`);
  // The patient has no record yet: the first two screenfuls gave nothing and named no one.
  const trail = await server.api(reader, 'GET', `/api/audit?patient=${patient}&limit=10`);
  expect(trail.body.events.map((e: { operation: string; userId: string; patientId: string }) => [e.operation, e.userId, e.patientId])).toEqual([
    ['AuditView', reader, patient],
  ]);
  // That screenful gave the deliberate read's record: it names the patient too.
  const again = await server.api(reader, 'GET', `/api/audit?patient=${patient}&limit=10`);
  expect(again.body.events.map((e: { operation: string; userId: string; patientId: string }) => [e.operation, e.userId, e.patientId])).toEqual([
    ['AuditView', reader, patient],
    ['AuditView', reader, patient],
  ]);
  expect((await server.api(reader, 'GET', `/api/audit?patient=trail-read-pat&limit=1000000`)).body.events).toEqual([]);
});

it('refuses HEAD on a read of patient data: the caller gets no data, and the trail never says it was given', async () => {
  const base = `/api/teams/${who.team.id}`;
  await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'Sandbox' });
  const [patient] = (await server.api(who.member, 'GET', `${base}/patients?gender=male&count=1`)).body.patients;
  const list = (await server.api(who.member, 'POST', `${base}/lists`, { name: 'Heads' })).body;
  await server.api(who.member, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: [patient.id] });
  const token = await server.tokenFor(who.member);
  const before = (await server.api(auditReader(server), 'GET', `/api/audit?patient=${patient.id}&limit=50000`)).body.events.length;
  for (const path of [`${base}/lists/${list.id}`, `${base}/patients/${patient.id}`, `${base}/patients/${patient.id}/details`]) {
    const head = await fetch(`${server.url}${path}`, { method: 'HEAD', headers: { authorization: `Bearer ${token}` } });
    expect(head.status, path).toBe(405);
    expect(head.headers.get('allow'), path).toBe('GET');
  }
  const after = (await server.api(auditReader(server), 'GET', `/api/audit?patient=${patient.id}&limit=50000`)).body.events as {
    outcome: string;
    operation: string;
  }[];
  // Only the auditor's own reads of the trail name the patient since.
  expect(after.slice(before).filter((e) => e.operation !== 'AuditView')).toEqual([]);
});
