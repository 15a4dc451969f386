import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothStores, type StoreHarness } from '../../helpers/both-stores';
import { cast } from '../../helpers/test-server';

/**
 * Importing patients from a file through the API, on both stores: what each step answers, rows
 * with problems, duplicates, all or nothing, who may, and the audit records.
 */
const schema = {
  fields: [
    { id: 'acuity', label: 'Acuity', type: 'choice', choices: ['Low', 'Medium', 'High'], required: true },
    { id: 'drains', label: 'Drains', type: 'number' },
    { id: 'nurse', label: 'Assigned nurse', type: 'person' },
    { id: 'plan', label: 'Plan', type: 'longText' },
  ],
};

describe.each(bothStores)('%s', (_name, start) => {
  let server: StoreHarness;
  let who: ReturnType<typeof cast>;
  let base: string;

  beforeAll(async () => {
    server = await start();
    who = cast(server.info);
    base = `/api/teams/${who.team.id}`;
    expect((await server.call(who.owner, 'PUT', `${base}/connection`, { mode: 'manual' })).status).toBe(200);
    expect((await server.call(who.owner, 'PUT', `${base}/schema`, schema)).status).toBe(200);
  });
  afterAll(() => server?.stop());

  /** Sends a file as the tab does: its bytes, its name percent-encoded in X-File-Name. */
  const upload = (user: string, file: Buffer, name: string, type = 'application/octet-stream') =>
    server.call(user, 'POST', `${base}/manual-import/file`, file, { 'content-type': type, 'x-file-name': encodeURIComponent(name) });
  const roster = async () =>
    (await server.call(who.owner, 'GET', `${base}/manual-patients`)).body.patients as { id: string; name: string; mrn: string | null }[];

  const auditOf = async (operation: string) => (await server.trail()).filter((e) => e.operation === operation && e.teamId === who.team.id);

  describe('importing patients from a file', () => {
    it('proposes a mapping, previews every row with its problems, imports the valid ones in one step, and audits each patient created', async () => {
      const csv = Buffer.from(
        '\uFEFFTitle;MRN;Date of birth;Acuity;Drains;Comments\r\n' +
          'Ada Lovelace;IMP-1;1985-12-10;High;2;"left; side"\r\n' +
          ';IMP-2;;Low;;\r\n' +
          'Grace Hopper;IMP-3;10/12/1906;Urgent;;\r\n' +
          'Alan Turing;IMP-4;;Medium;1,5;\r\n' +
          'Alan Again;imp-4;;Low;;\r\n',
      );
      const sent = await upload(who.owner, csv, 'Patients – Ward 4B.csv');
      expect(sent).toMatchObject({ status: 200, body: { fileName: 'Patients – Ward 4B.csv', rowCount: 5 } });
      expect(sent.body.columns).toEqual(['Title', 'MRN', 'Date of birth', 'Acuity', 'Drains', 'Comments']);
      expect(sent.body.mapping).toEqual([
        { target: 'name', column: 'Title' },
        { target: 'mrn', column: 'MRN' },
        { target: 'birthDate', column: 'Date of birth' },
        { target: 'field:acuity', column: 'Acuity' },
        { target: 'field:drains', column: 'Drains' },
      ]);
      const { token, mapping } = sent.body;

      const preview = await server.call(who.owner, 'POST', `${base}/manual-import/preview`, { token, mapping });
      expect(preview.status).toBe(200);
      expect(preview.body).toMatchObject({ valid: 2, invalid: 3 });
      const rows = preview.body.rows as { row: number; name: string; problems: string[] }[];
      expect(rows.map((r) => r.row)).toEqual([2, 3, 4, 5, 6]);
      expect(rows[1].problems).toEqual(['Name is required.']);
      expect(rows[2].problems[0]).toBe('Birth date “10/12/1906” is not a date; write it like 1985-12-10.');
      expect(rows[2].problems[1]).toMatch(/^Acuity\b.*Low, Medium, High/);
      expect(rows[4].problems).toEqual(['MRN “imp-4” is also on row 5; only that row is imported.']);
      // The same problems as codes, for the tab to say in the user's language.
      const issues = rows.map((r) => (r as { issues?: unknown[] }).issues);
      expect(issues[1]).toEqual([{ field: 'name', code: 'required' }]);
      expect(issues[2]).toEqual([
        { field: 'birthDate', code: 'not_date', value: '10/12/1906' },
        { field: 'acuity', code: 'not_choice', choices: ['Low', 'Medium', 'High'] },
      ]);
      expect(issues[4]).toEqual([{ field: 'mrn', code: 'mrn_repeated', value: 'imp-4', row: 5 }]);
      expect(await roster()).toEqual([]);

      // Only when every row is valid: refused, and nothing changes.
      const all = await server.call(who.owner, 'POST', `${base}/manual-import/confirm`, { token, mapping, mode: 'all' });
      expect(all.status).toBe(400);
      expect(all.body.message).toMatch(/^3 of 5 rows have problems, so nothing was imported\. Row 3: Name is required\./);
      expect(await roster()).toEqual([]);

      const done = await server.call(who.owner, 'POST', `${base}/manual-import/confirm`, { token, mapping, mode: 'valid' });
      expect(done.status).toBe(201);
      expect(done.body).toMatchObject({ imported: 2 });
      expect((done.body.skipped as { row: number }[]).map((r) => r.row)).toEqual([3, 4, 6]);
      const patients = (await server.call(who.owner, 'GET', `${base}/manual-patients`)).body.patients as {
        id: string;
        name: string;
        birthDate: string | null;
        values: Record<string, unknown>;
      }[];
      expect(patients.map((p) => [p.name, p.birthDate, p.values])).toEqual([
        ['Ada Lovelace', '1985-12-10', { acuity: 'High', drains: 2 }],
        ['Alan Turing', null, { acuity: 'Medium', drains: 1.5 }],
      ]);
      const created = (await auditOf('PatientDetailsEdit')).filter((e) => e.outcome === 'success' && patients.some((p) => p.id === e.patientId));
      expect(created.map((e) => e.patientId).sort()).toEqual(patients.map((p) => p.id).sort());
      expect(new Set(created.map((e) => e.requestId)).size).toBe(1);

      // The upload is used up: the same rows cannot be imported twice from it.
      const again = await server.call(who.owner, 'POST', `${base}/manual-import/confirm`, { token, mapping, mode: 'valid' });
      expect(again).toMatchObject({ status: 404, body: { code: 'not_found' } });
    });

    it('refuses rows whose name, MRN or room carry invisible text direction controls, which would show colleagues reordered words', async () => {
      // U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-TO-RIGHT ISOLATE (and its end, U+2069).
      const before = (await roster()).length;
      const csv = Buffer.from(
        'Name,MRN,Room,Acuity\n' + 'Ada \u202Eecalevol,DIR-1,4B,Low\n' + 'Grace,DIR-2,\u20664B\u2069,Low\n' + 'Alan,\u202EDIR-3,,Low\n',
      );
      const sent = await upload(who.owner, csv, 'direction.csv');
      expect(sent.status).toBe(200);
      const preview = await server.call(who.owner, 'POST', `${base}/manual-import/preview`, { token: sent.body.token, mapping: sent.body.mapping });
      expect(preview.body).toMatchObject({ valid: 0, invalid: 3 });
      const rows = preview.body.rows as { issues: unknown[]; problems: string[] }[];
      expect(rows.map((r) => r.issues)).toEqual([
        [{ field: 'name', code: 'direction_controls' }],
        [{ field: 'room', code: 'direction_controls' }],
        [{ field: 'mrn', code: 'direction_controls' }],
      ]);
      expect(rows[0].problems).toEqual(['Name: remove the invisible text direction controls (they often come with pasted text).']);
      expect(await roster()).toHaveLength(before);
    });

    it('refuses rows whose cells carry control or invisible characters, as typed text is refused', async () => {
      // A zero width space makes "Ada" another name than it looks; ESC, BEL and a soft hyphen go to storage and exports as they are.
      const before = (await roster()).length;
      const csv = Buffer.from(
        'Name,MRN,Room,Acuity,Plan\n' +
          'A\u200Bda,HID-1,4B,Low,rest\n' +
          'Grace,HID-2,\u001b[2J4B,Low,rest\n' +
          'Alan,HID\u00AD3,,Low,rest\n' +
          'Joan,HID-4,,Low,"rest\u0007"\n' +
          // U+2063 INVISIBLE SEPARATOR: "HID-1" again, to the eye, but not to a comparison of MRNs.
          'Ida,HID\u2063-1,,Low,rest\n' +
          // Several lines of text keep their tabs and line breaks.
          'Mary,HID-5,,Low,"rest\n\tthen walk"\n',
      );
      const sent = await upload(who.owner, csv, 'hidden.csv');
      expect(sent.status).toBe(200);
      const preview = await server.call(who.owner, 'POST', `${base}/manual-import/preview`, { token: sent.body.token, mapping: sent.body.mapping });
      const rows = preview.body.rows as { issues: unknown[]; problems: string[] }[];
      expect(rows.map((r) => r.issues)).toEqual([
        [{ field: 'name', code: 'hidden_characters' }],
        [{ field: 'room', code: 'hidden_characters' }],
        [{ field: 'mrn', code: 'hidden_characters' }],
        [{ field: 'plan', code: 'hidden_characters' }],
        [{ field: 'mrn', code: 'hidden_characters' }],
        [],
      ]);
      expect(rows[0].problems).toEqual(['Name: remove the control or invisible characters (they often come with pasted text).']);
      expect(preview.body).toMatchObject({ valid: 1, invalid: 5 });
      expect(await roster()).toHaveLength(before);
    });

    it('reads an Excel workbook, and reports MRNs the team already has instead of doubling them, recording that preview', async () => {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('Ward');
      sheet.addRows([
        ['Patient name', 'mrn', 'Acuity level', 'Room', 'Assigned nurse'],
        ['Katherine Johnson', 'IMP-9', 'Low', '3A', 'avery nguyen'],
        ['Ada Lovelace', 'IMP-1', 'High', '4B', ''],
      ]);
      const sent = await upload(who.owner, Buffer.from(await book.xlsx.writeBuffer()), 'ward.xlsx');
      expect(sent.status).toBe(200);
      // "Acuity level" is not a label: the owner maps it by hand.
      const mapping = [...sent.body.mapping, { target: 'field:acuity', column: 'Acuity level' }];
      expect(mapping.map((m: { target: string }) => m.target)).toEqual(['name', 'mrn', 'room', 'field:nurse', 'field:acuity']);
      const preview = await server.call(who.owner, 'POST', `${base}/manual-import/preview`, { token: sent.body.token, mapping });
      expect(preview.body.rows[1].problems).toEqual(['A patient with MRN “IMP-1” is already in the team; this row is not imported again.']);
      const ada = (await roster()).find((p) => p.mrn === 'IMP-1') as unknown as { id: string };
      expect((await auditOf('PatientSearch')).some((e) => e.patientId === ada.id)).toBe(true);

      const searchesBefore = (await auditOf('PatientSearch')).length;
      const done = await server.call(who.owner, 'POST', `${base}/manual-import/confirm`, { token: sent.body.token, mapping, mode: 'valid' });
      expect(done.body).toMatchObject({ imported: 1, skipped: [{ row: 3 }] });
      // The skipped row names Ada's MRN as the team's: the import's records name her too.
      const searches = await auditOf('PatientSearch');
      expect(searches.slice(searchesBefore).map((e) => e.patientId)).toEqual([ada.id]);
      expect((await roster()).map((p) => p.name)).toEqual(['Ada Lovelace', 'Alan Turing', 'Katherine Johnson']);
      // The nurse is named by the team's directory, kept by id.
      const katherine = (await server.call(who.owner, 'GET', `${base}/manual-patients`)).body.patients.find(
        (p: { name: string }) => p.name === 'Katherine Johnson',
      );
      expect(katherine.values.nurse).toEqual({ id: who.owner, name: 'Avery Nguyen' });
    });

    it('records a refused import that names patients the team has as a read of them, and the refused import as naming none', async () => {
      const ada = (await roster()).find((p) => p.mrn === 'IMP-1')!;
      const sent = await upload(who.owner, Buffer.from('Name,MRN,Acuity\nGrace Hopper,IMP-77,Low\nAda Lovelace,IMP-1,High\n'), 'ward.csv');
      expect(sent.status).toBe(200);
      const [searches, edits] = [(await auditOf('PatientSearch')).length, (await auditOf('PatientDetailsEdit')).length];
      const refused = await server.call(who.owner, 'POST', `${base}/manual-import/confirm`, {
        token: sent.body.token,
        mapping: sent.body.mapping,
        mode: 'all',
      });
      expect(refused).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
      // The refusal says Ada's MRN is the team's: a read of Ada, as the preview records it.
      expect((await auditOf('PatientSearch')).slice(searches).map((e) => [e.outcome, e.patientId])).toEqual([['success', ada.id]]);
      // The owner tried to import, not to edit Ada: the refused import names no patient.
      expect((await auditOf('PatientDetailsEdit')).slice(edits).map((e) => [e.outcome, e.status, e.patientId])).toEqual([['failure', 400, null]]);
    });

    it('refuses bad files and bad mappings in plain words, changing nothing', async () => {
      const before = await roster();
      expect(await upload(who.owner, Buffer.from('%PDF-1.7 ...'), 'ward.pdf')).toMatchObject({
        status: 415,
        body: { code: 'unsupported_media_type' },
      });
      const cyrillic = Buffer.concat([Buffer.from('Name\n'), Buffer.from([0xc8, 0xe2, 0xe0, 0xed, 0xee, 0xe2, 0x0a])]);
      expect((await upload(who.owner, cyrillic, 'ward.csv')).body.message).toMatch(/^The file’s text is in none of the encodings/);
      const big = await upload(who.owner, Buffer.alloc(10 * 1024 * 1024 + 1, 0x41), 'big.csv');
      expect(big).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
      expect(big.body.message).toMatch(/^The file is larger than 10 MB/);
      const json = await upload(who.owner, Buffer.from('{}'), 'a.csv', 'application/json');
      expect(json.status).toBe(415);

      const sent = await upload(who.owner, Buffer.from('Name,Acuity\nEve,Low\n'), 'a.csv');
      const wrong = await server.call(who.owner, 'POST', `${base}/manual-import/preview`, {
        token: sent.body.token,
        mapping: [{ target: 'name', column: 'Full name' }],
      });
      expect(wrong).toMatchObject({
        status: 400,
        body: { code: 'validation_failed', message: 'The file has no column “Full name”; choose one of its columns for Name.' },
      });
      expect(await roster()).toEqual(before);
    });

    it('refuses a small workbook with a cell in the last column of every row, and a CSV header of 100,000 columns, changing nothing', async () => {
      const before = await roster();
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('Ward');
      for (let r = 1; r <= 300; r++) {
        sheet.getCell(`A${r}`).value = r === 1 ? 'Name' : `Patient ${r}`;
        sheet.getCell(`XFD${r}`).value = 'x';
      }
      const wide = await upload(who.owner, Buffer.from(await book.xlsx.writeBuffer()), 'ward.xlsx');
      expect(wide).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
      expect(wide.body.message).toBe(
        'Row 1 of the sheet has more than 200 columns; at most 200 can be imported. Delete the columns that are not needed (and anything typed far to the right of the list) and upload the file again.',
      );
      const header = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',');
      const csv = await upload(who.owner, Buffer.from(`${header}\nAda\n`), 'wide.csv');
      expect(csv).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
      expect(csv.body.message).toMatch(/^Line 1 of the file has more than 200 columns;/);
      expect(JSON.stringify(csv.body).length).toBeLessThan(1_000);
      expect(await roster()).toEqual(before);
    });

    it('lets only owners import, and only the owner who uploaded use the upload', async () => {
      const csv = Buffer.from('Name,Acuity\nEve,Low\n');
      expect((await upload(who.member, csv, 'a.csv')).body.code).toBe('owner_required');
      const sent = await upload(who.owner, csv, 'a.csv');
      // The owner of another team of the tenant, who is also a member here, through their own team.
      const neighbour = who.contoso.teams[1];
      expect(neighbour.members).toContain(who.owner);
      await server.call(neighbour.owners[0], 'PUT', `/api/teams/${neighbour.id}/connection`, { mode: 'manual' });
      const borrowed = await server.call(neighbour.owners[0], 'POST', `/api/teams/${neighbour.id}/manual-import/preview`, {
        token: sent.body.token,
        mapping: sent.body.mapping,
      });
      expect(borrowed).toMatchObject({ status: 404, body: { code: 'not_found' } });
      // Nor can the uploader, only a member of that team, import there.
      const elsewhere = await server.call(who.owner, 'POST', `/api/teams/${neighbour.id}/manual-import/preview`, {
        token: sent.body.token,
        mapping: sent.body.mapping,
      });
      expect(elsewhere.status).toBe(403);
      // Another team's owner cannot use it either, through their own team.
      const otherTeam = `/api/teams/${who.otherTenantTeam.id}`;
      await server.call(who.otherTenantOwner, 'PUT', `${otherTeam}/connection`, { mode: 'manual' });
      const foreign = await server.call(who.otherTenantOwner, 'POST', `${otherTeam}/manual-import/confirm`, {
        token: sent.body.token,
        mapping: sent.body.mapping,
        mode: 'valid',
      });
      expect(foreign).toMatchObject({ status: 404, body: { code: 'not_found' } });
    });

    it("reads a ward's own sheet as saved by Excel: a title above the table, a heading broken over lines, Room beside Bed", async () => {
      const csv = Buffer.from(
        'Ward 4B handover – 7 Dec;;;;\r\n' + ';;;;\r\n' + 'Name;"Date of\nbirth";Bed;Room;Acuity\r\n' + 'Hedy Lamarr;1914-11-09;B2;12;Low\r\n',
      );
      const sent = await upload(who.owner, csv, 'handover.csv');
      expect(sent).toMatchObject({ status: 200, body: { rowCount: 1, columns: ['Name', 'Date of\nbirth', 'Bed', 'Room', 'Acuity'] } });
      expect(sent.body.mapping).toEqual([
        { target: 'name', column: 'Name' },
        { target: 'birthDate', column: 'Date of\nbirth' },
        { target: 'room', column: 'Room' },
        { target: 'field:acuity', column: 'Acuity' },
      ]);
      const { token, mapping } = sent.body;
      const preview = await server.call(who.owner, 'POST', `${base}/manual-import/preview`, { token, mapping });
      expect(preview.body).toMatchObject({ valid: 1, invalid: 0, rows: [{ row: 5, name: 'Hedy Lamarr', problems: [] }] });
      const done = await server.call(who.owner, 'POST', `${base}/manual-import/confirm`, { token, mapping, mode: 'all' });
      expect(done).toMatchObject({ status: 201, body: { imported: 1, skipped: [] } });
      const hedy = (await server.call(who.owner, 'GET', `${base}/manual-patients`)).body.patients.find(
        (p: { name: string }) => p.name === 'Hedy Lamarr',
      );
      expect(hedy).toMatchObject({ birthDate: '1914-11-09', room: '12', values: { acuity: 'Low' } });
      expect((await auditOf('PatientDetailsEdit')).some((e) => e.patientId === hedy.id && e.outcome === 'success')).toBe(true);
    });
  });
});
