import { describe, expect, it } from 'vitest';
import { patientBody, schemaBody, type ManualPatient, type SchemaField } from '../../../../contract/manual';
import { resolvePersons, schemaConflicts, valuesProblems } from '../../../../server/features/manual/validation';

const issues = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

const fields: SchemaField[] = [
  { id: 'plan', label: 'Plan', type: 'text' },
  { id: 'history', label: 'History', type: 'longText' },
  { id: 'weight', label: 'Weight', type: 'number', unit: 'kg', min: 0.5, max: 400 },
  { id: 'drains', label: 'Drains', type: 'number' },
  { id: 'pain', label: 'Pain score', type: 'number', min: 0 },
  { id: 'admitted', label: 'Admission date', type: 'date' },
  { id: 'lastSeen', label: 'Last seen', type: 'dateTime' },
  { id: 'status', label: 'Status', type: 'choice', choices: ['Stable', 'Watch'], colours: { Watch: 'orange' } },
  { id: 'isolation', label: 'Isolation', type: 'yesNo' },
  { id: 'nurse', label: 'Assigned nurse', type: 'person' },
];

describe('team-field values by type', () => {
  it.each<[string, unknown]>([
    ['plan', 'Mobilise'],
    ['history', 'Line one\nLine two '.repeat(500)],
    ['weight', 72.5],
    ['weight', 0.5],
    ['weight', 400],
    ['drains', -3],
    ['pain', 10],
    ['admitted', '2024-02-29'],
    ['lastSeen', '2026-11-23T14:30+01:00'],
    ['lastSeen', '2026-11-23T14:30:05.123Z'],
    ['lastSeen', '2026-03-29T01:30:00-05:30'],
    ['status', 'Watch'],
    ['isolation', true],
    ['isolation', false],
    ['nurse', { id: 'u-1', name: 'Avery Nguyen' }],
  ])('accepts %s = %j', (id, value) => {
    expect(valuesProblems(fields, { [id]: value })).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['plan', 'x'.repeat(1001), 'Plan: enter text of at most 1,000 characters.'],
    ['plan', 5, 'Plan: enter text of at most 1,000 characters.'],
    ['history', 'x'.repeat(10001), 'History: enter text of at most 10,000 characters.'],
    ['weight', 401, 'Weight: enter a number from 0.5 to 400 (kg).'],
    ['weight', 0.4, 'Weight: enter a number from 0.5 to 400 (kg).'],
    ['weight', '72', 'Weight: enter a number from 0.5 to 400 (kg).'],
    ['drains', 'two', 'Drains: enter a number.'],
    ['pain', -1, 'Pain score: enter a number of at least 0.'],
    ['admitted', '2026-02-30', 'Admission date: enter a real date like 2026-11-23.'],
    ['admitted', '2026-13-01', 'Admission date: enter a real date like 2026-11-23.'],
    ['admitted', '23/11/2026', 'Admission date: enter a real date like 2026-11-23.'],
    ['lastSeen', '2026-11-23T14:30', 'Last seen: enter a real date and time with its zone, like 2026-11-23T14:30+01:00.'],
    ['lastSeen', '2026-11-23T25:00Z', 'Last seen: enter a real date and time with its zone, like 2026-11-23T14:30+01:00.'],
    ['lastSeen', '2026-02-30T10:00Z', 'Last seen: enter a real date and time with its zone, like 2026-11-23T14:30+01:00.'],
    ['lastSeen', '2026-11-23', 'Last seen: enter a real date and time with its zone, like 2026-11-23T14:30+01:00.'],
    ['status', 'Critical', 'Status: choose one of Stable, Watch.'],
    ['isolation', 'yes', 'Isolation: answer yes or no (true or false).'],
    ['isolation', 1, 'Isolation: answer yes or no (true or false).'],
    ['nurse', 'Avery Nguyen', 'Assigned nurse: choose a member of this team.'],
  ])('refuses %s = %j: %s', (id, value, message) => {
    expect(valuesProblems(fields, { [id]: value })).toEqual([message]);
  });

  it('marks a required field of any type as one to fill in, but takes false as an answer', () => {
    const required = fields.map((f) => ({ ...f, required: true }));
    const problems = valuesProblems(required, { isolation: false });
    expect(problems).toContain('Assigned nurse: fill this in; it is required.');
    expect(problems).not.toContain('Isolation: fill this in; it is required.');
    expect(problems).toHaveLength(fields.length - 1);
  });
});

