import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGraphHarness, type StoreHarness } from '../../helpers/both-stores';
import type { GraphEmulator } from '../../helpers/graph-emulator';
import { memberEdits } from '../../helpers/graph-member-edits';

/**
 * In the team's SharePoint site (Graph has no transactions) a change writes first and reads or
 * tidies after. When a step after the write fails, the caller and the audit trail must agree with
 * the data: either the change is undone and the call fails (its failure record is true), or the
 * change stands and the call succeeds with its success record. Never a failed call whose change
 * was made. Each case fails the one Graph request that follows the write.
 */
let server: StoreHarness;
let graph: GraphEmulator;
let owner: string;
let member: string;
let tenantId: string;
let teamId: string;
let base: string;

beforeAll(async () => {
  ({ server, graph } = await startGraphHarness());
  tenantId = server.info.tenants[0].id;
  const team = server.info.tenants[0].teams[0];
  teamId = team.id;
  owner = team.owners[0];
  member = team.members.find((m) => !team.owners.includes(m))!;
  base = `/api/teams/${team.id}`;
  expect((await server.call(owner, 'PUT', `${base}/connection`, { mode: 'manual' })).status).toBe(200);
}, 120_000);
afterAll(() => server?.stop());

type Match = (method: string, path: string) => boolean;
const pathOf = (path: string) => new URL(path, 'http://graph').pathname;
const itemsOf = (listId: string) => (path: string) => pathOf(path).endsWith(`/lists/${listId}/items`);

/**
 * Fails (500) the request matching `next` that follows the write matching `write`, skipping
 * `skip` such requests first, while `during` runs; a failure not reached by then is dropped.
 */
async function failingAfterWrite<T>(write: Match, next: Match, during: () => Promise<T>, skip = 0): Promise<T> {
  let armed = true;
  const fail = (left: number) => {
    if (left === 0) graph.failNext((method, path) => armed && next(method, path), 500);
    else
      graph.beforeNext(
        (method, path) => armed && next(method, path),
        () => fail(left - 1),
      );
  };
  graph.beforeNext(
    (method, path) => armed && write(method, path),
    () => fail(skip),
  );
  try {
    return await during();
  } finally {
    armed = false;
  }
}

const onList = async (listId: string) =>
  ((await server.call(member, 'GET', `${base}/lists/${listId}`)).body.rows as { patientId: string }[]).map((r) => r.patientId);
const recordsOf = async (requestId: string) =>
  (await server.trail()).filter((e) => e.requestId === requestId).map((e) => [e.operation, e.outcome, e.patientId ?? null, e.listId ?? null]);
const newPatient = async (name: string) =>
  ((await server.call(member, 'POST', `${base}/manual-patients`, { name, values: {} })).body as { id: string }).id;
const newList = async (name: string) => (await server.call(member, 'POST', `${base}/lists`, { name })).body.id as string;

