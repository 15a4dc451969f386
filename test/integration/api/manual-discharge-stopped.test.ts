import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../contract/audit';
import { bothStores, type StoreHarness } from '../../helpers/both-stores';

// A discharge that stops half-way on the Graph store (no transactions): the lists are swept before
// the patient is marked discharged, so a failure in between leaves an admitted patient off the
// lists, which a second discharge finishes. The trail says what happened: the removals that were
// made, and the discharge's failure; never only the failure of a call that did change the lists.
const graph = bothStores.find(([name]) => name.startsWith('Graph'))!;

describe(graph[0], () => {
  let server: StoreHarness;
  let member: string;
  let base: string;
  let tenantId: string;
  let teamId: string;

  const records = async (requestId: string) =>
    (await server.trail()).filter((e) => e.requestId === requestId).map((e: AuditEvent) => [e.operation, e.outcome, e.patientId, e.listId]);
  const onList = async (listId: string) =>
    ((await server.call(member, 'GET', `${base}/lists/${listId}`)).body.rows as { patientId: string }[]).map((r) => r.patientId);

  beforeAll(async () => {
    server = await graph[1]();
    const tenant = server.info.tenants[0];
    const team = tenant.teams[0];
    tenantId = tenant.id;
    teamId = team.id;
    member = team.members.find((m) => !team.owners.includes(m))!;
    base = `/api/teams/${team.id}`;
    expect((await server.call(team.owners[0], 'PUT', `${base}/connection`, { mode: 'manual' })).status).toBe(200);
  }, 120_000);
  afterAll(() => server?.stop());

  it('records the removals of a discharge whose mark failed, and the second discharge finishes it', async () => {
    if (server.store.kind !== 'graph') throw new Error('the Graph store');
    const emulator = server.store.graph;
    const ada = (await server.call(member, 'POST', `${base}/manual-patients`, { name: 'Ada Stopped', values: {} })).body.id as string;
    const lists: string[] = [];
    for (const name of ['Rounds', 'Handover']) {
      const list = (await server.call(member, 'POST', `${base}/lists`, { name })).body.id as string;
      expect((await server.call(member, 'POST', `${base}/lists/${list}/patients`, { patientIds: [ada] })).status).toBe(200);
      lists.push(list);
    }

    // The write that marks the patient discharged fails, after the sweep took them off both lists.
    const site = emulator.state.siteOfGroup(tenantId, teamId)!;
    const manualList = [...site.lists.values()].find((l) => l.displayName === 'Patients app – manual patients')!;
    emulator.beforeNext(
      (method, path) => method === 'PATCH' && path.includes(`/lists/${manualList.id}/items/`),
      () => {
        throw new Error('Graph is down');
      },
    );
    const stopped = await server.call(member, 'POST', `${base}/manual-patients/${ada}/discharge`, { version: 1 });
    expect(stopped.status).toBeGreaterThanOrEqual(500);
    // Still admitted, off both lists: and the trail says so, not only that the discharge failed.
    expect(((await server.call(member, 'GET', `${base}/manual-patients`)).body.patients as { id: string }[]).map((p) => p.id)).toContain(ada);
    for (const list of lists) expect(await onList(list)).toEqual([]);
    expect(await records(stopped.requestId)).toEqual([
      ['PatientListRemovePatient', 'success', ada, lists[0]],
      ['PatientListRemovePatient', 'success', ada, lists[1]],
      ['PatientDischarge', 'failure', ada, null],
    ]);

    // The second discharge finishes it: the patient is discharged; there was nothing left to take off.
    const second = await server.call(member, 'POST', `${base}/manual-patients/${ada}/discharge`, { version: 1 });
    expect(second.status).toBe(200);
    expect(await records(second.requestId)).toEqual([['PatientDischarge', 'success', ada, null]]);
    const discharged = (await server.call(member, 'GET', `${base}/discharged-patients`)).body.patients as { id: string }[];
    expect(discharged.map((p) => p.id)).toContain(ada);
  });

  it('records the removal made before a removal that failed, and leaves the patient admitted', async () => {
    if (server.store.kind !== 'graph') throw new Error('the Graph store');
    const emulator = server.store.graph;
    const bo = (await server.call(member, 'POST', `${base}/manual-patients`, { name: 'Bo Stopped', values: {} })).body.id as string;
    const lists: string[] = [];
    for (const name of ['Ward A', 'Ward B']) {
      const list = (await server.call(member, 'POST', `${base}/lists`, { name })).body.id as string;
      expect((await server.call(member, 'POST', `${base}/lists/${list}/patients`, { patientIds: [bo] })).status).toBe(200);
      lists.push(list);
    }
    // Taking the patient off the second list fails.
    emulator.beforeNext(
      (method, path) => method === 'DELETE' && path.includes(`/lists/${lists[1]}/items/`),
      () => {
        throw new Error('Graph is down');
      },
    );
    const stopped = await server.call(member, 'POST', `${base}/manual-patients/${bo}/discharge`, { version: 1 });
    expect(stopped.status).toBeGreaterThanOrEqual(500);
    expect(await onList(lists[0])).toEqual([]);
    expect(await onList(lists[1])).toEqual([bo]);
    expect(((await server.call(member, 'GET', `${base}/manual-patients`)).body.patients as { id: string }[]).map((p) => p.id)).toContain(bo);
    expect(await records(stopped.requestId)).toEqual([
      ['PatientListRemovePatient', 'success', bo, lists[0]],
      ['PatientDischarge', 'failure', bo, null],
    ]);
    // The second discharge takes them off the list left, and says so.
    const second = await server.call(member, 'POST', `${base}/manual-patients/${bo}/discharge`, { version: 1 });
    expect(second.status).toBe(200);
    expect(await records(second.requestId)).toEqual([
      ['PatientDischarge', 'success', bo, null],
      ['PatientListRemovePatient', 'success', bo, lists[1]],
    ]);
  });

  it('records a discharge whose mark was committed as done, with the removals, when the sweep after it fails', async () => {
    if (server.store.kind !== 'graph') throw new Error('the Graph store');
    const emulator = server.store.graph;
    const cy = (await server.call(member, 'POST', `${base}/manual-patients`, { name: 'Cy Stopped', values: {} })).body.id as string;
    const list = (await server.call(member, 'POST', `${base}/lists`, { name: 'Ward C' })).body.id as string;
    expect((await server.call(member, 'POST', `${base}/lists/${list}/patients`, { patientIds: [cy] })).status).toBe(200);
    // The mark goes through; the first read after it (the second sweep's) fails.
    const site = emulator.state.siteOfGroup(tenantId, teamId)!;
    const manualList = [...site.lists.values()].find((l) => l.displayName === 'Patients app – manual patients')!;
    emulator.beforeNext(
      (method, path) => method === 'PATCH' && path.includes(`/lists/${manualList.id}/items/`),
      () => emulator.failNext((method) => method === 'GET', 500),
    );
    const stopped = await server.call(member, 'POST', `${base}/manual-patients/${cy}/discharge`, { version: 1 });
    expect(stopped.status).toBeGreaterThanOrEqual(500);
    // Discharged, off the list: the trail says both, and no failure contradicts the discharge that stands.
    expect(await onList(list)).toEqual([]);
    const discharged = (await server.call(member, 'GET', `${base}/discharged-patients`)).body.patients as { id: string }[];
    expect(discharged.map((p) => p.id)).toContain(cy);
    expect(await records(stopped.requestId)).toEqual([
      ['PatientDischarge', 'success', cy, null],
      ['PatientListRemovePatient', 'success', cy, list],
    ]);
  });
});
