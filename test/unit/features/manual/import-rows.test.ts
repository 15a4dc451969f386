import { describe, expect, it } from 'vitest';
import type { ManualPatient, SchemaField } from '../../../../contract/manual';
import type { ImportFile } from '../../../../server/features/manual/import-file';
import { checkRows, proposeMapping } from '../../../../server/features/manual/import-rows';
import { Problem } from '../../../../server/platform/problem';

const fields: SchemaField[] = [
  { id: 'acuity', label: 'Acuity', type: 'choice', choices: ['Low', 'High'], required: true },
  { id: 'drains', label: 'Drains', type: 'number' },
  { id: 'surgery', label: 'Date de chirurgie', type: 'date' },
];

const file = (columns: string[], ...rows: string[][]): ImportFile => ({ columns, rows: rows.map((cells, i) => ({ row: i + 2, cells })) });
const existing = (mrn: string): ManualPatient => ({ id: 'p-1', name: 'Old', mrn, birthDate: null, gender: null, room: null, values: {}, version: 1 });

describe('proposing a mapping', () => {
  it('matches columns to fields by label or a usual name, ignoring case, accents, spaces and punctuation', () => {
    const columns = ['Title', 'MRN', 'DOB', 'Sex', 'room number', 'ACUITY', 'date-de-chirurgié', 'Comments'];
    expect(proposeMapping(columns, fields)).toEqual([
      { target: 'name', column: 'Title' },
      { target: 'mrn', column: 'MRN' },
      { target: 'birthDate', column: 'DOB' },
      { target: 'gender', column: 'Sex' },
      { target: 'room', column: 'room number' },
      { target: 'field:acuity', column: 'ACUITY' },
      { target: 'field:surgery', column: 'date-de-chirurgié' },
    ]);
  });

  it("names a column by what a field is called before a usual name: the team's own field, and Room before Bed", () => {
    // The ward template's "Bed" is a field of the team, though a usual name of the room; "Location"
    // comes before "Room" and is a usual name of the room too, yet the file has a column named "Room".
    const own: SchemaField[] = [
      { id: 'ward', label: 'Ward', type: 'text' },
      { id: 'bed', label: 'Bed', type: 'text' },
    ];
    expect(proposeMapping(['Title', 'Location', 'Bed', 'Room', 'Name'], own)).toEqual([
      { target: 'name', column: 'Name' },
      { target: 'room', column: 'Room' },
      { target: 'field:bed', column: 'Bed' },
    ]);
    expect(proposeMapping(['Name', 'Bed'], own)).toEqual([
      { target: 'name', column: 'Name' },
      { target: 'field:bed', column: 'Bed' },
    ]);
  });

  it('proposes a column named like a built-in and a team field (a field labelled "MRN" before such labels were refused) for neither: the owner chooses', () => {
    const twins: SchemaField[] = [
      { id: 'hospitalMrn', label: 'MRN', type: 'text' },
      { id: 'fullName', label: 'name', type: 'text' },
    ];
    expect(proposeMapping(['Name', 'MRN', 'Patient ID', 'DOB'], twins)).toEqual([
      { target: 'mrn', column: 'Patient ID' },
      { target: 'birthDate', column: 'DOB' },
    ]);
  });
});