/** The SharePoint lists of the team's site, by title, as a member reads them past the app. */
async function siteListTitles(): Promise<string[]> {
  const token = graph.tokenFor(tenantId, member);
  const get = async (path: string) =>
    (await (await fetch(`${graph.url}/v1.0${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as Record<string, unknown>;
  const site = (await get(`/groups/${teamId}/sites/root`)).id as string;
  return ((await get(`/sites/${site}/lists`)).value as { displayName: string }[]).map((l) => l.displayName);
}

// Rows once written may be relied on at once (another call adding or moving the same patient finds
// them and writes none of its own): a read after the write that fails never takes them back, which
// could leave a patient on no list. The change stands, and is answered and recorded as made.
it('answers and records an addition as made when the read after its rows were written fails', async () => {
  const ada = await newPatient('Ada Added');
  const ward = await newList('Ward A');
  const post: Match = (method, path) => method === 'POST' && itemsOf(ward)(path);
  const get: Match = (method, path) => method === 'GET' && itemsOf(ward)(path);

  // The read that checks which rows came first.
  const add = await failingAfterWrite(post, get, () => server.call(member, 'POST', `${base}/lists/${ward}/patients`, { patientIds: [ada] }));
  expect(add.status).toBe(200);
  expect(await onList(ward)).toEqual([ada]);
  const records = await recordsOf(add.requestId);
  expect(records).toContainEqual(['PatientListAddPatient', 'success', ada, ward]);
  expect(records.filter(([, outcome]) => outcome === 'failure')).toEqual([]);

  // The read of the list after its version was raised (several patients: one `$batch`).
  const bo = await newPatient('Bo Batch');
  const cy = await newPatient('Cy Batch');
  const many = await failingAfterWrite(post, get, () => server.call(member, 'POST', `${base}/lists/${ward}/patients`, { patientIds: [bo, cy] }), 1);
  expect(many.status).toBe(200);
  expect(await onList(ward)).toEqual([ada, bo, cy]);
  const manyRecords = await recordsOf(many.requestId);
  expect(manyRecords).toContainEqual(['PatientListAddPatient', 'success', bo, ward]);
  expect(manyRecords).toContainEqual(['PatientListAddPatient', 'success', cy, ward]);
  expect(manyRecords.filter(([, outcome]) => outcome === 'failure')).toEqual([]);
}, 120_000);

it('goes on with a move whose read of the row it added failed: the patient is on the list joined, and the move is recorded', async () => {
  const cy = await newPatient('Cy Moved');
  const from = await newList('Ward M');
  const to = await newList('Night M');
  expect((await server.call(member, 'POST', `${base}/lists/${from}/patients`, { patientIds: [cy] })).status).toBe(200);

  const move = await failingAfterWrite(
    (method, path) => method === 'POST' && itemsOf(to)(path),
    (method, path) => method === 'GET' && itemsOf(to)(path),
    () => server.call(member, 'POST', `${base}/lists/${from}/patients/${cy}/move`, { toListId: to }),
  );
  expect(move.status).toBe(200);
  expect([await onList(from), await onList(to)]).toEqual([[], [cy]]);
  const records = await recordsOf(move.requestId);
  expect(records).toContainEqual(['PatientListMovePatient', 'success', cy, from]);
  expect(records).toContainEqual(['PatientListAddPatient', 'success', cy, to]);
  expect(records.filter(([, outcome]) => outcome === 'failure')).toEqual([]);
}, 120_000);

it('answers and records a rename as made when nothing after its write can be read', async () => {
  const ward = await newList('Ward R');
  // The next read of the catalog after its row is written (what the API does with the list after is not the store's).
  const rename = await failingAfterWrite(
    (method, path) => method === 'PATCH' && /\/items\/[^/]+\/fields$/.test(pathOf(path)),
    (method, path) => method === 'GET' && decodeURIComponent(path).includes('fields/ListId eq'),
    () => server.call(member, 'PATCH', `${base}/lists/${ward}`, { name: 'Ward Renamed' }),
  );
  expect(rename.status).toBe(200);
  expect(rename.body.name).toBe('Ward Renamed');
  expect((await server.call(member, 'GET', `${base}/lists/${ward}`)).body.name).toBe('Ward Renamed');
  const records = await recordsOf(rename.requestId);
  expect(records).toContainEqual(['PatientListRename', 'success', null, ward]);
  expect(records.filter(([, outcome]) => outcome === 'failure')).toEqual([]);
}, 120_000);

it('creates no SharePoint list when a new list fails after its SharePoint list was made', async () => {
  const create = await failingAfterWrite(
    (method, path) => method === 'POST' && /\/sites\/[^/]+\/lists$/.test(pathOf(path)),
    (method, path) => method === 'GET' && pathOf(path).endsWith('/columns'),
    () => server.call(member, 'POST', `${base}/lists`, { name: 'Half Made' }),
  );
  expect(create.status).toBeGreaterThanOrEqual(500);
  expect((await siteListTitles()).filter((t) => t.includes('Half Made'))).toEqual([]);
  expect((await recordsOf(create.requestId)).filter(([, outcome]) => outcome === 'success')).toEqual([]);
  // Nothing left behind: the name is free, as it was.
  expect((await server.call(member, 'POST', `${base}/lists`, { name: 'Half Made' })).status).toBe(201);
  expect((await siteListTitles()).filter((t) => t.includes('Half Made'))).toEqual(['Patients – Half Made']);
}, 120_000);

it("deletes again a team's first schema when the read after its write failed, and fails the save", async () => {
  const fields = [{ id: 'acuity', label: 'Acuity', type: 'text' }];
  const save = await failingAfterWrite(
    (method, path) => method === 'POST' && pathOf(path).endsWith('/items'),
    (method, path) => method === 'GET' && pathOf(path).endsWith('/items'),
    () => server.call(owner, 'PUT', `${base}/schema`, { fields, version: 0 }),
  );
  expect(save.status).toBeGreaterThanOrEqual(500);
  expect((await server.call(member, 'GET', `${base}/schema`)).body).toEqual({ fields: [], version: 0 });
  expect((await recordsOf(save.requestId)).filter(([, outcome]) => outcome === 'success')).toEqual([]);
  const saved = await server.call(owner, 'PUT', `${base}/schema`, { fields, version: 0 });
  expect([saved.status, saved.body]).toEqual([200, { fields, version: 1 }]);
}, 120_000);

it('answers and records a default list as set when a duplicate row it drops after cannot be deleted', async () => {
  const ward = await newList('Ward D');
  const night = await newList('Night D');
  expect((await server.call(member, 'PUT', `${base}/me/default-list`, { listId: ward })).status).toBe(200);
  // A second row of the member's default, as a concurrent first write leaves (the first row wins).
  await memberEdits(graph, tenantId, teamId, member).add('Patients app – default lists', { Title: member, UserId: member, ListId: ward });

  const set = await failingAfterWrite(
    (method, path) => method === 'PATCH' && /\/items\/[^/]+\/fields$/.test(pathOf(path)),
    (method) => method === 'DELETE',
    () => server.call(member, 'PUT', `${base}/me/default-list`, { listId: night }),
  );
  expect(set.status).toBe(200);
  const lists = (await server.call(member, 'GET', `${base}/lists`)).body as
    { id: string; isDefault: boolean }[] | { lists: { id: string; isDefault: boolean }[] };
  expect((Array.isArray(lists) ? lists : lists.lists).filter((l) => l.isDefault).map((l) => l.id)).toEqual([night]);
  expect(await recordsOf(set.requestId)).toEqual([['PatientListSetDefault', 'success', null, night]]);
}, 120_000);

it("keeps a patient's place when a removal of their rows fails part way: their first row is deleted last", async () => {
  const [xi, yu] = [await newPatient('Xi First'), await newPatient('Yu Second')];
  const ward = await newList('Ward X');
  expect((await server.call(member, 'POST', `${base}/lists/${ward}/patients`, { patientIds: [xi, yu] })).status).toBe(200);
  // A second row of Xi, as two additions at once leave (readers keep the first).
  await memberEdits(graph, tenantId, teamId, member).add('Patients – Ward X', {
    Title: xi,
    PatientId: xi,
    AddedBy: member,
    AddedAt: new Date().toISOString(),
  });

  const deleteOf: Match = (method, path) => method === 'DELETE' && /\/items\/[^/]+$/.test(pathOf(path)) && pathOf(path).includes(`/lists/${ward}/`);
  const remove = await failingAfterWrite(deleteOf, deleteOf, () => server.call(member, 'DELETE', `${base}/lists/${ward}/patients/${xi}`));
  expect(remove.status).toBeGreaterThanOrEqual(500);
  expect(await onList(ward)).toEqual([xi, yu]);
  expect((await recordsOf(remove.requestId)).filter(([, outcome]) => outcome === 'success')).toEqual([]);
}, 120_000);
