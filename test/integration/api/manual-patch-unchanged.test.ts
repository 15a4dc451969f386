import { afterAll, beforeAll, expect, it } from 'vitest';
import { callAs, outcomesOf, startManualTeam } from '../../helpers/audit-records';
import type { cast, TestServer } from '../../helpers/test-server';

/** A hand-entered patient sent as they are changes nothing: no new version, no edit recorded, only the read it is. */

let server: TestServer;
let who: ReturnType<typeof cast>;
let base: string;
beforeAll(async () => {
  ({ server, who, base } = await startManualTeam());
});
afterAll(() => server?.stop());

const operations = (requestId: string) => outcomesOf(server, requestId);

it('answers a patient sent as they are with their version kept, recorded as a view, and still refuses a stale version', async () => {
  const created = await callAs(server, who.member, 'POST', `${base}/manual-patients`, { name: 'Ada Bed', mrn: 'A-1', room: '4', values: {} });
  const id = created.body.id as string;

  const same = await callAs(server, who.member, 'PATCH', `${base}/manual-patients/${id}`, { name: 'Ada Bed', mrn: 'A-1', room: '4', version: 1 });
  expect(same).toMatchObject({ status: 200, body: { name: 'Ada Bed', room: '4', version: 1 } });
  expect(await operations(same.requestId)).toEqual(['PatientView:success']);
  // Fields left out keep their value: a name alone, as it is, is no change either.
  expect((await callAs(server, who.member, 'PATCH', `${base}/manual-patients/${id}`, { name: 'Ada Bed' })).body).toMatchObject({ version: 1 });

  const moved = await callAs(server, who.member, 'PATCH', `${base}/manual-patients/${id}`, { name: 'Ada Bed', room: '5', version: 1 });
  expect(moved).toMatchObject({ status: 200, body: { room: '5', version: 2 } });
  expect(await operations(moved.requestId)).toEqual(['PatientDetailsEdit:success']);

  // The same fields at a version since moved on from: a conflict, as any stale save.
  const stale = await callAs(server, who.member, 'PATCH', `${base}/manual-patients/${id}`, { name: 'Ada Bed', room: '5', version: 1 });
  expect(stale).toMatchObject({ status: 412, body: { code: 'version_conflict' } });
  expect(await operations(stale.requestId)).toEqual(['PatientDetailsEdit:failure']);
});
