import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditEventsOf, callAs } from '../../helpers/audit-records';
import { startWardEhr } from '../../helpers/failing-ehr';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

/**
 * Adding patients to a list: only a patient the EHR says it does not have is "not found"; one it
 * failed to answer fails the call as an EHR failure (502), recorded as such, adding nobody.
 */

let server: TestServer;
let ehr: Awaited<ReturnType<typeof startWardEhr>>;
let who: ReturnType<typeof cast>;
let listUrl: string;

beforeAll(async () => {
  [server, ehr] = await Promise.all([startTestServer(), startWardEhr()]);
  who = cast(server.info);
  const base = `/api/teams/${who.team.id}`;
  expect((await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: ehr.url, name: 'Ward EHR' })).status).toBe(200);
  listUrl = `${base}/lists/${(await server.api(who.member, 'POST', `${base}/lists`, { name: 'Ward 5' })).body.id}`;
});
afterAll(async () => {
  await server?.stop();
  await ehr?.close();
});

const onList = async () => ((await server.api(who.member, 'GET', listUrl)).body.rows as { patientId: string }[]).map((r) => r.patientId);
const records = async (requestId: string) =>
  (await auditEventsOf(server, requestId)).filter((e) => e.operation === 'PatientListAddPatient').map((e) => [e.patientId, e.outcome, e.status]);

it('refuses an addition whose patient the EHR failed to answer (503) as an EHR failure, adds nobody and records it so', async () => {
  ehr.state.flaky.add('p5');
  try {
    const added = await callAs(server, who.member, 'POST', `${listUrl}/patients`, { patientIds: ['p1', 'p2', 'p5'] });
    expect([added.status, added.body.code]).toEqual([502, 'ehr_error']);
    expect(await onList()).toEqual([]);
    expect(await records(added.requestId)).toEqual([
      ['p1', 'failure', 502],
      ['p2', 'failure', 502],
      ['p5', 'failure', 502],
    ]);
  } finally {
    ehr.state.flaky.clear();
  }
});

it('still answers 404 for a patient the EHR says it does not have', async () => {
  ehr.state.deleted.add('p9');
  try {
    const added = await callAs(server, who.member, 'POST', `${listUrl}/patients`, { patientIds: ['p1', 'p9'] });
    expect([added.status, added.body.code]).toEqual([404, 'patient_not_found']);
    expect(await onList()).toEqual([]);
    expect(await records(added.requestId)).toEqual([
      ['p1', 'failure', 404],
      ['p9', 'failure', 404],
    ]);
  } finally {
    ehr.state.deleted.clear();
  }
});
