import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGraphHarness, type StoreHarness } from '../../helpers/both-stores';

/**
 * In the team's SharePoint site (Graph has no transactions) a list's patients change first and its
 * version is raised after. A version that cannot be raised does not undo the change: the caller
 * is told the change it made, and the audit trail records it as the success it is, never as a
 * failure for a patient who is on (or off) the list.
 */
let server: StoreHarness;
let member: string;
let base: string;

beforeAll(async () => {
  ({ server } = await startGraphHarness());
  const team = server.info.tenants[0].teams[0];
  const owner = team.owners[0];
  member = team.members.find((m) => !team.owners.includes(m))!;
  base = `/api/teams/${team.id}`;
  expect((await server.call(owner, 'PUT', `${base}/connection`, { mode: 'manual' })).status).toBe(200);
}, 120_000);
afterAll(() => server?.stop());

/** The next update of a list row's fields (the version row) fails once with a 500. */
function versionRowFailsOnce() {
  if (server.store.kind !== 'graph') throw new Error('graph only');
  server.store.graph.failNext((method, path) => method === 'PATCH' && /\/items\/[^/]+\/fields$/.test(path), 500);
}

const onList = async (listId: string) =>
  ((await server.call(member, 'GET', `${base}/lists/${listId}`)).body.rows as { patientId: string }[]).map((r) => r.patientId);
const recordsOf = async (requestId: string) =>
  (await server.trail()).filter((e) => e.requestId === requestId).map((e) => [e.operation, e.outcome, e.patientId, e.listId]);

it('tells and records an addition, a removal and a move whose version could not be raised as the changes they made', async () => {
  const bo = (await server.call(member, 'POST', `${base}/manual-patients`, { name: 'Bo Bump', values: {} })).body as { id: string };
  const ward = (await server.call(member, 'POST', `${base}/lists`, { name: 'Ward' })).body.id as string;
  const night = (await server.call(member, 'POST', `${base}/lists`, { name: 'Night' })).body.id as string;

  versionRowFailsOnce();
  const add = await server.call(member, 'POST', `${base}/lists/${ward}/patients`, { patientIds: [bo.id] });
  expect(add.status).toBe(200);
  expect(await onList(ward)).toEqual([bo.id]);
  const added = await recordsOf(add.requestId);
  expect(added.filter(([operation]) => operation === 'PatientListAddPatient')).toEqual([['PatientListAddPatient', 'success', bo.id, ward]]);
  expect(added.filter(([, outcome]) => outcome === 'failure')).toEqual([]);

  versionRowFailsOnce();
  const move = await server.call(member, 'POST', `${base}/lists/${ward}/patients/${bo.id}/move`, { toListId: night });
  expect(move.status).toBe(200);
  expect([await onList(ward), await onList(night)]).toEqual([[], [bo.id]]);
  expect((await recordsOf(move.requestId)).filter(([, outcome]) => outcome === 'failure')).toEqual([]);

  versionRowFailsOnce();
  const remove = await server.call(member, 'DELETE', `${base}/lists/${night}/patients/${bo.id}`);
  expect(remove.status).toBe(204);
  expect(await onList(night)).toEqual([]);
  const removed = await recordsOf(remove.requestId);
  expect(removed.filter(([operation]) => operation === 'PatientListRemovePatient')).toEqual([['PatientListRemovePatient', 'success', bo.id, night]]);
  expect(removed.filter(([, outcome]) => outcome === 'failure')).toEqual([]);
}, 120_000);
