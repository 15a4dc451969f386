import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

let server: TestServer;
let who: ReturnType<typeof cast>;

beforeAll(async () => {
  server = await startTestServer();
  who = cast(server.info);
});
afterAll(() => server?.stop());

interface Summary {
  id: string;
  displayName: string;
  sortName?: string;
  mrn: string | null;
  birthDate: string | null;
  deceased?: { date: string | null } | null;
  recordNotice?: { kind: string; replacedById: string | null; replacedByName: string | null } | null;
}

const base = () => `/api/teams/${who.team.id}`;

/** The team connected to the sandbox's link of `version`, and every patient a search there finds. */
async function connectAndFindAll(version: 'r4' | 'stu3' | 'dstu2'): Promise<Summary[]> {
  await server.api(who.owner, 'PUT', `${base()}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir[version], name: version });
  const found: Summary[] = [];
  for (const gender of ['female', 'male'])
    found.push(...(await server.api(who.owner, 'GET', `${base()}/patients?gender=${gender}&count=100`)).body.patients);
  return found;
}

describe.each(['r4', 'stu3', 'dstu2'] as const)('the patient on the row, from the sandbox %s endpoint', (version) => {
  it('a patient who died during the stay carries the date of death on the row, in the details and in the CSV; the others are alive', async () => {
    const found = await connectAndFindAll(version);
    const dead = found.find((p) => p.deceased);
    const alive = found.find((p) => !p.deceased)!;
    expect(dead?.deceased?.date).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(alive.deceased).toBeNull();
    // The name column sorts by family, then given names.
    for (const p of found) expect(p.sortName).toMatch(/^\S.*, \S/);

    const list = (await server.api(who.owner, 'POST', `${base()}/lists`, { name: `Death ${version}` })).body;
    await server.api(who.owner, 'PATCH', `${base()}/lists/${list.id}`, { columns: ['name', 'birthDate', 'location'] });
    await server.api(who.owner, 'POST', `${base()}/lists/${list.id}/patients`, { patientIds: [dead!.id, alive.id] });
    const view = (await server.api(who.member, 'GET', `${base()}/lists/${list.id}`)).body;
    expect(view.rows[0]).toMatchObject({ patientId: dead!.id, deceased: { date: dead!.deceased!.date }, sortName: dead!.sortName });
    expect(view.rows[1]).toMatchObject({ patientId: alive.id, deceased: null });

    const details = (await server.api(who.member, 'GET', `${base()}/patients/${dead!.id}/details`)).body;
    expect(details.patient.deceased).toEqual({ date: dead!.deceased!.date });

    const res = await fetch(`${server.url}${base()}/lists/${list.id}/export.csv`, {
      headers: { authorization: `Bearer ${await server.tokenFor(who.member)}` },
    });
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(csv).toContain(`${dead!.birthDate} (died ${dead!.deceased!.date!.slice(0, 10)}, aged `);
  });

  it('a duplicate record merged into another reads as replaced, with the record to use, in search, on the row, in the details and in the CSV', async () => {
    const found = await connectAndFindAll(version);
    // The sandbox's duplicate registration: Patient.link replaced-by (DSTU2 replace) and active false.
    const duplicates = found.filter((p) => p.recordNotice);
    expect(duplicates).toHaveLength(1);
    const [duplicate] = duplicates;
    const kept = found.find((p) => p.id === duplicate.recordNotice!.replacedById)!;
    expect(duplicate.recordNotice).toEqual({ kind: 'replaced', replacedById: kept.id, replacedByName: kept.displayName });
    expect(kept.recordNotice).toBeNull();
    expect(duplicate.displayName).toBe(kept.displayName);
    expect(duplicate.mrn).not.toBe(kept.mrn);

    const list = (await server.api(who.owner, 'POST', `${base()}/lists`, { name: `Merged ${version}` })).body;
    const ehrColumns = ['allergies', 'conditions', 'medications', 'heartRate', 'location', 'careProvider'];
    await server.api(who.owner, 'PATCH', `${base()}/lists/${list.id}`, { columns: ['name', 'mrn', ...ehrColumns, 'latestNote'] });
    await server.api(who.owner, 'POST', `${base()}/lists/${list.id}/patients`, { patientIds: [duplicate.id, kept.id] });
    const view = (await server.api(who.member, 'GET', `${base()}/lists/${list.id}`)).body;
    const rowOf = (id: string) => view.rows.find((r: { patientId: string }) => r.patientId === id);
    expect(rowOf(duplicate.id).recordNotice).toEqual(duplicate.recordNotice);
    expect(rowOf(kept.id).recordNotice).toBeNull();
    // The replaced record's data went to the record in use: its EHR cells are neither "none recorded" nor current.
    for (const column of ehrColumns) {
      expect(rowOf(duplicate.id).cells[column], column).toEqual({ status: 'unavailable', reason: 'replaced_record' });
      expect(rowOf(kept.id).cells[column].reason, column).toBeUndefined();
    }
    expect(rowOf(duplicate.id).cells.latestNote).toEqual({ status: 'none' });

    const details = (await server.api(who.member, 'GET', `${base()}/patients/${duplicate.id}/details`)).body;
    expect(details.patient.recordNotice).toEqual(duplicate.recordNotice);

    const res = await fetch(`${server.url}${base()}/lists/${list.id}/export.csv`, {
      headers: { authorization: `Bearer ${await server.tokenFor(who.member)}` },
    });
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(csv).toContain(`${duplicate.displayName} (replaced record: use ${kept.displayName})`);
    expect(csv.match(/replaced record/g)).toHaveLength(1);
  });
});
