import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditOperation } from '../../../contract/audit-operations';
import type { SchemaField } from '../../../contract/manual';
import { wardTemplate } from '../../../contract/manual-template';
import { bothStores, type Answer, type StoreHarness } from '../../helpers/both-stores';
import { cast } from '../../helpers/test-server';

/**
 * Issue 13's whole story through the API, as the tab makes its calls, on both stores: a ward's
 * owner chooses Manual mode, saves the ward template and adds a person and a choice field, imports
 * a CSV and an Excel file (a preview with every row's problems, then the valid rows in one step; an
 * MRN the team has is reported, not doubled), puts the hand-entered patients on lists with the
 * team's fields as columns, reads and edits a patient (a bad value is refused per field and changes
 * nothing), adds a note, discharges a patient, exports the list, and finds each read and change in
 * the audit trail under the request that made it. The steps run in order, each on the last's team.
 */

/** The fields the owner adds to the template: a person and a choice whose values carry colours. */
const added: SchemaField[] = [
  { id: 'consultant', label: 'Consultant', type: 'person' },
  { id: 'fallsRisk', label: 'Falls risk', type: 'choice', choices: ['Low', 'Medium', 'High'], colours: { Medium: 'orange', High: 'red' } },
];

describe.each(bothStores)('%s', (_name, start) => {
  let server: StoreHarness;
  let who: ReturnType<typeof cast>;
  let base: string;
  /** Names of the team's people as the directory has them. */
  const nameOf = (id: string) => server.info.users.find((u) => u.id === id)!.name;
  /** What the audit trail must hold: by request, the operation, outcome and patients. */
  const expected: { what: string; requestId: string; operation: AuditOperation; outcome: 'success' | 'failure'; patientIds: string[] }[] = [];
  const audited = (what: string, answer: Answer, operation: AuditOperation, patientIds: string[], outcome: 'success' | 'failure' = 'success') => {
    expect(answer.requestId, what).not.toBe('');
    expected.push({ what, requestId: answer.requestId, operation, outcome, patientIds });
    return answer;
  };
  /** The patients by name, as the story meets them. */
  const ids: Record<string, string> = {};
  let rounds: string;
  let night: string;

  const roster = async () =>
    (await server.call(who.member, 'GET', `${base}/manual-patients`)).body.patients as { id: string; name: string; mrn: string | null }[];
  const upload = (file: Buffer, name: string) =>
    server.call(who.owner, 'POST', `${base}/manual-import/file`, file, {
      'content-type': 'application/octet-stream',
      'x-file-name': encodeURIComponent(name),
    });

  beforeAll(async () => {
    server = await start();
    who = cast(server.info);
    base = `/api/teams/${who.team.id}`;
  }, 60_000);
  afterAll(() => server?.stop());

  it('starts a team in Manual mode from the ward template, then adds a person and a choice field', async () => {
    expect(await server.call(who.owner, 'PUT', `${base}/connection`, { mode: 'manual' })).toMatchObject({ status: 200 });
    // A team that has not chosen fields yet: the tab offers the template or nothing.
    expect((await server.call(who.owner, 'GET', `${base}/schema`)).body).toEqual({ fields: [], version: 0 });

    const template = wardTemplate('en');
    const saved = await server.call(who.owner, 'PUT', `${base}/schema`, { fields: template, version: 0 });
    expect(saved).toMatchObject({ status: 200, body: { fields: template, version: 1 } });
    expect(template.map((f) => f.id)).toEqual(['bed', 'status', 'assignedNurse', 'admissionDate', 'diagnosis', 'codeStatus', 'isolation']);

    // Edited afterwards: a person and a choice field with colours, saved against the version read.
    const extended = await server.call(who.owner, 'PUT', `${base}/schema`, { fields: [...template, ...added], version: 1 });
    expect(extended).toMatchObject({ status: 200, body: { fields: [...template, ...added], version: 2 } });
    // A save against the version before is refused, and the fields stay as they are.
    expect((await server.call(who.owner, 'PUT', `${base}/schema`, { fields: template, version: 1 })).status).toBe(412);
    expect((await server.call(who.member, 'GET', `${base}/schema`)).body).toEqual({ fields: [...template, ...added], version: 2 });
    // The person fields offer the team's members by name.
    const members = (await server.call(who.member, 'GET', `${base}/members`)).body.members as { id: string; name: string }[];
    expect(members.map((m) => m.id).sort()).toEqual([...who.team.members].sort());
  });

  it('takes a patient typed in with the team’s fields', async () => {
    const created = await server.call(who.member, 'POST', `${base}/manual-patients`, {
      name: 'Mara Quinn',
      mrn: 'MQ-1',
      room: '12',
      values: {
        bed: 'B',
        status: 'Critical',
        assignedNurse: { id: who.member },
        admissionDate: '2026-11-28',
        diagnosis: 'Community-acquired pneumonia\non oxygen',
        isolation: 'Droplet',
        consultant: { id: who.owner },
        fallsRisk: 'High',
      },
    });
    expect(created).toMatchObject({
      status: 201,
      body: { name: 'Mara Quinn', version: 1, values: { assignedNurse: { id: who.member, name: nameOf(who.member) }, fallsRisk: 'High' } },
    });
    ids.mara = created.body.id;
    audited('a patient typed in', created, 'PatientDetailsEdit', [ids.mara]);
  });

  it('imports a CSV: a preview names every row’s problems, the valid rows come in one step, a known MRN is not doubled', async () => {
    const nurse = nameOf(who.member);
    // A Microsoft Lists export: "Title" is the name; the person is written by name as Teams shows it.
    const csv = Buffer.from(
      '\uFEFFTitle,MRN,Status,Assigned nurse,Falls risk,Admission date\r\n' +
        `Ilse Brandt,IB-2,Stable,${nurse},Low,2026-11-30\r\n` +
        'Tomas Reyes,TR-3,Watch,,Medium,2026-12-01T07:15:00Z\r\n' +
        'Mara Again,mq-1,Stable,,,\r\n' +
        'Ola Urgent,OU-4,Urgent,Nobody Known,Extreme,\r\n' +
        ',NN-5,Stable,,,\r\n',
    );
    const sent = await upload(csv, 'Ward 4B – Lists export.csv');
    expect(sent).toMatchObject({ status: 200, body: { fileName: 'Ward 4B – Lists export.csv', rowCount: 5 } });
    // Matching names are proposed: built-in aliases, and the team's fields by label.
    expect(sent.body.mapping).toEqual([
      { target: 'name', column: 'Title' },
      { target: 'mrn', column: 'MRN' },
      { target: 'field:status', column: 'Status' },
      { target: 'field:assignedNurse', column: 'Assigned nurse' },
      { target: 'field:admissionDate', column: 'Admission date' },
      { target: 'field:fallsRisk', column: 'Falls risk' },
    ]);
    const { token, mapping } = sent.body;

    const preview = audited(
      'the CSV previewed',
      await server.call(who.owner, 'POST', `${base}/manual-import/preview`, { token, mapping }),
      'PatientSearch',
      [ids.mara],
    );
    expect(preview).toMatchObject({ status: 200, body: { valid: 2, invalid: 3 } });
    const rows = preview.body.rows as {
      row: number;
      name: string;
      mrn: string | null;
      problems: string[];
      issues: { field: string; code: string }[];
    }[];
    expect(rows.map((r) => [r.row, r.name, r.problems.length])).toEqual([
      [2, 'Ilse Brandt', 0],
      [3, 'Tomas Reyes', 0],
      [4, 'Mara Again', 1],
      [5, 'Ola Urgent', 3],
      [6, '', 1],
    ]);
    expect(rows[2].problems).toEqual(['A patient with MRN “mq-1” is already in the team; this row is not imported again.']);
    expect(rows[2].issues).toEqual([{ field: 'mrn', code: 'mrn_in_team', value: 'mq-1' }]);
    expect(rows[3].issues).toEqual([
      { field: 'assignedNurse', code: 'not_member', value: 'Nobody Known' },
      { field: 'status', code: 'not_choice', choices: ['Stable', 'Watch', 'Critical', 'Ready for discharge'] },
      { field: 'fallsRisk', code: 'not_choice', choices: ['Low', 'Medium', 'High'] },
    ]);
    expect(rows[3].problems).toEqual([
      "Assigned nurse: “Nobody Known” is not a member of this team; write a member's name as Teams shows it.",
      'Status: choose one of Stable, Watch, Critical, Ready for discharge.',
      'Falls risk: choose one of Low, Medium, High.',
    ]);
    expect(rows[4]).toMatchObject({ problems: ['Name is required.'], issues: [{ field: 'name', code: 'required' }] });
    // A preview changes nothing.
    expect((await roster()).map((p) => p.name)).toEqual(['Mara Quinn']);

    const confirmed = await server.call(who.owner, 'POST', `${base}/manual-import/confirm`, { token, mapping, mode: 'valid' });
    expect(confirmed).toMatchObject({ status: 201, body: { imported: 2 } });
    expect(confirmed.body.skipped.map((r: { row: number }) => r.row)).toEqual([4, 5, 6]);
    const patients = await roster();
    expect(patients.map((p) => p.name).sort()).toEqual(['Ilse Brandt', 'Mara Quinn', 'Tomas Reyes']);
    expect(patients.filter((p) => p.mrn?.toLowerCase() === 'mq-1')).toHaveLength(1);
    for (const p of patients) ids[p.name.split(' ')[0].toLowerCase()] = p.id;
    audited('the CSV imported', confirmed, 'PatientDetailsEdit', [ids.ilse, ids.tomas]);

    const ilse = (await server.call(who.member, 'GET', `${base}/manual-patients/${ids.ilse}`)).body;
    expect(ilse.values).toEqual({ status: 'Stable', assignedNurse: { id: who.member, name: nurse }, fallsRisk: 'Low', admissionDate: '2026-11-30' });
    // A Lists date-time in a date column is read as its day.
    expect((await server.call(who.member, 'GET', `${base}/manual-patients/${ids.tomas}`)).body.values.admissionDate).toBe('2026-12-01');
  });

  it('imports an Excel workbook the same way; all-or-nothing refuses a file with a problem row and changes nothing', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Ward').addRows([
      ['Name', 'MRN', 'Room', 'Status', 'Falls risk', 'Consultant', 'Admission date'],
      ['Lin Wei', 'LW-4', '14', 'Stable', 'Medium', nameOf(who.owner), new Date(Date.UTC(2026, 10, 29))],
      ['Ilse Twice', 'IB-2', '15', 'Stable', 'Low', '', ''],
    ]);
    const sent = await upload(Buffer.from(await book.xlsx.writeBuffer()), 'ward.xlsx');
    expect(sent).toMatchObject({ status: 200, body: { fileName: 'ward.xlsx', rowCount: 2 } });
    expect(sent.body.columns).toEqual(['Name', 'MRN', 'Room', 'Status', 'Falls risk', 'Consultant', 'Admission date']);
    const { token, mapping } = sent.body;
    expect(mapping).toHaveLength(7);

    const preview = await server.call(who.owner, 'POST', `${base}/manual-import/preview`, { token, mapping });
    expect(preview).toMatchObject({ status: 200, body: { valid: 1, invalid: 1 } });
    expect(preview.body.rows[1]).toMatchObject({ row: 3, name: 'Ilse Twice', issues: [{ field: 'mrn', code: 'mrn_in_team', value: 'IB-2' }] });
    audited('the workbook previewed', preview, 'PatientSearch', [ids.ilse]);

    const all = await server.call(who.owner, 'POST', `${base}/manual-import/confirm`, { token, mapping, mode: 'all' });
    expect(all).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(all.body.message).toMatch(/^1 of 2 rows have problems, so nothing was imported\. Row 3: /);
    expect(await roster()).toHaveLength(3);

    const valid = await server.call(who.owner, 'POST', `${base}/manual-import/confirm`, { token, mapping, mode: 'valid' });
    expect(valid).toMatchObject({ status: 201, body: { imported: 1, skipped: [{ row: 3 }] } });
    const patients = await roster();
    expect(patients.map((p) => p.name).sort()).toEqual(['Ilse Brandt', 'Lin Wei', 'Mara Quinn', 'Tomas Reyes']);
    expect(patients.filter((p) => p.mrn === 'IB-2')).toHaveLength(1);
    ids.lin = patients.find((p) => p.name === 'Lin Wei')!.id;
    audited('the workbook imported', valid, 'PatientDetailsEdit', [ids.lin]);
    const lin = (await server.call(who.member, 'GET', `${base}/manual-patients/${ids.lin}`)).body;
    expect(lin).toMatchObject({
      room: '14',
      values: { status: 'Stable', fallsRisk: 'Medium', consultant: { id: who.owner, name: nameOf(who.owner) }, admissionDate: '2026-11-29' },
    });
  });

  it('shows the team’s fields as columns of a list: each cell carries its value, the view carries the fields', async () => {
    rounds = (await server.call(who.member, 'POST', `${base}/lists`, { name: 'Rounds' })).body.id;
    night = (await server.call(who.member, 'POST', `${base}/lists`, { name: 'Night' })).body.id;
    const everyone = [ids.mara, ids.ilse, ids.tomas, ids.lin];
    audited(
      'put on Rounds',
      await server.call(who.member, 'POST', `${base}/lists/${rounds}/patients`, { patientIds: everyone }),
      'PatientListAddPatient',
      everyone,
    );
    audited(
      'put on Night',
      await server.call(who.member, 'POST', `${base}/lists/${night}/patients`, { patientIds: [ids.tomas] }),
      'PatientListAddPatient',
      [ids.tomas],
    );
    const columns = ['name', 'mrn', 'field:status', 'field:assignedNurse', 'field:fallsRisk', 'field:consultant', 'field:admissionDate'];
    const set = await server.call(who.member, 'PATCH', `${base}/lists/${rounds}`, { columns });
    expect(set).toMatchObject({ status: 200, body: { columns } });

    const view = audited('Rounds read', await server.call(who.member, 'GET', `${base}/lists/${rounds}`), 'PatientListView', everyone);
    expect(view.status).toBe(200);
    expect(view.body.fields).toEqual([...wardTemplate('en'), ...added]);
    const cells = Object.fromEntries((view.body.rows as { patientId: string; cells: object }[]).map((r) => [r.patientId, r.cells]));
    const ok = (value: unknown) => ({ status: 'ok', value });
    const none = { status: 'none' };
    expect(cells).toEqual({
      [ids.mara]: {
        'field:status': ok('Critical'),
        'field:assignedNurse': ok({ id: who.member, name: nameOf(who.member) }),
        'field:fallsRisk': ok('High'),
        'field:consultant': ok({ id: who.owner, name: nameOf(who.owner) }),
        'field:admissionDate': ok('2026-11-28'),
      },
      [ids.ilse]: {
        'field:status': ok('Stable'),
        'field:assignedNurse': ok({ id: who.member, name: nameOf(who.member) }),
        'field:fallsRisk': ok('Low'),
        'field:consultant': none,
        'field:admissionDate': ok('2026-11-30'),
      },
      [ids.tomas]: {
        'field:status': ok('Watch'),
        'field:assignedNurse': none,
        'field:fallsRisk': ok('Medium'),
        'field:consultant': none,
        'field:admissionDate': ok('2026-12-01'),
      },
      [ids.lin]: {
        'field:status': ok('Stable'),
        'field:assignedNurse': none,
        'field:fallsRisk': ok('Medium'),
        'field:consultant': ok({ id: who.owner, name: nameOf(who.owner) }),
        'field:admissionDate': ok('2026-11-29'),
      },
    });
    const row = (view.body.rows as { patientId: string }[]).find((r) => r.patientId === ids.mara);
    expect(row).toMatchObject({ displayName: 'Mara Quinn', mrn: 'MQ-1', available: true });
  });

  it('opens a patient’s details, edits a value, refuses a bad value per field without changing anything, and adds a note', async () => {
    const details = audited('details read', await server.call(who.member, 'GET', `${base}/manual-patients/${ids.mara}`), 'PatientView', [ids.mara]);
    expect(details).toMatchObject({ status: 200, body: { name: 'Mara Quinn', room: '12', version: 1 } });
    expect(details.body.values.diagnosis).toBe('Community-acquired pneumonia\non oxygen');
    const noNotes = audited('notes read', await server.call(who.member, 'GET', `${base}/patients/${ids.mara}/notes`), 'PatientView', [ids.mara]);
    expect(noNotes.body.notes).toEqual([]);

    const edited = audited(
      'status edited',
      await server.call(who.member, 'PATCH', `${base}/manual-patients/${ids.mara}`, { name: 'Mara Quinn', values: { status: 'Watch' }, version: 1 }),
      'PatientDetailsEdit',
      [ids.mara],
    );
    expect(edited).toMatchObject({ status: 200, body: { version: 2, values: { status: 'Watch', fallsRisk: 'High', bed: 'B' } } });

    // Values the fields cannot take: a choice that is not one, a person of another tenant, a day that is not one.
    const refused = audited(
      'bad values refused',
      await server.call(who.member, 'PATCH', `${base}/manual-patients/${ids.mara}`, {
        name: 'Mara Quinn',
        values: { fallsRisk: 'Extreme', consultant: { id: who.otherTenantOwner }, admissionDate: '2026-02-30' },
        version: 2,
      }),
      'PatientDetailsEdit',
      [ids.mara],
      'failure',
    );
    expect(refused).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(refused.body.issues).toEqual(
      expect.arrayContaining([
        { field: 'fallsRisk', code: 'not_choice', choices: ['Low', 'Medium', 'High'] },
        expect.objectContaining({ field: 'consultant', code: 'not_member' }),
        { field: 'admissionDate', code: 'not_date' },
      ]),
    );
    expect(refused.body.issues).toHaveLength(3);
    expect(refused.body.message).toContain('Falls risk');
    expect(JSON.stringify(refused.body)).not.toContain(nameOf(who.otherTenantOwner));
    const after = (await server.call(who.member, 'GET', `${base}/manual-patients/${ids.mara}`)).body;
    expect(after).toEqual(edited.body);

    const note = audited(
      'note added',
      await server.call(who.member, 'POST', `${base}/patients/${ids.mara}/notes`, { text: 'Oxygen weaned to 2 L' }),
      'PatientNoteAdd',
      [ids.mara],
    );
    expect(note).toMatchObject({ status: 201, body: { patientId: ids.mara, authorId: who.member, text: 'Oxygen weaned to 2 L' } });
    const notes = (await server.call(who.owner, 'GET', `${base}/patients/${ids.mara}/notes`)).body.notes as { text: string }[];
    expect(notes.map((n) => n.text)).toEqual(['Oxygen weaned to 2 L']);
  });

  it('discharges a patient: gone from every list and the roster, readable among the discharged', async () => {
    const discharged = audited(
      'Tomas discharged',
      await server.call(who.owner, 'POST', `${base}/manual-patients/${ids.tomas}/discharge`, { version: 1 }),
      'PatientDischarge',
      [ids.tomas],
    );
    expect(discharged).toMatchObject({ status: 200, body: { name: 'Tomas Reyes', discharged: { byId: who.owner, byName: nameOf(who.owner) } } });
    // Taken off both lists in the same change, each recorded.
    audited('Tomas off the lists', discharged, 'PatientListRemovePatient', [ids.tomas]);

    for (const list of [rounds, night]) {
      const rows = (await server.call(who.member, 'GET', `${base}/lists/${list}`)).body.rows as { patientId: string }[];
      expect(rows.map((r) => r.patientId)).not.toContain(ids.tomas);
    }
    expect((await roster()).map((p) => p.id)).not.toContain(ids.tomas);
    const gone = audited('discharged read', await server.call(who.member, 'GET', `${base}/discharged-patients`), 'PatientSearch', [ids.tomas]);
    expect(gone.body.patients.map((p: { id: string }) => p.id)).toEqual([ids.tomas]);
    const kept = audited('discharged details read', await server.call(who.member, 'GET', `${base}/discharged-patients/${ids.tomas}`), 'PatientView', [
      ids.tomas,
    ]);
    expect(kept.body).toMatchObject({ name: 'Tomas Reyes', mrn: 'TR-3', values: { status: 'Watch', fallsRisk: 'Medium' } });
  });

  it('exports the list with a ticket: the fields headed by their labels, the values in words', async () => {
    const link = await server.call(who.member, 'POST', `${base}/lists/${rounds}/export`, { timeZone: 'UTC' });
    expect(link.status).toBe(201);
    const download = await server.open(link.body.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="?Rounds\.csv"?(;|$)/);
    audited('Rounds exported', { status: download.status, body: null, requestId: download.requestId }, 'ExportInitiation', [
      ids.mara,
      ids.ilse,
      ids.lin,
    ]);
    const lines = download.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('Name,MRN,Status,Assigned nurse,Falls risk,Consultant,Admission date');
    expect(lines.slice(1).sort()).toEqual([
      `Ilse Brandt,IB-2,Stable,${nameOf(who.member)},Low,None recorded,2026-11-30`,
      `Lin Wei,LW-4,Stable,None recorded,Medium,${nameOf(who.owner)},2026-11-29`,
      `Mara Quinn,MQ-1,Watch,${nameOf(who.member)},High,${nameOf(who.owner)},2026-11-28`,
    ]);
    // The ticket is spent.
    expect((await server.open(link.body.url)).status).toBe(404);
  });

  it('holds a record of each read and change, with its operation and patient, in the audit trail', async () => {
    const trail = (await server.trail()).filter((e) => e.teamId === who.team.id);
    for (const { what, requestId, operation, outcome, patientIds } of expected) {
      const recorded = trail.filter((e) => e.requestId === requestId && e.operation === operation);
      expect(recorded.map((e) => `${e.outcome}:${e.patientId}`).sort(), what).toEqual(
        expect.arrayContaining(patientIds.map((id) => `${outcome}:${id}`)),
      );
      expect(
        recorded.every((e) => e.outcome === outcome),
        what,
      ).toBe(true);
    }
    // Taken off two lists at discharge: a record for each.
    const off = trail.filter((e) => e.operation === 'PatientListRemovePatient' && e.patientId === ids.tomas);
    expect(off.map((e) => e.listId).sort()).toEqual([rounds, night].sort());
  });
});
