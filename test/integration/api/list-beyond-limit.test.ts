import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PATIENTS_PER_LIST } from '../../../contract/lists';
import { bothStores, type StoreHarness } from '../../helpers/both-stores';
import type { Json } from '../../helpers/json';

// A list's rows can be written outside the app: in the team's SharePoint site by any member of its
// Microsoft 365 group (production), or in the SQLite file (dev mode). A list past the app's limit
// of MAX_PATIENTS_PER_LIST loads with its first patients up to the limit (the EHR is asked for no
// more, and the read's records name no more) and says how many more it names; it takes no more
// patients, and the others can still be taken off. Both stores.

const OUTSIDE = MAX_PATIENTS_PER_LIST + 5;

describe.each(bothStores)('%s', (_name, start) => {
  let server: StoreHarness;
  let owner: string;
  let member: string;
  let base: string;
  let tenantId: string;
  let teamId: string;

  const call = (user: string, method: string, path: string, body?: unknown) => server.call(user, method, path, body);

  /** Writes patients onto the list past the app: rows in the SharePoint list, or rows in the SQLite file. */
  function writeOutside(listId: string, patientIds: string[]): void {
    const at = new Date().toISOString();
    if (server.store.kind === 'graph') {
      const rows = server.store.graph.state.siteOfGroup(tenantId, teamId)!.lists.get(listId)!;
      for (const id of patientIds) server.store.graph.state.addItem(rows, { Title: id, PatientId: id, AddedBy: member, AddedAt: at });
      return;
    }
    const db = new Database(join(server.store.dataDir, 'patients.sqlite'));
    const insert = db.prepare('INSERT INTO list_patients (list_id, patient_id, position, added_by, added_at) VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => patientIds.forEach((id, i) => insert.run(listId, id, 1000 + i, member, at)))();
    db.close();
  }

  /** How many rows the store holds for the list, outside the app's view. */
  function storedRows(listId: string): number {
    if (server.store.kind === 'graph') return server.store.graph.state.siteOfGroup(tenantId, teamId)!.lists.get(listId)!.items.size;
    const db = new Database(join(server.store.dataDir, 'patients.sqlite'), { readonly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM list_patients WHERE list_id = ?').get(listId) as { n: number }).n;
    } finally {
      db.close();
    }
  }

  beforeAll(async () => {
    server = await start();
    const team = server.info.tenants[0].teams[0];
    tenantId = server.info.tenants[0].id;
    teamId = team.id;
    owner = team.owners[0];
    member = team.members.find((m) => m !== owner)!;
    base = `/api/teams/${team.id}`;
    expect((await call(owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'EHR' })).status).toBe(200);
  });
  afterAll(() => server?.stop());

  it('loads the first patients up to the limit with how many more there are, records those read only, and takes no more', async () => {
    const patients = (await call(member, 'GET', `${base}/patients?gender=female&count=3`)).body.patients as { id: string }[];
    const [p1, p2, p3] = patients.map((p) => p.id);
    const list = (await call(member, 'POST', `${base}/lists`, { name: 'Ward past its limit' })).body as { id: string };
    expect((await call(member, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: [p1, p2] })).status).toBe(200);
    const outside = Array.from({ length: OUTSIDE }, (_, i) => `outside-${i}`);
    writeOutside(list.id, outside);
    const all = [p1, p2, ...outside];
    const beyond = all.length - MAX_PATIENTS_PER_LIST;
    const shown = all.slice(0, MAX_PATIENTS_PER_LIST);

    const view = await call(member, 'GET', `${base}/lists/${list.id}`);
    expect(view.status).toBe(200);
    expect((view.body.rows as Json[]).map((r) => r.patientId)).toEqual(shown);
    expect(view.body.beyondLimit).toBe(beyond);
    const lists = (await call(member, 'GET', `${base}/lists`)).body as { id: string; patientCount: number }[];
    expect(lists.find((l) => l.id === list.id)!.patientCount).toBe(all.length);

    // The read's records name the patients read, none past the limit.
    const read = (await server.trail()).filter((e) => e.operation === 'PatientListView' && e.listId === list.id);
    expect(new Set(read.map((e) => e.patientId))).toEqual(new Set(shown));

    // Full: an addition is refused, as for a list at the limit.
    expect(await call(member, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: [p3] })).toMatchObject({
      status: 409,
      body: { code: 'list_full' },
    });
    // A patient past the limit can still be taken off; one of those shown too, and the next one added shows.
    expect((await call(member, 'DELETE', `${base}/lists/${list.id}/patients/${outside.at(-1)}`)).status).toBe(204);
    expect((await call(member, 'DELETE', `${base}/lists/${list.id}/patients/${p1}`)).status).toBe(204);
    const after = await call(member, 'GET', `${base}/lists/${list.id}`);
    expect((after.body.rows as Json[]).map((r) => r.patientId)).toEqual(all.slice(1, MAX_PATIENTS_PER_LIST + 1));
    expect(after.body.beyondLimit).toBe(beyond - 2);
    // A delete takes every row with it, past the limit too.
    expect((await call(member, 'DELETE', `${base}/lists/${list.id}`)).status).toBe(204);
  });

  it('takes every patient off on a change of source, those past the limit too', async () => {
    const list = (await call(member, 'POST', `${base}/lists`, { name: 'Another past its limit' })).body as { id: string };
    writeOutside(
      list.id,
      Array.from({ length: OUTSIDE }, (_, i) => `elsewhere-${i}`),
    );
    expect((await call(member, 'GET', `${base}/lists/${list.id}`)).body.beyondLimit).toBe(OUTSIDE - MAX_PATIENTS_PER_LIST);
    expect((await call(owner, 'PUT', `${base}/connection`, { mode: 'manual', confirm: true })).status).toBe(200);
    const emptied = await call(member, 'GET', `${base}/lists/${list.id}`);
    expect(emptied.body.rows).toEqual([]);
    expect(emptied.body).not.toHaveProperty('beyondLimit');
    expect(storedRows(list.id)).toBe(0);
  }, 120_000);
});
