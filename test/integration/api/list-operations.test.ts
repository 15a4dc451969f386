import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

let server: TestServer;
let who: ReturnType<typeof cast>;
let base: string;
let patients: { id: string; displayName: string }[];

beforeAll(async () => {
  server = await startTestServer();
  who = cast(server.info);
  base = `/api/teams/${who.team.id}`;
  await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'Sandbox' });
  patients = (await server.api(who.owner, 'GET', `${base}/patients?gender=female&count=4`)).body.patients;
});
afterAll(() => server?.stop());

const newList = async (name: string, ids: string[] = []) => {
  const list = (await server.api(who.owner, 'POST', `${base}/lists`, { name })).body;
  if (ids.length) await server.api(who.owner, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: ids });
  return list.id as string;
};

describe('list operations', () => {
  it('renames a list, and tells the second of two owners who renamed from the same version', async () => {
    const id = await newList('Rounds');
    const read = await server.api(who.owner, 'GET', `${base}/lists/${id}`);
    const version = read.body.version;
    const first = await server.api(who.owner, 'PATCH', `${base}/lists/${id}`, { name: 'Morning rounds', version });
    const second = await server.api(who.member, 'PATCH', `${base}/lists/${id}`, { name: 'Evening rounds', version });
    expect(first.status).toBe(200);
    expect(second).toMatchObject({ status: 412, body: { code: 'version_conflict' } });
    expect((await server.api(who.member, 'GET', `${base}/lists/${id}`)).body.name).toBe('Morning rounds');
  });

  it('sets columns in order, refusing unknown or repeated ones', async () => {
    const id = await newList('Columns');
    const set = await server.api(who.member, 'PATCH', `${base}/lists/${id}`, { columns: ['name', 'heartRate', 'location'] });
    expect(set.body.columns).toEqual(['name', 'heartRate', 'location']);
    for (const columns of [['name', 'shoeSize'], ['name', 'name'], []]) {
      expect((await server.api(who.member, 'PATCH', `${base}/lists/${id}`, { columns })).body.code).toBe('validation_failed');
    }
    expect((await server.api(who.member, 'GET', `${base}/lists/${id}`)).body.columns).toEqual(['name', 'heartRate', 'location']);
  });

  it('moves a patient to another list and deletes a list', async () => {
    const from = await newList('Ward', [patients[0].id, patients[1].id]);
    const to = await newList('Discharge');
    const moved = await server.api(who.member, 'POST', `${base}/lists/${from}/patients/${patients[0].id}/move`, { toListId: to });
    expect(moved.status).toBe(200);
    expect((await server.api(who.member, 'GET', `${base}/lists/${from}`)).body.rows.map((r: { patientId: string }) => r.patientId)).toEqual([
      patients[1].id,
    ]);
    expect((await server.api(who.member, 'GET', `${base}/lists/${to}`)).body.rows.map((r: { patientId: string }) => r.patientId)).toEqual([
      patients[0].id,
    ]);
    const again = await server.api(who.member, 'POST', `${base}/lists/${from}/patients/${patients[0].id}/move`, { toListId: to });
    expect(again.body.code).toBe('patient_not_on_list');

    expect((await server.api(who.member, 'DELETE', `${base}/lists/${to}`)).status).toBe(204);
    expect((await server.api(who.member, 'GET', `${base}/lists/${to}`)).body.code).toBe('list_not_found');
    const lists = (await server.api(who.member, 'GET', `${base}/lists`)).body;
    expect(lists.map((l: { id: string }) => l.id)).not.toContain(to);
  });

  it('keeps a default list per user', async () => {
    const id = await newList('Mine');
    expect((await server.api(who.member, 'PUT', `${base}/me/default-list`, { listId: id })).status).toBe(200);
    const mine = (await server.api(who.member, 'GET', `${base}/lists`)).body;
    const theirs = (await server.api(who.owner, 'GET', `${base}/lists`)).body;
    expect(mine.find((l: { id: string }) => l.id === id).isDefault).toBe(true);
    expect(theirs.find((l: { id: string }) => l.id === id).isDefault).toBe(false);
    expect((await server.api(who.member, 'PUT', `${base}/me/default-list`, { listId: '00000000-0000-4000-8000-000000000000' })).body.code).toBe(
      'list_not_found',
    );
  });
});

describe('notes', () => {
  it('adds team-visible notes with author and time, refusing empty or too long ones', async () => {
    const path = `${base}/patients/${patients[2].id}/notes`;
    const added = await server.api(who.member, 'POST', path, { text: 'Family meeting at 15:00 — 家属 — семья' });
    expect(added).toMatchObject({
      status: 201,
      body: { text: 'Family meeting at 15:00 — 家属 — семья', authorName: 'Blake Okafor', createdAt: expect.any(String) },
    });
    expect((await server.api(who.member, 'POST', path, { text: 'x'.repeat(10_000) })).body.code).toBe('validation_failed');
    expect((await server.api(who.member, 'POST', path, { text: '   ' })).body.code).toBe('validation_failed');
    const seen = await server.api(who.owner, 'GET', path);
    expect(seen.body.notes.map((n: { text: string }) => n.text)).toEqual(['Family meeting at 15:00 — 家属 — семья']);
    const otherTeam = `/api/teams/${who.contoso.teams[1].id}/patients/${patients[2].id}/notes`;
    // Another team never sees them: it does not have the patient (404, recorded as a failure), or has it and sees none.
    const other = await server.api(who.owner, 'GET', otherTeam);
    expect(other.status === 404 ? [] : other.body.notes).toEqual([]);
    expect(JSON.stringify(other.body)).not.toContain('Family meeting');
  });
});
