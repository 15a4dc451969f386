import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGraphHarness, type StoreHarness } from '../../helpers/both-stores';
import type { GraphEmulator } from '../../helpers/graph-emulator';

/**
 * What a clinician and the audit trail see when Microsoft Graph's gateway times out on a write
 * SharePoint went on to make (504), or Graph asks to be left alone for minutes (Retry-After): a
 * clear answer to try again, at once and saying when, the team's lists as the answer says, and one
 * record of the call with its outcome.
 */
let server: StoreHarness;
let graph: GraphEmulator;
let member: string;
let base: string;

beforeAll(async () => {
  ({ server, graph } = await startGraphHarness());
  const team = server.info.tenants[0].teams[0];
  member = team.members.find((m) => !team.owners.includes(m))!;
  base = `/api/teams/${team.id}`;
  expect((await server.call(team.owners[0], 'PUT', `${base}/connection`, { mode: 'manual' })).status).toBe(200);
}, 120_000);
afterAll(() => server?.stop());

const onList = async (listId: string) =>
  ((await server.call(member, 'GET', `${base}/lists/${listId}`)).body.rows as { patientId: string }[]).map((r) => r.patientId);
const recordsOf = async (requestId: string) =>
  (await server.trail()).filter((e) => e.requestId === requestId).map((e) => [e.operation, e.outcome, e.status, e.patientId]);

it('an addition whose answer the gateway lost after SharePoint wrote the row: 503 to try again, the patient not on the list, one failure record', async () => {
  const bo = (await server.call(member, 'POST', `${base}/manual-patients`, { name: 'Bo Gateway', values: {} })).body as { id: string };
  const ward = (await server.call(member, 'POST', `${base}/lists`, { name: 'Gateway ward' })).body.id as string;
  graph.timeOutAfter((method, path) => method === 'POST' && path.split('?')[0].endsWith(`/lists/${ward}/items`));

  const add = await server.call(member, 'POST', `${base}/lists/${ward}/patients`, { patientIds: [bo.id] });
  expect(add.status).toBe(503);
  expect(add.body).toMatchObject({ code: 'throttled' });
  expect(await onList(ward)).toEqual([]);
  expect(await recordsOf(add.requestId)).toEqual([['PatientListAddPatient', 'failure', 503, bo.id]]);

  // Trying again adds the patient, once.
  const again = await server.call(member, 'POST', `${base}/lists/${ward}/patients`, { patientIds: [bo.id] });
  expect(again.status).toBe(200);
  expect(await onList(ward)).toEqual([bo.id]);
}, 60_000);

it('a Retry-After of minutes is not waited out: 503 at once with its own Retry-After, and one failure record', async () => {
  const ward = (await server.call(member, 'POST', `${base}/lists`, { name: 'Busy ward' })).body.id as string;
  graph.throttle(1, new Date(Date.now() + 150_000).toUTCString());
  const started = Date.now();
  const read = await server.call(member, 'GET', `${base}/lists/${ward}`);
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(read.status).toBe(503);
  expect(read.body).toMatchObject({ code: 'throttled' });
  expect(Number(read.headers?.get('retry-after'))).toBeGreaterThanOrEqual(145);
  expect(Number(read.headers?.get('retry-after'))).toBeLessThanOrEqual(150);
  expect(await recordsOf(read.requestId)).toEqual([['PatientListView', 'failure', 503, null]]);
}, 60_000);
