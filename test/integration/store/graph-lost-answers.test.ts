import { describe, expect, it } from 'vitest';
import type { EmulatedList } from '../../helpers/graph-emulator/model';
import { valueOf } from '../../../server/features/shared/outcomes';
import { useGraphStore } from '../../helpers/graph-store-hook';

/**
 * What a real Graph does that a lenient stand-in would not: a gateway that times out (504) on a
 * write SharePoint went on to make, and Retry-After waits of minutes or given as an HTTP-date.
 * Nothing acknowledged is lost, nothing is written twice, and a write the caller is told failed
 * is not in the team's lists.
 */
const tenant = '3f6d1c2a-8b4e-4f7a-9c1d-2e5b7a9c0d11';
const team = { tenantId: tenant, teamId: 'aa11bb22-cc33-4d44-8e55-ff6677889900' };

const { graph, store } = useGraphStore(team, 'Ward 7', { pageSize: 20 });

const listNamed = (displayName: string): EmulatedList => {
  const list = [...graph.state.siteOfGroup(tenant, team.teamId)!.lists.values()].find((l) => l.displayName === displayName);
  if (!list) throw new Error(`no list ${displayName}`);
  return list;
};

/** A creation of rows in a list: the POST to its items, or a `$batch` that carries it. */
const writesTo = (listId: string) => (method: string, path: string) =>
  method === 'POST' && (path === '/v1.0/$batch' || path.split('?')[0].endsWith(`/lists/${listId}/items`));

const patient = (name: string, mrn: string | null) => ({ name, mrn, birthDate: null, gender: null, room: null, values: {} });

describe('a write whose answer the gateway lost (504) after SharePoint made it', () => {
  it.each([
    ['one patient', ['p1']],
    ['several patients', ['p1', 'p2', 'p3']],
  ])('an addition of %s fails, retryably, and leaves the list as it was: no one on it unrecorded', async (_, ids) => {
    const list = valueOf(await store.createList(team, 'Ward', 'u1'));
    valueOf(await store.addPatients(team, list.id, ['p0'], 'u1'));
    graph.timeOutAfter(writesTo(list.id));
    const audited: unknown[] = [];
    await expect(store.addPatients(team, list.id, ids, 'u1', (result) => (audited.push(result), []))).rejects.toMatchObject({
      code: 'throttled',
    });
    // No success record, and no patient the failure record would deny.
    expect(audited).toEqual([]);
    expect((await store.getList(team, list.id))!.patientIds).toEqual(['p0']);
    expect([...listNamed('Patients – Ward').items.values()].map((i) => i.fields.PatientId)).toEqual(['p0']);
    // The creation went to SharePoint once: never sent again after the gateway gave up.
    const created = graph.requests.filter((r) => r.method === 'POST' && r.path.split('?')[0].endsWith(`/lists/${list.id}/items`));
    expect(created.filter((r) => r.status === 201 || r.status === 504)).toHaveLength(ids.length + 1);
  });

  it("an addition one of whose batch's requests answered 504 fails, and leaves none of its rows, the one whose answer was lost too", async () => {
    const list = valueOf(await store.createList(team, 'Ward', 'u1'));
    let creations = 0;
    // The second row's request inside the batch: SharePoint wrote the row, its answer in the batch is a 504.
    graph.timeOutAfter((method, path) => method === 'POST' && path.split('?')[0].endsWith(`/lists/${list.id}/items`) && ++creations === 2);
    await expect(store.addPatients(team, list.id, ['p1', 'p2', 'p3'], 'u1')).rejects.toMatchObject({ code: 'throttled' });
    expect(graph.requests.some((r) => r.batched && r.status === 504)).toBe(true);
    expect((await store.getList(team, list.id))!.patientIds).toEqual([]);
    expect([...listNamed('Patients – Ward').items.values()]).toEqual([]);
  });

  it('an import fails, retryably, and the roster holds none of its patients, rather than refusing it as a conflict with itself', async () => {
    await store.getManualPatients(team);
    valueOf(await store.createManualPatient(team, patient('Ann Early', 'MRN-0'), 'u1'));
    const roster = listNamed('Patients app – manual patients');
    graph.timeOutAfter((method, path) => method === 'POST' && path === '/v1.0/$batch');
    await expect(store.createManualPatients(team, [patient('Bo One', 'MRN-1'), patient('Cy Two', 'MRN-2')], 'u1')).rejects.toMatchObject({
      code: 'throttled',
    });
    expect((await store.getManualPatients(team)).map((p) => p.name)).toEqual(['Ann Early']);
    expect([...roster.items.values()].map((i) => i.fields.Title)).toEqual(['Ann Early']);
    // Trying again imports them, once each.
    expect((await store.createManualPatients(team, [patient('Bo One', 'MRN-1'), patient('Cy Two', 'MRN-2')], 'u1')).ok).toBe(true);
    expect((await store.getManualPatients(team)).map((p) => p.name)).toEqual(['Ann Early', 'Bo One', 'Cy Two']);
  });
});

describe('the waits Graph asks for', () => {
  it.each([
    ['in seconds', () => '150'],
    ['as an HTTP-date', () => new Date(Date.now() + 150_000).toUTCString()],
  ])('a Retry-After of minutes (%s) is not waited out with the caller held: throttled at once, saying how long', async (_, retryAfter) => {
    graph.throttle(1, retryAfter());
    const started = Date.now();
    const error = await store.listLists(team).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toMatchObject({ code: 'throttled', status: 429 });
    expect((error as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(145);
    expect((error as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(150);
    // Once the wait is over, the same call is answered.
    expect(await store.listLists(team)).toEqual([]);
  });

  it("waits out a batch request's Retry-After given as an HTTP-date until that date, then writes each row once", async () => {
    const list = valueOf(await store.createList(team, 'Ward', 'u1'));
    // Whole seconds only, as an HTTP-date has: the wait ends 3 s from now, give or take the second cut off.
    const until = new Date(Date.now() + 3_000).toUTCString();
    let first = true;
    graph.failNext(
      (method, path) => method === 'POST' && path.split('?')[0].endsWith(`/lists/${list.id}/items`) && first && !(first = false),
      429,
      'activityLimitReached',
      { 'Retry-After': until },
    );
    const started = Date.now();
    valueOf(await store.addPatients(team, list.id, ['p1', 'p2'], 'u1'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect([...listNamed('Patients – Ward').items.values()].map((i) => i.fields.PatientId)).toEqual(['p1', 'p2']);
  });
});
