import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PATIENTS_PER_LIST } from '../../../contract/lists';
import { requestEhr, type EhrFetch } from '../../../server/ehr/transport';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

/**
 * A refused call names the patients it touched, so each patient's trail shows the attempt (an
 * auditor asks who tried to take whose data, not only who succeeded): an export that fails because
 * the EHR is down was still an export of the list's patients; an addition refused for one malformed
 * id still tried to add the others.
 */
let ehrDown = false;
const ehrFetch: EhrFetch = async (url, init) => {
  if (ehrDown && !/\/(token|metadata)$/.test(url.pathname)) throw new TypeError('fetch failed');
  return requestEhr(url, init);
};
let server: TestServer;
let who: ReturnType<typeof cast>;
beforeAll(async () => {
  server = await startTestServer({}, undefined, { ehrFetch });
  who = cast(server.info);
});
afterAll(() => server?.stop());

it("records a failed export with every patient of the list, on each patient's trail", async () => {
  const base = `/api/teams/${who.team.id}`;
  await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'Sandbox' });
  const ids = (await server.api(who.member, 'GET', `${base}/patients?gender=male&count=2`)).body.patients.map((p: { id: string }) => p.id);
  const list = (await server.api(who.member, 'POST', `${base}/lists`, { name: 'Outage' })).body;
  await server.api(who.member, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: ids });
  ehrDown = true;
  const res = await fetch(`${server.url}${base}/lists/${list.id}/export.csv`, {
    headers: { authorization: `Bearer ${await server.tokenFor(who.member)}` },
  });
  ehrDown = false;
  expect(res.status).toBe(502);
  expect((await res.json()).code).toBe('ehr_unreachable');
  const reader = server.info.users.find((u) => u.name === 'Casey Lindqvist')!.id;
  const trail = await server.api(reader, 'GET', `/api/audit?operation=ExportInitiation&user=${who.member}`);
  expect(
    trail.body.events.map((e: { outcome: string; status: number; patientId: string; listId: string }) => [
      e.outcome,
      e.status,
      e.patientId,
      e.listId,
    ]),
  ).toEqual(ids.map((id: string) => ['failure', 502, id, list.id]));
});

it('records an addition refused for one malformed id with the patients it tried to add', async () => {
  const base = `/api/teams/${who.team.id}`;
  const [id] = (await server.api(who.member, 'GET', `${base}/patients?gender=female&count=1`)).body.patients.map((p: { id: string }) => p.id);
  const list = (await server.api(who.member, 'POST', `${base}/lists`, { name: 'Malformed' })).body;
  const refused = await server.api(who.member, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: [id, '../../etc/passwd', 42] });
  expect(refused.status).toBe(400);
  const reader = server.info.users.find((u) => u.name === 'Casey Lindqvist')!.id;
  const trail = await server.api(reader, 'GET', `/api/audit?operation=PatientListAddPatient&user=${who.member}`);
  const mine = trail.body.events.filter((e: { listId: string }) => e.listId === list.id);
  expect(mine.map((e: { outcome: string; status: number; patientId: string }) => [e.outcome, e.status, e.patientId])).toEqual([['failure', 400, id]]);
});

describe('a list past MAX_PATIENTS_PER_LIST', () => {
  let big: TestServer;
  let team: ReturnType<typeof cast>;
  beforeAll(async () => {
    big = await startTestServer({ SANDBOX_PATIENTS: String(MAX_PATIENTS_PER_LIST + 1) });
    team = cast(big.info);
  });
  afterAll(() => big?.stop());

  it('refuses an addition that would overfill it, adds none of it, and records each patient it tried to add', async () => {
    const base = `/api/teams/${team.team.id}`;
    await big.api(team.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: big.info.sandbox.fhir.r4, name: 'Sandbox' });
    const ids: string[] = [];
    for (const gender of ['female', 'male']) {
      let page = (await big.api(team.member, 'GET', `${base}/patients?gender=${gender}&count=100`)).body;
      ids.push(...page.patients.map((p: { id: string }) => p.id));
      while (page.next) {
        page = (await big.api(team.member, 'GET', `${base}/patients?page=${encodeURIComponent(page.next)}`)).body;
        ids.push(...page.patients.map((p: { id: string }) => p.id));
      }
    }
    expect(ids.length).toBeGreaterThan(MAX_PATIENTS_PER_LIST);
    const list = (await big.api(team.member, 'POST', `${base}/lists`, { name: 'Census' })).body;
    const fits = await big.api(team.member, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: ids.slice(0, MAX_PATIENTS_PER_LIST) });
    expect(fits.status).toBe(200);
    const over = ids.slice(MAX_PATIENTS_PER_LIST - 1, MAX_PATIENTS_PER_LIST + 1);
    const refused = await big.api(team.member, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: over });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'list_full', message: expect.stringContaining(String(MAX_PATIENTS_PER_LIST)) });
    const lists = (await big.api(team.member, 'GET', `${base}/lists`)).body;
    expect(lists.find((l: { id: string }) => l.id === list.id).patientCount).toBe(MAX_PATIENTS_PER_LIST);
    const reader = big.info.users.find((u) => u.name === 'Casey Lindqvist')!.id;
    const trail = await big.api(reader, 'GET', `/api/audit?operation=PatientListAddPatient&user=${team.member}&limit=5000`);
    const failed = trail.body.events.filter((e: { outcome: string }) => e.outcome === 'failure');
    // The one already on the list is no addition; the one that did not fit is named.
    expect(failed.map((e: { status: number; patientId: string }) => [e.status, e.patientId])).toEqual([[409, ids[MAX_PATIENTS_PER_LIST]]]);

    // A move onto the full list is refused too: the list it would have joined names the attempt, as the list it leaves does.
    const other = (await big.api(team.member, 'POST', `${base}/lists`, { name: 'Overflow' })).body;
    const moving = ids[MAX_PATIENTS_PER_LIST];
    await big.api(team.member, 'POST', `${base}/lists/${other.id}/patients`, { patientIds: [moving] });
    const move = await big.api(team.member, 'POST', `${base}/lists/${other.id}/patients/${moving}/move`, { toListId: list.id });
    expect(move.status).toBe(409);
    expect(move.body).toMatchObject({ code: 'list_full' });
    const attempts = async (operation: string) =>
      (await big.api(reader, 'GET', `/api/audit?operation=${operation}&user=${team.member}&patient=${moving}`)).body.events
        .filter((e: { outcome: string }) => e.outcome === 'failure')
        .map((e: { status: number; listId: string }) => [e.status, e.listId]);
    expect(await attempts('PatientListMovePatient')).toEqual([[409, other.id]]);
    expect(await attempts('PatientListAddPatient')).toEqual(expect.arrayContaining([[409, list.id]]));
    expect((await attempts('PatientListAddPatient')).filter(([, listId]: [number, string]) => listId === list.id)).toHaveLength(2);
  });
});