describe('checking rows', () => {
  const mapping = [
    { target: 'name', column: 'Name' },
    { target: 'mrn', column: 'MRN' },
    { target: 'birthDate', column: 'Born' },
    { target: 'field:acuity', column: 'Acuity' },
    { target: 'field:drains', column: 'Drains' },
  ];
  const columns = ['Name', 'MRN', 'Born', 'Acuity', 'Drains'];

  it('turns valid rows into patients, with numbers (decimal commas too) and days from date-times', () => {
    const [row] = checkRows(file(columns, ['Ada', 'M-1', '1985-12-10T00:00:00Z', 'High', '2,5']), mapping, fields, []);
    expect(row).toEqual({
      row: 2,
      name: 'Ada',
      mrn: 'M-1',
      problems: [],
      issues: [],
      data: { name: 'Ada', mrn: 'M-1', birthDate: '1985-12-10', gender: null, room: null, values: { acuity: 'High', drains: 2.5 } },
    });
  });

  it('refuses a comma that may group thousands as much as mark decimals ("3,250"), never reading 3250 as 3.25', () => {
    const rows = checkRows(
      file(
        columns,
        ['Ada', 'M-1', '', 'Low', '3,250'],
        ['Bo', 'M-2', '', 'Low', '-1,500'],
        ['Cy', 'M-3', '', 'Low', '0,125'],
        ['Di', 'M-4', '', 'Low', '1234,567'],
      ),
      mapping,
      fields,
      [],
    );
    for (const row of rows.slice(0, 2)) {
      expect(row.data, row.name).toBeNull();
      expect(row.problems.join(' '), row.name).toMatch(/Drains\b.*number/);
    }
    // No thousands can start with 0 or run to four digits before the comma: those are decimals.
    expect(rows.slice(2).map((r) => r.data?.values.drains)).toEqual([0.125, 1234.567]);
  });

  it('says what is wrong with each row, naming the fields as the team labels them', () => {
    const rows = checkRows(file(columns, ['', 'M-2', '10/12/1985', 'Medium', 'two'], ['Bob', '', '', '', '']), mapping, fields, []);
    expect(rows[0]).toMatchObject({ row: 2, data: null });
    expect(rows[0].problems[0]).toBe('Name is required.');
    expect(rows[0].problems[1]).toBe('Birth date “10/12/1985” is not a date; write it like 1985-12-10.');
    expect(rows[0].problems.join(' ')).toMatch(/Acuity\b.*Low, High/);
    expect(rows[0].problems.join(' ')).toMatch(/Drains\b.*number/);
    expect(rows[1].problems.join(' ')).toMatch(/Acuity\b.*required/);
  });

  it('refuses a birth date in the future, and takes one that has begun somewhere on Earth', () => {
    const day = (ms: number) => new Date(Date.now() + ms).toISOString().slice(0, 10);
    const [future, today] = checkRows(
      file(columns, ['Ada', 'M-1', day(2 * 86_400_000), 'Low', ''], ['Bo', 'M-2', day(0), 'Low', '']),
      mapping,
      fields,
      [],
    );
    expect(future).toMatchObject({ data: null, issues: [{ field: 'birthDate', code: 'future_date', value: day(2 * 86_400_000) }] });
    expect(future.problems).toEqual([`Birth date “${day(2 * 86_400_000)}” is in the future.`]);
    expect(today).toMatchObject({ problems: [], data: { birthDate: day(0) } });
  });

  it('reports MRNs already in the team and repeated in the file: the first valid row is kept, no patient is doubled', () => {
    const rows = checkRows(
      file(columns, ['Ada', 'm-1', '', 'Low', ''], ['Bob', 'M-2', '', '', ''], ['Cy', 'M-2', '', 'Low', ''], ['Di', 'm-2', '', 'High', '']),
      mapping,
      fields,
      [existing('M-1')],
    );
    expect(rows.map((r) => r.problems.at(-1) ?? '')).toEqual([
      'A patient with MRN “m-1” is already in the team; this row is not imported again.',
      expect.stringMatching(/Acuity/),
      '',
      'MRN “m-2” is also on row 4; only that row is imported.',
    ]);
    expect(rows.filter((r) => r.data).map((r) => r.name)).toEqual(['Cy']);
  });

  it('reports an MRN of a discharged patient, who is re-admitted rather than imported twice', () => {
    const [row] = checkRows(file(columns, ['Ada', 'M-7', '', 'Low', '']), mapping, fields, [], [existing('M-7')]);
    expect(row.problems).toEqual(['A discharged patient with MRN “M-7” is in the team; re-admit them instead of importing them again.']);
  });

  it('reads a person by their name as the team knows it, and yes/no from its words', () => {
    const withPerson: SchemaField[] = [
      { id: 'nurse', label: 'Assigned nurse', type: 'person' },
      { id: 'isolation', label: 'Isolation', type: 'yesNo' },
    ];
    const members = [
      { id: 'u-1', name: 'Zoë Martin' },
      { id: 'u-2', name: 'Sam Lee' },
      { id: 'u-3', name: 'Sam Lee' },
    ];
    const m = [
      { target: 'name', column: 'Name' },
      { target: 'field:nurse', column: 'Nurse' },
      { target: 'field:isolation', column: 'Isolation' },
    ];
    const rows = checkRows(
      file(['Name', 'Nurse', 'Isolation'], ['Ada', 'zoe martin', 'Yes'], ['Bob', 'Casey', 'no'], ['Cy', 'Sam Lee', 'maybe']),
      m,
      withPerson,
      [],
      [],
      members,
    );
    expect(rows[0].data?.values).toEqual({ nurse: { id: 'u-1', name: 'Zoë Martin' }, isolation: true });
    expect(rows[1].problems).toEqual(["Assigned nurse: “Casey” is not a member of this team; write a member's name as Teams shows it."]);
    expect(rows[2].problems[0]).toBe(
      "Assigned nurse: “Sam Lee” names more than one member of this team; choose the person in the patient's details after the import.",
    );
    expect(rows[2].problems[1]).toMatch(/^Isolation\b/);
  });

  it('refuses a mapping naming a column the file does not have, a field the team does not have, or no name column', () => {
    const refused = (m: { target: string; column: string }[]) => {
      try {
        checkRows(file(columns), m, fields, []);
      } catch (err) {
        expect(err).toBeInstanceOf(Problem);
        return (err as Problem).message;
      }
      throw new Error('not refused');
    };
    expect(refused([{ target: 'name', column: 'Full name' }])).toBe('The file has no column “Full name”; choose one of its columns for Name.');
    expect(refused([...mapping, { target: 'field:bed', column: 'Drains' }])).toMatch(/^“field:bed” is not a field of this team/);
    expect(refused([{ target: 'mrn', column: 'MRN' }])).toBe('Choose the column that holds the patients’ names.');
    expect(refused([...mapping, { target: 'name', column: 'Born' }])).toBe('Name is mapped to two columns; choose one.');
  });
});