describe('person values', () => {
  const members = async () => [
    { id: 'u-1', name: 'Avery Nguyen' },
    { id: 'u-2', name: 'Blake Okafor' },
  ];

  it('names a current member as the directory names them, whatever name was sent', async () => {
    const sent = patientBody.parse({ name: 'A', values: { nurse: { id: 'u-2', name: 'Someone Else' } } }).values;
    expect(await resolvePersons(fields, sent, undefined, members)).toEqual({
      values: { nurse: { id: 'u-2', name: 'Blake Okafor' } },
      problems: [],
      issues: [],
    });
  });

  it('refuses someone who is not a member of the team, in words that say what to do', async () => {
    const result = await resolvePersons(fields, { nurse: { id: 'u-9' } }, undefined, members);
    expect(result).toEqual({
      values: {},
      problems: ['Assigned nurse: choose a member of this team.'],
      issues: [{ field: 'nurse', code: 'not_member' }],
    });
  });

  it('keeps a person who left the team on a patient who already had them, without asking the directory', async () => {
    const before = { nurse: { id: 'u-gone', name: 'Casey Lindqvist' } };
    const none = async () => {
      throw new Error('the directory must not be asked');
    };
    expect(await resolvePersons(fields, { nurse: { id: 'u-gone' }, plan: 'x' }, before, none)).toEqual({
      values: { nurse: { id: 'u-gone', name: 'Casey Lindqvist' }, plan: 'x' },
      problems: [],
      issues: [],
    });
  });

  it('refuses a person for a field of another type', async () => {
    expect((await resolvePersons(fields, { status: { id: 'u-1' } }, undefined, members)).problems).toEqual(['Status: choose one of Stable, Watch.']);
  });
});

describe('schema fields of each type', () => {
  const one = (field: Record<string, unknown>) => issues(schemaBody.safeParse({ fields: [{ id: 'f', label: 'Status', ...field }] }));

  it('accepts every type, a unit and a range for numbers, and named colours for choices', () => {
    for (const type of ['text', 'longText', 'date', 'dateTime', 'yesNo', 'person']) expect(one({ type })).toEqual([]);
    expect(one({ type: 'number', unit: 'kg', min: 0, max: 10 })).toEqual([]);
    expect(one({ type: 'choice', choices: ['Stable', 'Watch'], colours: { Watch: 'red' } })).toEqual([]);
  });

  it.each<[Record<string, unknown>, string]>([
    [
      { type: 'choice', choices: ['Stable'], colours: { Stable: '#ff0000' } },
      'fields.0.colours.Stable: the colour of “Stable” must be one of grey, red, orange, yellow, green, teal, blue, purple',
    ],
    [
      { type: 'choice', choices: ['Stable'], colours: { Stable: 'red; background: url(x)' } },
      'fields.0.colours.Stable: the colour of “Stable” must be one of grey, red, orange, yellow, green, teal, blue, purple',
    ],
    [
      { type: 'choice', choices: ['Stable'], colours: { Gone: 'red' } },
      'fields.0.colours.Gone: Status: “Gone” has a colour but is not one of the choices',
    ],
    [{ type: 'choice' }, 'fields.0.choices: Status: give the choices'],
    [{ type: 'choice', choices: ['A', 'A'] }, 'fields.0.choices: Status: choices must not repeat'],
    [{ type: 'number', min: 5, max: 1 }, 'fields.0.min: Status: the lowest value must not be above the highest'],
    [{ type: 'text', unit: 'kg' }, 'fields.0.unit: Status: a text field has no unit; leave it out'],
    [{ type: 'person', choices: ['A'] }, 'fields.0.choices: Status: a person field has no choices; leave it out'],
  ])('refuses %j', (field, message) => {
    expect(one(field)).toEqual([message]);
  });

  it('refuses two fields labelled alike, whatever the case or spacing', () => {
    const fields = [
      { id: 'a', label: 'Acuity', type: 'text' },
      { id: 'b', label: ' acuity ', type: 'number' },
    ];
    expect(issues(schemaBody.safeParse({ fields }))).toEqual(['fields.1.label: “acuity” labels two fields; give each its own label']);
    expect(issues(schemaBody.safeParse({ fields: [fields[0], { ...fields[1], label: 'Acuity score' }] }))).toEqual([]);
  });

  it('reads colours as own properties: a choice named __proto__ gets its colour and no prototype changes', () => {
    const parsed = schemaBody.parse(
      JSON.parse('{"fields":[{"id":"f","label":"S","type":"choice","choices":["__proto__"],"colours":{"__proto__":"red"}}]}'),
    );
    const colours = parsed.fields[0]!.colours!;
    expect(Object.getPrototypeOf(colours)).toBe(Object.prototype);
    expect(Object.hasOwn(colours, '__proto__')).toBe(true);
  });
});

