import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

let server: TestServer;
let who: ReturnType<typeof cast>;
let base: string;

beforeAll(async () => {
  server = await startTestServer();
  who = cast(server.info);
  base = `/api/teams/${who.team.id}`;
  expect((await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'manual' })).status).toBe(200);
});
afterAll(() => server?.stop());

const schema = {
  fields: [
    { id: 'acuity', label: 'Acuity', type: 'choice', choices: ['Low', 'Medium', 'High'], required: true },
    { id: 'drains', label: 'Drains', type: 'number' },
    { id: 'surgery', label: 'Surgery date', type: 'date' },
    { id: 'plan', label: 'Plan', type: 'text' },
  ],
};

describe('Manual mode', () => {
  it('lets the owner define the schema, members add and edit patients, and lists, notes and export work alike', async () => {
    expect((await server.api(who.member, 'PUT', `${base}/schema`, schema)).body.code).toBe('owner_required');
    const saved = await server.api(who.owner, 'PUT', `${base}/schema`, schema);
    expect(saved).toMatchObject({ status: 200, body: { version: 1, fields: schema.fields } });

    const created = await server.api(who.member, 'POST', `${base}/manual-patients`, {
      name: 'Ada Lovelace',
      mrn: 'M-1',
      birthDate: '1985-12-10',
      gender: 'female',
      room: '12B',
      values: { acuity: 'High', drains: 2, surgery: '2026-11-20', plan: '=cmd' },
    });
    expect(created).toMatchObject({ status: 201, body: { id: expect.any(String), name: 'Ada Lovelace', version: 1 } });
    const edited = await server.api(who.member, 'PATCH', `${base}/manual-patients/${created.body.id}`, {
      name: 'Ada Lovelace',
      room: '14A',
      values: { acuity: 'Medium', drains: 1 },
      version: 1,
    });
    expect(edited.body).toMatchObject({ room: '14A', values: { acuity: 'Medium', drains: 1 }, version: 2 });
    const stale = await server.api(who.owner, 'PATCH', `${base}/manual-patients/${created.body.id}`, {
      name: 'X',
      values: { acuity: 'Low' },
      version: 1,
    });
    expect(stale.body.code).toBe('version_conflict');

    const list = (await server.api(who.member, 'POST', `${base}/lists`, { name: 'Manual' })).body;
    await server.api(who.member, 'PATCH', `${base}/lists/${list.id}`, {
      columns: ['name', 'mrn', 'location', 'field:acuity', 'field:drains', 'heartRate', 'latestNote'],
    });
    expect((await server.api(who.member, 'POST', `${base}/lists/${list.id}/patients`, { patientIds: [created.body.id] })).status).toBe(200);
    await server.api(who.owner, 'POST', `${base}/patients/${created.body.id}/notes`, { text: 'Ambulating' });
    const view = (await server.api(who.member, 'GET', `${base}/lists/${list.id}`)).body;
    expect(view.rows).toEqual([
      {
        patientId: created.body.id,
        displayName: 'Ada Lovelace',
        mrn: 'M-1',
        birthDate: '1985-12-10',
        gender: 'female',
        available: true,
        cells: {
          location: { status: 'ok', value: { location: '14A', room: '14A', bed: null } },
          'field:acuity': { status: 'ok', value: 'Medium' },
          'field:drains': { status: 'ok', value: 1 },
          heartRate: { status: 'unavailable', reason: 'not_offered' },
          latestNote: { status: 'ok', value: expect.objectContaining({ text: 'Ambulating' }) },
        },
      },
    ]);
    const csv = (await server.api(who.member, 'GET', `${base}/lists/${list.id}/export.csv`)).body as string;
    expect(csv.split('\r\n')[0].replace('\uFEFF', '')).toBe(
      'Name,MRN,Location,Acuity,Drains,Heart rate,Heart rate unit,Heart rate time (UTC),Heart rate flag,Latest note (UTC)',
    );
    // A vital sign a Manual-mode team does not have: why in the value column, the unit, time and flag left empty.
    expect(csv).toContain('Ada Lovelace,M-1,Room 14A,Medium,1,Not available,,,,');
  });

  it('refuses values that do not fit the schema, and schema changes that conflict with existing values', async () => {
    const bad = [
      { name: 'A', values: { acuity: 'Extreme' } },
      { name: 'A', values: { acuity: 'Low', drains: 'two' } },
      { name: 'A', values: { acuity: 'Low', surgery: '2026-13-45' } },
      { name: 'A', values: { acuity: 'Low', shoe: 'size 9' } },
      { name: 'A', values: {} },
      { name: '', values: { acuity: 'Low' } },
      { name: 'A', birthDate: 'yesterday', values: { acuity: 'Low' } },
      // A birth date that has not begun anywhere on Earth (2062 typed for 1962).
      { name: 'A', birthDate: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10), values: { acuity: 'Low' } },
    ];
    const before = (await server.api(who.member, 'GET', `${base}/manual-patients`)).body.patients.length;
    for (const body of bad) expect((await server.api(who.member, 'POST', `${base}/manual-patients`, body)).body.code).toBe('validation_failed');
    expect((await server.api(who.member, 'GET', `${base}/manual-patients`)).body.patients).toHaveLength(before);

    const narrowed = {
      fields: [
        { id: 'acuity', label: 'Acuity', type: 'choice', choices: ['Low', 'High'] },
        { id: 'drains', label: 'Drains', type: 'text' },
        { id: 'surgery', label: 'Surgery date', type: 'date' },
        { id: 'plan', label: 'Plan', type: 'text' },
      ],
    };
    const refused = await server.api(who.owner, 'PUT', `${base}/schema`, narrowed);
    expect(refused).toMatchObject({ status: 409, body: { code: 'schema_conflict' } });
    expect(refused.body.message).toContain('Acuity');
    expect((await server.api(who.owner, 'PUT', `${base}/schema`, { fields: [] })).body.code).toBe('schema_conflict');
    expect((await server.api(who.owner, 'PUT', `${base}/schema`, { fields: [{ id: 'name', label: 'Name', type: 'text' }] })).body.code).toBe(
      'validation_failed',
    );
    expect((await server.api(who.member, 'GET', `${base}/schema`)).body.version).toBe(1);
  });

  it('records schema and patient edits in the audit trail', async () => {
    const reader = server.info.users.find((u) => u.name === 'Casey Lindqvist')!.id;
    const ops = (await server.api(reader, 'GET', '/api/audit')).body.events.map(
      (e: { operation: string; outcome: string }) => `${e.operation}:${e.outcome}`,
    );
    expect(ops).toContain('PatientSchemaCreate:success');
    expect(ops).toContain('PatientSchemaCreate:failure');
    expect(ops).toContain('PatientSchemaUpdate:failure');
    expect(ops.filter((o: string) => o === 'PatientDetailsEdit:success')).toHaveLength(2);
    // A refused schema change whose answer names patients (who holds a value it would break) records their ids.
    const patients = (await server.api(who.member, 'GET', `${base}/manual-patients`)).body.patients as { id: string; name: string }[];
    const refusals = (await server.api(reader, 'GET', '/api/audit?operation=PatientSchemaUpdate')).body.events.filter(
      (e: { outcome: string }) => e.outcome === 'failure',
    );
    const named = refusals.map((e: { patientId: string | null }) => e.patientId).filter(Boolean);
    expect(named).toContain(patients.find((p) => p.name === 'Ada Lovelace')!.id);
  });

  it('records a refused schema change whose answer names patients as a read of each of them', async () => {
    const reader = server.info.users.find((u) => u.name === 'Casey Lindqvist')!.id;
    const patients = (await server.api(who.member, 'GET', `${base}/manual-patients`)).body.patients as { id: string; name: string }[];
    const { version } = (await server.api(who.owner, 'GET', `${base}/schema`)).body;
    const from = new Date().toISOString();
    const refused = await server.api(who.owner, 'PUT', `${base}/schema`, { fields: [], version });
    expect(refused.status).toBe(409);
    const shown = patients.filter((p) => refused.body.message.includes(p.name)).map((p) => p.id);
    expect(shown.length).toBeGreaterThan(0);
    const reads = (
      (await server.api(reader, 'GET', `/api/audit?from=${encodeURIComponent(from)}&operation=PatientSearch`)).body.events as {
        outcome: string;
        status: number;
        userId: string;
        patientId: string;
      }[]
    ).filter((e) => e.userId === who.owner);
    // The owner was shown who holds the values: each of them has a read in their trail, as given.
    expect(reads.map((e) => [e.outcome, e.status, e.patientId]).sort()).toEqual(shown.map((id) => ['success', 200, id]).sort());
  });

  it('records a refused change of an existing schema as an update, not as a create', async () => {
    const reader = server.info.users.find((u) => u.name === 'Casey Lindqvist')!.id;
    const failures = async (operation: string) =>
      (
        (await server.api(reader, 'GET', `/api/audit?team=${who.team.id}&operation=${operation}`)).body.events as {
          outcome: string;
          status: number;
          userId: string;
        }[]
      )
        .filter((e) => e.outcome === 'failure')
        .map((e) => `${e.status}:${e.userId === who.member ? 'member' : 'owner'}`);
    const [createdBefore, updatedBefore] = [await failures('PatientSchemaCreate'), await failures('PatientSchemaUpdate')];
    const { version } = (await server.api(who.owner, 'GET', `${base}/schema`)).body;
    expect(version).toBeGreaterThan(0);
    // A member is refused before the body is read: either change may have been meant, so an auditor's filter on updates finds it.
    expect((await server.api(who.member, 'PUT', `${base}/schema`, { fields: [], version })).status).toBe(403);
    // An owner's malformed change of the schema read at its version: an update.
    expect((await server.api(who.owner, 'PUT', `${base}/schema`, { fields: 'none', version })).status).toBe(400);
    const [createdAfter, updatedAfter] = [await failures('PatientSchemaCreate'), await failures('PatientSchemaUpdate')];
    expect(updatedAfter.slice(updatedBefore.length)).toEqual(['403:member', '400:owner']);
    expect(createdAfter.slice(createdBefore.length)).toEqual(['403:member']);
  });

  it('answers and records a change whose choice colours are keyed by names JavaScript objects carry', async () => {
    const updates = async () =>
      (
        await server.api(
          server.info.users.find((u) => u.name === 'Casey Lindqvist')!.id,
          'GET',
          `/api/audit?team=${who.team.id}&operation=PatientSchemaUpdate`,
        )
      ).body.events.length as number;
    const { version } = (await server.api(who.owner, 'GET', `${base}/schema`)).body;
    for (const key of ['toString', '__proto__', 'constructor']) {
      const before = await updates();
      const body = JSON.parse(`{"fields":[{"id":"ch","label":"C","type":"choice","choices":["a"],"colours":{"${key}":"red"}}],"version":${version}}`);
      const refused = await server.api(who.owner, 'PUT', `${base}/schema`, body);
      expect(refused, key).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
      expect(await updates(), key).toBe(before + 1);
    }
    expect((await server.api(who.member, 'GET', `${base}/schema`)).body.version).toBe(version);
  });

  it('refuses field ids and value keys JavaScript objects already carry, naming them, and keeps working after', async () => {
    for (const id of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const refused = await server.api(who.owner, 'PUT', `${base}/schema`, { fields: [...schema.fields, { id, label: 'Size', type: 'text' }] });
      expect(refused).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
      expect(refused.body.message).toContain(`“${id}” is a reserved name`);
    }
    const room = await server.api(who.owner, 'PUT', `${base}/schema`, { fields: [...schema.fields, { id: 'room', label: 'Room', type: 'text' }] });
    expect(room.body.message).toContain('“room” is a built-in field');
    expect((await server.api(who.member, 'GET', `${base}/schema`)).body.fields).toEqual(schema.fields);

    const before = (await server.api(who.member, 'GET', `${base}/manual-patients`)).body.patients.length;
    for (const key of ['__proto__', 'constructor', 'toString']) {
      const body = JSON.parse(`{"name":"Grace Hopper","values":{"acuity":"Low","${key}":{"polluted":true}}}`);
      const refused = await server.api(who.member, 'POST', `${base}/manual-patients`, body);
      expect(refused).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
      expect(refused.body.message).toContain(`“${key}” is a reserved name, not a field of this team's schema.`);
      expect(refused.body.message).not.toContain('values.');
    }
    expect((await server.api(who.member, 'GET', `${base}/manual-patients`)).body.patients).toHaveLength(before);
    const fine = await server.api(who.member, 'POST', `${base}/manual-patients`, { name: 'Grace Hopper', values: { acuity: 'Low' } });
    expect(fine).toMatchObject({ status: 201, body: { values: { acuity: 'Low' } } });
  });

  it('refuses a hand-entered patient whose text carries invisible direction controls, naming the field, changing nothing', async () => {
    const before = (await server.api(who.member, 'GET', `${base}/manual-patients`)).body.patients.length;
    // U+202E RIGHT-TO-LEFT OVERRIDE: "give \u202E01 mg" reads as "give 10 mg" on a colleague's screen.
    const plan = await server.api(who.member, 'POST', `${base}/manual-patients`, {
      name: 'Edsger',
      values: { acuity: 'Low', plan: 'give \u202E01 mg' },
    });
    expect(plan).toMatchObject({ status: 400, body: { code: 'validation_failed', issues: [{ field: 'plan', code: 'direction_controls' }] } });
    expect(plan.body.message).toBe('Plan: remove the invisible text direction controls (they often come with pasted text).');
    for (const builtIn of [{ mrn: 'M-\u2066 9' }, { room: '\u202D12B' }]) {
      const refused = await server.api(who.member, 'POST', `${base}/manual-patients`, { name: 'Edsger', values: { acuity: 'Low' }, ...builtIn });
      expect(refused).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
      expect(refused.body.message).toContain('invisible text direction controls');
    }
    expect((await server.api(who.member, 'GET', `${base}/manual-patients`)).body.patients).toHaveLength(before);
    // A number field's unit sits beside every value: "\u202Egm" would read as "mg".
    const schemaBefore = (await server.api(who.member, 'GET', `${base}/schema`)).body;
    const unit = await server.api(who.owner, 'PUT', `${base}/schema`, {
      fields: [...schema.fields.map((f) => (f.id === 'drains' ? { ...f, unit: '\u202Egm' } : f))],
      version: schemaBefore.version,
    });
    expect(unit).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(unit.body.message).toContain('invisible text direction controls');
    expect((await server.api(who.member, 'GET', `${base}/schema`)).body).toEqual(schemaBefore);
  });

  it('asks for Manual mode before manual patients are added', async () => {
    const other = `/api/teams/${who.contoso.teams[1].id}`;
    const owner = who.contoso.teams[1].owners[0];
    expect((await server.api(owner, 'POST', `${other}/manual-patients`, { name: 'A' })).body.code).toBe('not_manual_mode');
  });
});
