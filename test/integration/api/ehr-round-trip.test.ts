import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

// The same story for each FHIR version the sandbox speaks, over real HTTP end to end:
// tab API -> backend -> token endpoint + FHIR endpoint of the sandbox partner.
const versions = [
  { key: 'r4', fhirVersion: 'R4' },
  { key: 'stu3', fhirVersion: 'STU3' },
  { key: 'dstu2', fhirVersion: 'DSTU2' },
] as const;

let server: TestServer;
let who: ReturnType<typeof cast>;

beforeAll(async () => {
  server = await startTestServer();
  who = cast(server.info);
});
afterAll(() => server?.stop());

const teamPath = (teamId: string) => `/api/teams/${teamId}`;

describe.each(versions)('with the sandbox $fhirVersion endpoint', ({ key, fhirVersion }) => {
  const connect = async (teamId: string, owner: string) =>
    server.api(owner, 'PUT', `${teamPath(teamId)}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir[key], name: `Sandbox ${fhirVersion}` });

  it('connects, finds patients by name and by MRN, reads one, and keeps them on a list', async () => {
    const base = teamPath(who.team.id);
    const connected = await connect(who.team.id, who.owner);
    expect(connected.status).toBe(200);
    expect(connected.body).toMatchObject({ mode: 'ehr', fhirVersion, auth: 'client_credentials', name: `Sandbox ${fhirVersion}` });
    expect(connected.body.resources).toContain('Patient');
    expect((await server.api(who.member, 'GET', `${base}/connection`)).body).toEqual(connected.body);

    const some = await server.api(who.member, 'GET', `${base}/patients?gender=female&count=5`);
    expect(some.status).toBe(200);
    expect(some.body.patients.length).toBeGreaterThan(0);
    const patient = some.body.patients.find((p: { mrn: string | null }) => p.mrn);
    expect(patient).toMatchObject({ id: expect.any(String), displayName: expect.any(String), mrn: expect.any(String), gender: 'female' });

    const family = patient.displayName.split(' ').at(-1);
    const byFamily = await server.api(who.member, 'GET', `${base}/patients?family=${encodeURIComponent(family)}`);
    expect(byFamily.body.patients.map((p: { id: string }) => p.id)).toContain(patient.id);
    const byName = await server.api(who.member, 'GET', `${base}/patients?name=${encodeURIComponent(family.slice(0, 3))}`);
    expect(byName.body.patients.map((p: { id: string }) => p.id)).toContain(patient.id);

    const byMrn = await server.api(who.member, 'GET', `${base}/patients?identifier=${encodeURIComponent(patient.mrn)}`);
    expect(byMrn.body.patients).toEqual([patient]);

    const read = await server.api(who.member, 'GET', `${base}/patients/${patient.id}`);
    expect(read.body).toEqual(patient);

    const created = await server.api(who.member, 'POST', `${base}/lists`, { name: `Rounds ${fhirVersion}` });
    expect(created.status).toBe(201);
    const listPath = `${base}/lists/${created.body.id}`;
    const added = await server.api(who.member, 'POST', `${listPath}/patients`, { patientIds: [patient.id, patient.id] });
    expect(added.status).toBe(200);
    const again = await server.api(who.owner, 'POST', `${listPath}/patients`, { patientIds: [patient.id] });
    expect(again.status).toBe(200);

    const list = await server.api(who.owner, 'GET', listPath);
    expect(list.body).toMatchObject({
      id: created.body.id,
      name: `Rounds ${fhirVersion}`,
      rows: [
        {
          patientId: patient.id,
          displayName: patient.displayName,
          mrn: patient.mrn,
          birthDate: patient.birthDate,
          gender: 'female',
          available: true,
        },
      ],
    });
    const lists = await server.api(who.owner, 'GET', `${base}/lists`);
    expect(lists.body).toContainEqual({ id: created.body.id, name: `Rounds ${fhirVersion}`, patientCount: 1, isDefault: false });

    expect((await server.api(who.member, 'DELETE', `${listPath}/patients/${patient.id}`)).status).toBe(204);
    expect((await server.api(who.member, 'GET', listPath)).body.rows).toEqual([]);
    expect((await server.api(who.member, 'DELETE', `${listPath}/patients/${patient.id}`)).body.code).toBe('patient_not_on_list');
  });

  it('searches for what was typed as one value: a comma never finds two names or two MRNs', async () => {
    const base = teamPath(who.team.id);
    await connect(who.team.id, who.owner);
    const two = (await server.api(who.member, 'GET', `${base}/patients?gender=female&count=20`)).body.patients.filter(
      (p: { mrn: string | null }) => p.mrn,
    );
    const [a, b] = [two[0], two.find((p: { displayName: string }) => p.displayName.split(' ').at(-1) !== two[0].displayName.split(' ').at(-1))];
    const family = (p: { displayName: string }) => p.displayName.split(' ').at(-1)!;
    const search = async (query: string) => (await server.api(who.member, 'GET', `${base}/patients?${query}`)).body.patients as { id: string }[];
    expect((await search(`family=${encodeURIComponent(family(a))}`)).map((p) => p.id)).toContain(a.id);
    expect(await search(`family=${encodeURIComponent(`${family(a)},${family(b)}`)}`)).toEqual([]);
    expect(await search(`name=${encodeURIComponent(`${family(a)},${family(b)}`)}`)).toEqual([]);
    expect(await search(`identifier=${encodeURIComponent(`${a.mrn},${b.mrn}`)}`)).toEqual([]);
    expect(await search(`identifier=${encodeURIComponent(`|${a.mrn}`)}`)).toEqual([]);
    expect((await search(`identifier=${encodeURIComponent(a.mrn)}`)).map((p) => p.id)).toEqual([a.id]);
  });

  it('pages through search results with the next cursor', async () => {
    await connect(who.team.id, who.owner);
    const first = await server.api(who.member, 'GET', `${teamPath(who.team.id)}/patients?gender=male&count=2`);
    expect(first.body.patients).toHaveLength(2);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await server.api(who.member, 'GET', `${teamPath(who.team.id)}/patients?page=${encodeURIComponent(first.body.next)}`);
    expect(second.status).toBe(200);
    expect(second.body.patients.length).toBeGreaterThan(0);
    const firstIds = first.body.patients.map((p: { id: string }) => p.id);
    for (const p of second.body.patients) expect(firstIds).not.toContain(p.id);
  });

  it("keeps another tenant away from this tenant's patients and lists", async () => {
    await connect(who.team.id, who.owner);
    const mine = await server.api(who.owner, 'GET', `${teamPath(who.team.id)}/patients?gender=female&count=1`);
    const patient = mine.body.patients[0];
    const list = await server.api(who.owner, 'POST', `${teamPath(who.team.id)}/lists`, { name: 'Private' });

    const theirs = teamPath(who.otherTenantTeam.id);
    expect((await connect(who.otherTenantTeam.id, who.otherTenantOwner)).status).toBe(200);
    if (patient.mrn) {
      const search = await server.api(who.otherTenantOwner, 'GET', `${theirs}/patients?identifier=${encodeURIComponent(patient.mrn)}`);
      expect(search.body.patients).toEqual([]);
    }
    const read = await server.api(who.otherTenantOwner, 'GET', `${theirs}/patients/${patient.id}`);
    if (read.status === 200) expect(read.body.mrn).not.toBe(patient.mrn);
    else expect(read.body.code).toBe('patient_not_found');

    expect((await server.api(who.otherTenantOwner, 'GET', `${teamPath(who.team.id)}/lists`)).body.code).toBe('team_not_found');
    expect((await server.api(who.otherTenantOwner, 'GET', `${theirs}/lists/${list.body.id}`)).body.code).toBe('list_not_found');
    const theirLists = await server.api(who.otherTenantOwner, 'GET', `${theirs}/lists`);
    expect(theirLists.body.map((l: { id: string }) => l.id)).not.toContain(list.body.id);
  });
});