describe('schema changes against existing values', () => {
  const patient = (name: string, values: ManualPatient['values']): ManualPatient => ({
    id: name,
    version: 1,
    name,
    mrn: null,
    birthDate: null,
    gender: null,
    room: null,
    values,
  });
  const patients = [
    patient('Ada Lovelace', { status: 'Watch', weight: 80, plan: 'x' }),
    patient('Grace Hopper', { status: 'Watch', weight: 120 }),
    patient('Alan Turing', { status: 'Stable' }),
  ];
  const current = fields;
  const change = (id: string, next: Partial<SchemaField> | null) =>
    schemaConflicts(
      current,
      current.flatMap((f) => (f.id !== id ? [f] : next ? [{ ...f, ...next } as SchemaField] : [])),
      patients,
    );

  it('names the patients who still have a removed choice', () => {
    expect(change('status', { choices: ['Stable'] })).toEqual([
      'Status: “Watch” is still chosen for Ada Lovelace, Grace Hopper; choose another for them first.',
    ]);
  });

  it('names the patients whose numbers fall outside a narrowed range', () => {
    expect(change('weight', { max: 100 })).toEqual([
      'Weight: Grace Hopper has values outside the new range (a number from 0.5 to 100 (kg)); change their values first.',
    ]);
    expect(change('weight', { max: 200 })).toEqual([]);
  });

  it('names the patients without a value when a field is made required', () => {
    expect(change('weight', { required: true })).toEqual(['Weight: Alan Turing has no value; fill it in for them before making it required.']);
  });

  it('refuses a change of type while values exist, except between text and long text', () => {
    expect(change('weight', { type: 'text' })).toEqual([
      'Weight: cannot become a text field while Ada Lovelace, Grace Hopper have a value; clear their values first.',
    ]);
    expect(change('plan', { type: 'longText' })).toEqual([]);
    expect(change('history', { type: 'number' })).toEqual([]);
  });

  it('names the patients with values of a removed field', () => {
    expect(change('plan', null)).toEqual(['Plan: removed while Ada Lovelace has a value; clear their values first.']);
  });

  it('names five patients and counts the rest', () => {
    const many = Array.from({ length: 7 }, (_, i) => patient(`P${i + 1}`, {}));
    expect(schemaConflicts([], [{ id: 'bed', label: 'Bed', type: 'text', required: true }], many)).toEqual([
      'Bed: P1, P2, P3, P4, P5 and 2 more have no value; fill it in for them before making it required.',
    ]);
  });
});
