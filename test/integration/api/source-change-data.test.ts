import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothStores, type StoreHarness } from '../../helpers/both-stores';
import type { Json } from '../../helpers/json';

// Team data about a patient is kept under the patient's id, and ids of two sources collide: a
// note written under one source is never shown against, or exported for, a patient of another.
// A confirmed change of source takes the patients off the team's lists and hides the notes
// written before it; a new name for the same link changes nothing. Both stores: SQLite in dev
// mode, the team's SharePoint site through Graph in production mode.
//
// EHR B is the sandbox's R4 server under another link (with a harmless quirk): it gives the same
// ids, as a test and a production EHR, or two EHRs with numeric ids, do for different people.
const SECRET = 'HIV+ - do not disclose to family';

describe.each(bothStores)('%s', (_name, start) => {
  let server: StoreHarness;
  let owner: string;
  let member: string;
  let base: string;
  let ehrA: { mode: 'ehr'; url: string; name: string };
  let ehrB: { mode: 'ehr'; url: string; name: string };

  const call = (user: string, method: string, path: string, body?: unknown) => server.call(user, method, path, body);
  const rowsOf = async (listId: string) => (await call(member, 'GET', `${base}/lists/${listId}`)).body.rows as Json[];
  const notesOf = async (patientId: string) => (await call(member, 'GET', `${base}/patients/${patientId}/notes`)).body.notes as Json[];

  beforeAll(async () => {
    server = await start();
    const team = server.info.tenants[0].teams[0];
    owner = team.owners[0];
    member = team.members.find((m) => m !== owner)!;
    base = `/api/teams/${team.id}`;
    ehrA = { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'EHR A' };
    ehrB = { mode: 'ehr', url: `${server.info.sandbox.fhir.r4}/quirks/no-total`, name: 'EHR B' };
    expect((await call(owner, 'PUT', `${base}/connection`, ehrA)).status).toBe(200);
  });
  afterAll(() => server?.stop());

  it("takes the lists' patients off and hides the old source's notes when the team's EHR link changes; a rename keeps all", async () => {
    const [patient] = (await call(member, 'GET', `${base}/patients?gender=female&count=1`)).body.patients as { id: string }[];
    const p1 = patient!.id;
    const rounds = (await call(member, 'POST', `${base}/lists`, { name: 'Rounds' })).body;
    const columns = ['name', 'mrn', 'latestNote'];
    expect((await call(member, 'PATCH', `${base}/lists/${rounds.id}`, { columns })).status).toBe(200);
    expect((await call(member, 'POST', `${base}/lists/${rounds.id}/patients`, { patientIds: [p1] })).status).toBe(200);
    expect((await call(member, 'PUT', `${base}/me/default-list`, { listId: rounds.id })).status).toBe(200);
    const written = await call(member, 'POST', `${base}/patients/${p1}/notes`, { text: SECRET });
    expect(written.status).toBe(201);
    const [before] = await rowsOf(rounds.id);
    expect(before).toMatchObject({ patientId: p1, cells: { latestNote: { status: 'ok', value: { text: SECRET } } } });

    // The owner is told, in counts and plain words, what the change does.
    const refused = await call(owner, 'PUT', `${base}/connection`, ehrB);
    expect(refused).toMatchObject({ status: 412, body: { code: 'precondition_failed' } });
    expect(refused.body.message).toBe(
      "The team's lists hold patients from the current source (1 list with 1 patient). " +
        'Changing the source takes this patient off the lists (the lists, their names and columns are kept), ' +
        "and the notes written under the current source are kept in the team's data but no longer shown. " +
        'Send the change again with "confirm": true to make it.',
    );
    expect(refused.body.message).not.toContain(p1);

    const changed = await call(owner, 'PUT', `${base}/connection`, { ...ehrB, confirm: true });
    expect(changed).toMatchObject({ status: 200, body: { mode: 'ehr', url: ehrB.url } });
    const sourceSince = changed.body.sourceSince as string;
    expect(Date.parse(sourceSince)).toBeGreaterThanOrEqual(Date.parse(written.body.createdAt as string));

    // The list stays, with its name, columns and as the member's default, but holds no one.
    const lists = (await call(member, 'GET', `${base}/lists`)).body as Json[];
    expect(lists.find((l) => l.id === rounds.id)).toMatchObject({ name: 'Rounds', patientCount: 0, isDefault: true });
    expect((await call(member, 'GET', `${base}/lists/${rounds.id}`)).body).toMatchObject({ name: 'Rounds', columns, rows: [] });
    // Each removal is in the audit trail, as a removal from that list.
    const removals = (await server.trail()).filter((e) => e.operation === 'PatientListRemovePatient' && e.outcome === 'success');
    expect(removals.map((e) => [e.patientId, e.listId, e.userId === owner])).toEqual([[p1, rounds.id, true]]);

    // B's patient with the same id: no note of A's in the details, the notes, the list or its export.
    const details = await call(member, 'GET', `${base}/patients/${p1}/details`);
    expect(details.status).toBe(200);
    expect(details.body.notes).toEqual([]);
    expect(await notesOf(p1)).toEqual([]);
    expect((await call(member, 'POST', `${base}/lists/${rounds.id}/patients`, { patientIds: [p1] })).status).toBe(200);
    const [row] = await rowsOf(rounds.id);
    expect(row).toMatchObject({ patientId: p1, available: true, cells: { latestNote: { status: 'none' } } });
    const csv = await call(member, 'GET', `${base}/lists/${rounds.id}/export.csv`);
    expect(csv.status).toBe(200);
    expect(String(csv.body)).not.toContain('disclose');
    expect(JSON.stringify([details.body, row])).not.toContain('disclose');

    // The old note cannot be corrected or withdrawn: it is answered as a note that does not exist.
    const note = `${base}/patients/${p1}/notes/${written.body.id}`;
    const notFound = { code: 'not_found', message: 'This patient has no such note, or it was withdrawn and cannot be changed any more.' };
    expect(await call(member, 'PATCH', note, { text: 'Discussed with family', version: 1 })).toMatchObject({ status: 404, body: notFound });
    expect(await call(member, 'POST', `${note}/withdraw`, { version: 1 })).toMatchObject({ status: 404, body: notFound });

    // A note written under B is shown, in the details, the notes and the list.
    const fresh = await call(member, 'POST', `${base}/patients/${p1}/notes`, { text: 'Mobilise today' });
    expect(fresh.status).toBe(201);
    expect((await notesOf(p1)).map((n) => n.text)).toEqual(['Mobilise today']);
    expect((await call(member, 'GET', `${base}/patients/${p1}/details`)).body.notes).toMatchObject([{ text: 'Mobilise today' }]);
    expect((await rowsOf(rounds.id))[0]).toMatchObject({ cells: { latestNote: { status: 'ok', value: { text: 'Mobilise today' } } } });

    // The same link under another name (and checked again) keeps the source: the list and the notes stay.
    const renamed = await call(owner, 'PUT', `${base}/connection`, { ...ehrB, name: 'EHR B, renamed', url: `${ehrB.url}/` });
    expect(renamed).toMatchObject({ status: 200, body: { name: 'EHR B, renamed', sourceSince } });
    expect((await call(member, 'GET', `${base}/connection`)).body).toMatchObject({ name: 'EHR B, renamed', sourceSince });
    expect((await rowsOf(rounds.id)).map((r) => r.patientId)).toEqual([p1]);
    expect((await notesOf(p1)).map((n) => n.text)).toEqual(['Mobilise today']);
    const corrected = await call(member, 'PATCH', `${base}/patients/${p1}/notes/${fresh.body.id}`, { text: 'Mobilise after lunch', version: 1 });
    expect(corrected).toMatchObject({ status: 200, body: { text: 'Mobilise after lunch' } });

    // Back to A: A's own note stays hidden too (it was written before the latest change), and B's with it.
    expect((await call(owner, 'PUT', `${base}/connection`, { ...ehrA, confirm: true })).status).toBe(200);
    expect(await notesOf(p1)).toEqual([]);
    expect(await rowsOf(rounds.id)).toEqual([]);
  });

  it('counts Manual → EHR and EHR → Manual as changes: lists emptied, the other mode’s notes not shown', async () => {
    const team = server.info.tenants[0].teams[1];
    const teamOwner = team.owners[0];
    const manualBase = `/api/teams/${team.id}`;
    const as = (method: string, path: string, body?: unknown) => call(teamOwner, method, `${manualBase}${path}`, body);
    expect((await as('PUT', '/connection', { mode: 'manual' })).status).toBe(200);
    const hand = await as('POST', '/manual-patients', { name: 'Ada Lovelace', values: {} });
    expect(hand.status).toBe(201);
    const ward = (await as('POST', '/lists', { name: 'Ward' })).body;
    expect((await as('PATCH', `/lists/${ward.id}`, { columns: ['name', 'latestNote'] })).status).toBe(200);
    expect((await as('POST', `/lists/${ward.id}/patients`, { patientIds: [hand.body.id] })).status).toBe(200);
    expect((await as('POST', `/patients/${hand.body.id}/notes`, { text: 'Manual-mode note' })).status).toBe(201);

    // Manual → EHR: a change of source, refused unconfirmed, then the list is emptied.
    const refused = await as('PUT', '/connection', ehrA);
    expect(refused).toMatchObject({ status: 412, body: { code: 'precondition_failed' } });
    expect(refused.body.message).toContain('(1 list with 1 patient)');
    expect((await as('PUT', '/connection', { ...ehrA, confirm: true })).status).toBe(200);
    expect((await as('GET', `/lists/${ward.id}`)).body.rows).toEqual([]);
    // The hand-entered patient is no patient of the EHR: its notes are not read at all (404).
    expect(await as('GET', `/patients/${hand.body.id}/notes`)).toMatchObject({ status: 404, body: { code: 'patient_not_found' } });

    const [patient] = (await as('GET', '/patients?gender=male&count=1')).body.patients as { id: string }[];
    expect((await as('POST', `/lists/${ward.id}/patients`, { patientIds: [patient!.id] })).status).toBe(200);
    expect((await as('POST', `/patients/${patient!.id}/notes`, { text: 'EHR-mode note' })).status).toBe(201);

    // EHR → Manual: the same.
    expect((await as('PUT', '/connection', { mode: 'manual' })).status).toBe(412);
    expect((await as('PUT', '/connection', { mode: 'manual', confirm: true })).status).toBe(200);
    expect((await as('GET', `/lists/${ward.id}`)).body.rows).toEqual([]);
    // The EHR's patient is no patient of the Manual-mode team: its notes are not read at all (404).
    expect(await as('GET', `/patients/${patient!.id}/notes`)).toMatchObject({ status: 404, body: { code: 'patient_not_found' } });
    // The hand-entered patient is the team's again, on the list, with no note from before the changes.
    expect((await as('POST', `/lists/${ward.id}/patients`, { patientIds: [hand.body.id] })).status).toBe(200);
    const [row] = (await as('GET', `/lists/${ward.id}`)).body.rows as Json[];
    expect(row).toMatchObject({ patientId: hand.body.id, available: true, cells: { latestNote: { status: 'none' } } });
    expect((await as('GET', `/patients/${hand.body.id}/notes`)).body.notes).toEqual([]);
    // Manual mode again (no change of source): no confirmation, nothing emptied.
    expect((await as('PUT', '/connection', { mode: 'manual' })).status).toBe(200);
    expect((await as('GET', `/lists/${ward.id}`)).body.rows).toHaveLength(1);
  });

  // A connection stored by an earlier version has no `sourceSince`: everything the team kept counts as its source's.
  // SQLite only: the Graph store's connection row is sealed, and an earlier version's unsealed row is not used at all.
  if (_name.startsWith('SQLite'))
    it('shows every note under a connection stored without sourceSince', async () => {
      const { store } = server;
      if (store.kind !== 'sqlite') throw new Error('this case is about the SQLite store');
      const tenant = server.info.tenants[1];
      const team = tenant.teams[0];
      const teamOwner = team.owners[0];
      const as = (method: string, path: string, body?: unknown) => call(teamOwner, method, `/api/teams/${team.id}${path}`, body);
      expect((await as('PUT', '/connection', ehrA)).status).toBe(200);
      const [patient] = (await as('GET', '/patients?gender=female&count=1')).body.patients as { id: string }[];
      const list = (await as('POST', '/lists', { name: 'Rounds' })).body;
      expect((await as('PATCH', `/lists/${list.id}`, { columns: ['name', 'latestNote'] })).status).toBe(200);
      expect((await as('POST', `/patients/${patient!.id}/notes`, { text: 'Written before' })).status).toBe(201);
      expect((await as('PUT', '/connection', { ...ehrB, confirm: true })).status).toBe(200);
      expect((await as('GET', `/patients/${patient!.id}/notes`)).body.notes).toEqual([]);

      // The same connection as an earlier version kept it: without the time its source began.
      const db = new Database(join(store.dataDir, 'patients.sqlite'));
      try {
        const row = db.prepare('SELECT connection FROM team_settings WHERE tenant_id = ? AND team_id = ?').get(tenant.id, team.id) as {
          connection: string;
        };
        const { sourceSince: _dropped, ...earlier } = JSON.parse(row.connection) as Record<string, unknown>;
        const changed = db
          .prepare('UPDATE team_settings SET connection = ? WHERE tenant_id = ? AND team_id = ?')
          .run(JSON.stringify(earlier), tenant.id, team.id);
        expect(changed.changes).toBe(1);
      } finally {
        db.close();
      }
      const got = (await as('GET', '/connection')).body;
      expect(got).toMatchObject({ mode: 'ehr', url: ehrB.url });
      expect(got.sourceSince).toBeUndefined();
      expect((await as('GET', `/patients/${patient!.id}/notes`)).body.notes).toMatchObject([{ text: 'Written before' }]);
      expect((await as('GET', `/patients/${patient!.id}/details`)).body.notes).toMatchObject([{ text: 'Written before' }]);
      expect((await as('POST', `/lists/${list.id}/patients`, { patientIds: [patient!.id] })).status).toBe(200);
      expect((await as('GET', `/lists/${list.id}`)).body.rows).toMatchObject([
        { patientId: patient!.id, cells: { latestNote: { status: 'ok', value: { text: 'Written before' } } } },
      ]);
    });
});
