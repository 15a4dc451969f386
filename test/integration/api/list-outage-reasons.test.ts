import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWardEhr } from '../../helpers/failing-ehr';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

/**
 * Why a list row cannot be shown, as the list answer says it: `gone` only for a patient the EHR
 * said it does not have, `failed` for one it did not give for any other reason. An EHR outage
 * must never make a ward's rows look gone: the tab offers to remove gone rows in bulk.
 */

let server: TestServer;
let ehr: Awaited<ReturnType<typeof startWardEhr>>;
let who: ReturnType<typeof cast>;
let listUrl: string;
const ward = ['w1', 'w2', 'w3', 'w4', 'w5'];

beforeAll(async () => {
  [server, ehr] = await Promise.all([startTestServer(), startWardEhr()]);
  who = cast(server.info);
  const base = `/api/teams/${who.team.id}`;
  expect((await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: ehr.url, name: 'Ward EHR' })).status).toBe(200);
  const list = (await server.api(who.member, 'POST', `${base}/lists`, { name: 'Ward 5' })).body;
  expect((await server.api(who.member, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: ward })).status).toBe(200);
  listUrl = `${base}/lists/${list.id}`;
});
afterAll(async () => {
  await server?.stop();
  await ehr?.close();
});

const reasons = (rows: { patientId: string; available: boolean; unavailable?: string }[]) =>
  rows.map((r) => [r.patientId, r.available, r.unavailable]);

it('marks every row of a list read during an EHR outage (503) failed, never gone, with the EHR error', async () => {
  ehr.state.down = true;
  try {
    const view = await server.api(who.member, 'GET', listUrl);
    expect(view.status).toBe(200);
    expect(view.body.ehrError).toBeDefined();
    expect(reasons(view.body.rows)).toEqual(ward.map((id) => [id, false, 'failed']));
  } finally {
    ehr.state.down = false;
  }
});

it('marks gone only a patient the EHR says it does not have (404); one it fails to give (503) is failed', async () => {
  ehr.state.deleted.add('w2');
  ehr.state.flaky.add('w4');
  try {
    const view = await server.api(who.member, 'GET', listUrl);
    expect(view.status).toBe(200);
    expect(view.body.ehrError).toBeUndefined();
    expect(reasons(view.body.rows)).toEqual([
      ['w1', true, undefined],
      ['w2', false, 'gone'],
      ['w3', true, undefined],
      ['w4', false, 'failed'],
      ['w5', true, undefined],
    ]);
  } finally {
    ehr.state.deleted.clear();
    ehr.state.flaky.clear();
  }
});
