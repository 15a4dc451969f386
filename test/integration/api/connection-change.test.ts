import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

let server: TestServer;
let who: ReturnType<typeof cast>;
let base: string;
let ehr: { mode: 'ehr'; url: string; name: string };

beforeAll(async () => {
  server = await startTestServer();
  who = cast(server.info);
  base = `/api/teams/${who.team.id}`;
  ehr = { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'Sandbox' };
  expect((await server.api(who.owner, 'PUT', `${base}/connection`, ehr)).status).toBe(200);
});
afterAll(() => server?.stop());

const connection = async () => (await server.api(who.member, 'GET', `${base}/connection`)).body;

describe('changing where the patients come from', () => {
  it('switches freely while no list holds a patient, and renaming the same link needs no confirmation', async () => {
    const empty = (await server.api(who.owner, 'POST', `${base}/lists`, { name: 'Empty' })).body;
    expect((await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'manual' })).status).toBe(200);
    expect((await server.api(who.owner, 'PUT', `${base}/connection`, ehr)).status).toBe(200);
    await server.api(who.owner, 'DELETE', `${base}/lists/${empty.id}`);
  });

  it('refuses an unconfirmed switch while lists hold patients, with the counts, and changes nothing', async () => {
    const found = (await server.api(who.owner, 'GET', `${base}/patients?gender=female&count=3`)).body.patients as { id: string }[];
    const ward = (await server.api(who.owner, 'POST', `${base}/lists`, { name: 'Ward' })).body;
    const rounds = (await server.api(who.owner, 'POST', `${base}/lists`, { name: 'Rounds' })).body;
    await server.api(who.owner, 'POST', `${base}/lists/${ward.id}/patients`, { patientIds: found.map((p) => p.id) });
    await server.api(who.owner, 'POST', `${base}/lists/${rounds.id}/patients`, { patientIds: [found[0]!.id] });

    // Same link under another name: the patients stay where they are, so no confirmation.
    expect((await server.api(who.owner, 'PUT', `${base}/connection`, { ...ehr, name: 'Ward EHR' })).status).toBe(200);

    const refused = await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'manual' });
    expect(refused.status).toBe(412);
    expect(refused.body.code).toBe('precondition_failed');
    expect(refused.body.message).toContain('2 lists with 4 patients');
    expect(refused.body.message).toContain('takes these 4 patients off the lists');
    expect(refused.body.message).toContain('"confirm": true');
    for (const p of found) expect(refused.body.message).not.toContain(p.id);
    expect(await connection()).toMatchObject({ mode: 'ehr', name: 'Ward EHR' });

    // Another EHR link is a change of source too, refused before the link is tried.
    const otherLink = await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.stu3, name: 'Other' });
    expect(otherLink).toMatchObject({ status: 412, body: { code: 'precondition_failed' } });
    expect(await connection()).toMatchObject({ mode: 'ehr', url: ehr.url });

    // Only `true` confirms; a member cannot confirm for the owner.
    expect((await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'manual', confirm: 'yes' })).body.code).toBe('validation_failed');
    expect((await server.api(who.member, 'PUT', `${base}/connection`, { mode: 'manual', confirm: true })).body.code).toBe('owner_required');
    expect(await connection()).toMatchObject({ mode: 'ehr' });

    const confirmed = await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'manual', confirm: true });
    expect(confirmed).toMatchObject({ status: 200, body: { mode: 'manual' } });
    // The lists stay, without the old source's patients (source-change-data.test.ts has the rest).
    const lists = (await server.api(who.member, 'GET', `${base}/lists`)).body as { id: string; patientCount: number }[];
    expect(lists.find((l) => l.id === ward.id)?.patientCount).toBe(0);

    // And back to the EHR: the same rule the other way round, once the lists hold patients again.
    const hand = (await server.api(who.owner, 'POST', `${base}/manual-patients`, { name: 'Ada Lovelace', values: {} })).body;
    await server.api(who.owner, 'POST', `${base}/lists/${ward.id}/patients`, { patientIds: [hand.id] });
    expect((await server.api(who.owner, 'PUT', `${base}/connection`, ehr)).body.code).toBe('precondition_failed');
    expect(await connection()).toMatchObject({ mode: 'manual' });
    expect((await server.api(who.owner, 'PUT', `${base}/connection`, { ...ehr, confirm: true })).body).toMatchObject({ mode: 'ehr', url: ehr.url });
  });
});
