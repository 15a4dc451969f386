import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../contract/audit';
import { bothStores, type StoreHarness } from '../../helpers/both-stores';

// A change of a list is recorded from what the store changed, never from what the call meant to
// change: a patient added once is named once, a patient already there is not named as added, and
// a change that fails leaves the list as it was. Both stores.
describe.each(bothStores)('%s', (_name, start) => {
  let server: StoreHarness;
  let member: string;
  let owner: string;
  /** A third member of the team (who also reads the audit trail). */
  let reader: string;
  let base: string;
  const patients: string[] = [];

  // Calls are the member's unless another is named: each user has a share of the tenant's
  // SharePoint budget per minute (unit-share.ts), which this file's calls of one member come near.
  const newList = async (name: string, as = member) => (await server.call(as, 'POST', `${base}/lists`, { name })).body.id as string;
  const add = (listId: string, patientIds: string[], as = member) => server.call(as, 'POST', `${base}/lists/${listId}/patients`, { patientIds });
  const onList = async (listId: string, as = member) =>
    ((await server.call(as, 'GET', `${base}/lists/${listId}`)).body.rows as { patientId: string }[]).map((r) => r.patientId);
  const recordsOf = async (requestId: string) => (await server.trail()).filter((e) => e.requestId === requestId);
  const summary = (events: AuditEvent[]) => events.map((e) => [e.operation, e.outcome, e.patientId, e.listId]);

  beforeAll(async () => {
    server = await start();
    const team = server.info.tenants[0].teams[0];
    member = team.members.find((m) => !team.owners.includes(m))!;
    owner = team.owners[0];
    reader = team.members.find((m) => m !== member && m !== owner)!;
    base = `/api/teams/${team.id}`;
    expect((await server.call(team.owners[0], 'PUT', `${base}/connection`, { mode: 'manual' })).status).toBe(200);
    for (const name of ['Ada', 'Bo', 'Cy', 'Di']) {
      patients.push((await server.call(member, 'POST', `${base}/manual-patients`, { name: `${name} Audit`, values: {} })).body.id as string);
    }
  }, 60_000);
  afterAll(() => server?.stop());

  it('records one addition of a patient six members add at once', async () => {
    const list = await newList('Concurrent');
    const [ada] = patients;
    const answers = await Promise.all(Array.from({ length: 6 }, () => add(list, [ada])));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const added = (await server.trail()).filter((e) => e.operation === 'PatientListAddPatient' && e.listId === list);
    expect(summary(added)).toEqual([['PatientListAddPatient', 'success', ada, list]]);
    expect(await onList(list)).toEqual([ada]);
  });

  it('records no addition for patients already on the list, and names only those an addition added', async () => {
    const list = await newList('Duplicates');
    const [ada, bo] = patients;
    await add(list, [ada]);
    const again = await add(list, [ada]);
    expect(again.status).toBe(200);
    expect((await recordsOf(again.requestId)).filter((e) => e.operation === 'PatientListAddPatient')).toEqual([]);
    const mixed = await add(list, [ada, bo, bo]);
    expect(summary((await recordsOf(mixed.requestId)).filter((e) => e.operation === 'PatientListAddPatient'))).toEqual([
      ['PatientListAddPatient', 'success', bo, list],
    ]);
  });

  it('records no addition on the list a patient moves to when it holds them already', async () => {
    const from = await newList('Move from');
    const to = await newList('Move to');
    const [ada, bo] = patients;
    await add(from, [ada, bo]);
    await add(to, [ada]);
    const held = await server.call(member, 'POST', `${base}/lists/${from}/patients/${ada}/move`, { toListId: to });
    expect(held.status).toBe(200);
    expect(summary(await recordsOf(held.requestId))).toEqual([['PatientListMovePatient', 'success', ada, from]]);
    const moved = await server.call(member, 'POST', `${base}/lists/${from}/patients/${bo}/move`, { toListId: to });
    expect(summary(await recordsOf(moved.requestId))).toEqual([
      ['PatientListMovePatient', 'success', bo, from],
      ['PatientListAddPatient', 'success', bo, to],
    ]);
    expect(await onList(from)).toEqual([]);
    expect(await onList(to)).toEqual([ada, bo]);
  });

  it('names in a delete the patients the list held', async () => {
    const list = await newList('Deleted');
    const [ada, bo] = patients;
    await add(list, [ada, bo]);
    const deleted = await server.call(member, 'DELETE', `${base}/lists/${list}`);
    expect(deleted.status).toBe(204);
    expect(summary(await recordsOf(deleted.requestId))).toEqual([
      ['PatientListDelete', 'success', ada, list],
      ['PatientListDelete', 'success', bo, list],
    ]);
  });

  // Each by a caller of its own: a user's share of the app's SharePoint budget (unit-share.ts) is spent by the tests above.
  it('records a delete SharePoint refused as failed, with a clear error, leaves the list whole, and a retry deletes it', async () => {
    if (server.store.kind !== 'graph') return;
    const { graph } = server.store;
    const as = owner;
    const list = (await server.call(as, 'POST', `${base}/lists`, { name: 'Refused delete' })).body.id as string;
    const [ada, bo] = patients;
    await server.call(as, 'POST', `${base}/lists/${list}/patients`, { patientIds: [ada, bo] });
    graph.failNext((method, path) => method === 'DELETE' && path.split('?')[0].endsWith(`/lists/${list}`), 500);
    const failed = await server.call(as, 'DELETE', `${base}/lists/${list}`);
    expect(failed).toMatchObject({
      status: 502,
      body: { code: 'graph_failed', message: expect.stringContaining('The list was not deleted') },
    });
    expect(summary(await recordsOf(failed.requestId))).toEqual([['PatientListDelete', 'failure', null, list]]);
    const shown = await server.call(as, 'GET', `${base}/lists`);
    expect((shown.body as { id: string; patientCount: number }[]).find((l) => l.id === list)).toMatchObject({ patientCount: 2 });

    const retried = await server.call(as, 'DELETE', `${base}/lists/${list}`);
    expect(retried.status).toBe(204);
    expect(summary(await recordsOf(retried.requestId))).toEqual([
      ['PatientListDelete', 'success', ada, list],
      ['PatientListDelete', 'success', bo, list],
    ]);
    expect((await server.call(as, 'GET', `${base}/lists/${list}`)).status).toBe(404);
  });

  it('records a delete as done when the list is gone though its catalog row could not be removed', async () => {
    if (server.store.kind !== 'graph') return;
    const { graph } = server.store;
    const as = reader;
    const list = (await server.call(as, 'POST', `${base}/lists`, { name: 'Row left' })).body.id as string;
    const [ada] = patients;
    await server.call(as, 'POST', `${base}/lists/${list}/patients`, { patientIds: [ada] });
    // The catalog row's delete (`…/items/{id}`) fails; the SharePoint list itself was deleted before it.
    graph.failNext((method, path) => method === 'DELETE' && /\/items\/\d+$/.test(path.split('?')[0]), 500);
    const deleted = await server.call(as, 'DELETE', `${base}/lists/${list}`);
    expect(deleted.status).toBe(204);
    expect(summary(await recordsOf(deleted.requestId))).toEqual([['PatientListDelete', 'success', ada, list]]);
    expect((await server.call(as, 'GET', `${base}/lists/${list}`)).status).toBe(404);
    expect(((await server.call(as, 'GET', `${base}/lists`)).body as { id: string }[]).map((l) => l.id)).not.toContain(list);
  });

  it('leaves the list as it was when a bulk addition fails part way, and records each patient as not added', async () => {
    if (server.store.kind !== 'graph') return;
    const { graph } = server.store;
    const list = await newList('Part way', owner);
    const [ada, bo, cy, di] = patients;
    await add(list, [ada], owner);
    let posts = 0;
    graph.failNext((method, path) => method === 'POST' && path.split('?')[0].endsWith(`/lists/${list}/items`) && ++posts === 2, 500);
    const failed = await add(list, [bo, cy, di], owner);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(posts).toBe(2);
    expect(await onList(list, owner)).toEqual([ada]);
    expect(summary(await recordsOf(failed.requestId))).toEqual([
      ['PatientListAddPatient', 'failure', bo, list],
      ['PatientListAddPatient', 'failure', cy, list],
      ['PatientListAddPatient', 'failure', di, list],
    ]);
  });
});
