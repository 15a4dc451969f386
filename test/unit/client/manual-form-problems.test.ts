import { afterEach, describe, expect, it } from 'vitest';
import type { SchemaField } from '../../../contract/manual';
import { apiErrorOf } from '../../../client/shared/api/api-client';
import { fieldProblem, formProblems, issueProblems, refusedFields } from '../../../client/features/manual/form-problems';
import { schemaProblems } from '../../../client/features/manual/schema-problems';
import { formText, formValue } from '../../../client/features/manual/field-inputs';
import { setLanguage } from '../../../client/shared/i18n/t';

const fields: SchemaField[] = [
  { id: 'diagnosis', label: 'Diagnosis', type: 'text', required: true },
  { id: 'weight', label: 'Weight', type: 'number', min: 0.5, max: 300, unit: 'kg' },
  { id: 'score', label: 'Score', type: 'number' },
  { id: 'note', label: 'Note', type: 'longText' },
];
const form = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k === 'name' ? k : `v:${k}`, v]));

describe('the patient form’s problems, in the user’s words', () => {
  afterEach(() => setLanguage('en'));

  it('names every missing required field, the patient’s name first, by its label and never by its path', () => {
    const problems = formProblems(fields, form({ name: '  ', diagnosis: '' }));
    expect(problems).toEqual(['Name: fill this in; it is required.', 'Diagnosis: fill this in; it is required.']);
    for (const p of problems) expect(p).not.toMatch(/values\.|name:|must not be empty/);
  });

  it('says a birth date in the future is one, in the form and from an import row, and takes today', () => {
    const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const today = new Date().toISOString().slice(0, 10);
    expect(formProblems(fields, { ...form({ name: 'Ada', diagnosis: 'Sepsis' }), birthDate: inTwoDays })).toEqual([
      'Birth date: the date is in the future.',
    ]);
    expect(formProblems(fields, { ...form({ name: 'Ada', diagnosis: 'Sepsis' }), birthDate: today })).toEqual([]);
    expect(issueProblems(fields, [{ field: 'birthDate', code: 'future_date', value: inTwoDays }])).toEqual([
      'Birth date: the date is in the future.',
    ]);
  });

  it('says the range of a number field, and lets a form without problems through', () => {
    expect(fieldProblem(fields[1], '301')).toBe('Weight: enter a number from 0.5 to 300.');
    expect(fieldProblem(fields[1], 'heavy')).toBe('Weight: enter a number from 0.5 to 300.');
    expect(fieldProblem(fields[2], 'x')).toBe('Score: enter a number.');
    expect(fieldProblem(fields[1], '72.5')).toBeNull();
    expect(fieldProblem(fields[3], 'x'.repeat(10_001))).toBe('Note: shorten it to at most 10,000 characters.');
    expect(formProblems(fields, form({ name: 'Ada', diagnosis: 'Sepsis', weight: '70' }))).toEqual([]);
  });

  it('reads a number with the decimal mark of the user’s language, and takes no other for one, never a thousands separator', () => {
    // In English "72,5" is no number (a browser's number input took it for 725); in Russian it is 72.5, as is "72.5".
    expect(fieldProblem(fields[1], '72,5')).toBe('Weight: enter a number from 0.5 to 300.');
    expect(fieldProblem(fields[2], '1,500')).toBe('Score: enter a number.');
    for (const text of ['0x10', '1e3', '7 2', 'Infinity', '1.2.3']) expect(fieldProblem(fields[2], text), text).toBe('Score: enter a number.');
    expect(formValue(fields[1], ' 72.5 ', [], undefined)).toBe(72.5);
    expect(formValue(fields[1], '−3', [], undefined)).toBe(-3);
    setLanguage('ru', 'ru-RU');
    expect(fieldProblem(fields[1], '72,5')).toBeNull();
    expect(formValue(fields[1], '72,5', [], undefined)).toBe(72.5);
    expect(formValue(fields[1], '72.5', [], undefined)).toBe(72.5);
    expect(fieldProblem(fields[2], '1,2,3')).not.toBeNull();
    // A stored value comes back into its input with the user's mark, and reads back as itself.
    expect(formText(fields[1], 72.5)).toBe('72,5');
    expect(formValue(fields[1], formText(fields[1], 1234.5), [], undefined)).toBe(1234.5);
  });

  it('asks to remove invisible text direction controls from the name, MRN, room and text fields before sending', () => {
    // U+202E RIGHT-TO-LEFT OVERRIDE would show colleagues "give 10 mg" as typed "give \u202E01 mg".
    const problems = formProblems(fields, { ...form({ name: 'Ada \u2066Lovelace\u2069', diagnosis: 'give \u202E01 mg' }), room: 'Bay 2' });
    expect(problems).toEqual([
      'Name: remove the invisible text direction controls (they often come with pasted text).',
      'Diagnosis: remove the invisible text direction controls (they often come with pasted text).',
    ]);
    expect(formProblems(fields, { ...form({ name: 'Ada', diagnosis: 'Sepsis' }), mrn: '\u202DM-1', room: '12\u202CB' })).toHaveLength(2);
    // Right-to-left writing itself is text like any other.
    expect(fieldProblem(fields[0], 'التهاب رئوي')).toBeNull();
    setLanguage('zh-CN');
    expect(issueProblems(fields, [{ field: 'note', code: 'direction_controls' }])).toEqual([
      'Note：请删除不可见的文字方向控制符（常随粘贴的文字带入）。',
    ]);
  });

  it('asks to remove control and invisible characters before sending; a text field keeps its tabs and line breaks', () => {
    expect(formProblems(fields, { ...form({ name: 'A\u200Bda', diagnosis: 'Sepsis\u0007' }), mrn: 'M\u00AD1', room: 'Bay\n2' })).toEqual([
      'Name: remove the control or invisible characters (they often come with pasted text).',
      'MRN: remove the control or invisible characters (they often come with pasted text).',
      'Room: remove the control or invisible characters (they often come with pasted text).',
      'Diagnosis: remove the control or invisible characters (they often come with pasted text).',
    ]);
    expect(fieldProblem(fields[0], 'Sepsis\n\tresolving')).toBeNull();
    setLanguage('ru');
    expect(issueProblems(fields, [{ field: 'note', code: 'hidden_characters' }])).toEqual([
      'Note: уберите управляющие или невидимые символы (они часто попадают при вставке).',
    ]);
  });

  it('writes the same problems in Russian and Chinese with the field’s label', () => {
    setLanguage('ru');
    expect(formProblems(fields, form({ name: '', diagnosis: '' }))).toEqual([
      'Имя: заполните это поле, оно обязательное.',
      'Diagnosis: заполните это поле, оно обязательное.',
    ]);
    expect(fieldProblem(fields[1], '0')).toBe('Weight: введите число от 0,5 до 300.');
    setLanguage('zh-TW');
    expect(fieldProblem(fields[0], '')).toBe('Diagnosis：此項為必填，請填寫。');
  });

  it('names the fields of a refused save by their labels in the user’s language, from the paths the server gives', () => {
    const res = new Response(null, { status: 400 });
    const error = apiErrorOf(res, {
      code: 'validation_failed',
      message: 'The patient’s name must not be empty.',
      fields: ['name', 'values.diagnosis', 'values.unknown', 7],
    });
    expect(error.fields).toEqual(['name', 'values.diagnosis', 'values.unknown']);
    setLanguage('ru');
    expect(refusedFields(fields, error.fields)).toEqual([
      'Имя: значение не принято; проверьте его и попробуйте снова.',
      'Diagnosis: значение не принято; проверьте его и попробуйте снова.',
    ]);
    // A path that names an object property is not taken for a field.
    expect(refusedFields(fields, ['constructor', 'values.__proto__'])).toEqual([]);
  });

  it('says why the server refused each value in the user’s language, from the codes it gives, not its English message', () => {
    const choiceFields: SchemaField[] = [...fields, { id: 'status', label: 'Состояние', type: 'choice', choices: ['Стабильное', 'Тяжёлое'] }];
    const error = apiErrorOf(new Response(null, { status: 400 }), {
      code: 'validation_failed',
      message: 'Weight: enter a number from 0.5 to 300 (kg). Status: choose one of Стабильное, Тяжёлое.',
      issues: [
        { field: 'weight', code: 'above_max', min: 0.5, max: 300, unit: 'kg' },
        { field: 'status', code: 'not_choice', choices: ['Стабильное', 'Тяжёлое'] },
        { field: 'note', code: 'too_long', max: 10000 },
        { field: 'diagnosis', code: 'no_such_code' },
      ],
    });
    setLanguage('ru');
    expect(issueProblems(choiceFields, error.issues)).toEqual([
      'Weight: введите число от 0,5 до 300.',
      'Состояние: выберите один из вариантов: Стабильное или Тяжёлое.',
      'Note: сократите текст до 10\u00a0000 символов.',
    ]);
    setLanguage('zh-CN');
    expect(issueProblems(fields, [{ field: 'diagnosis', code: 'required' }])).toEqual(['Diagnosis：此项为必填，请填写。']);
  });

  it('says an import row’s problems in the user’s language, built-in fields by their labels', () => {
    const row = [
      { field: 'name', code: 'required' },
      { field: 'gender', code: 'not_choice', value: 'f', choices: ['male', 'female', 'other', 'unknown'] },
      { field: 'nurse', code: 'not_member', value: 'Blake O' },
      { field: 'mrn', code: 'mrn_repeated', value: 'imp-4', row: 5 },
    ];
    expect(issueProblems(fields, row, 'import')).toEqual([
      'Name: fill this in; it is required.',
      'Gender: choose one of Male, Female, Other, or Unknown.',
      'nurse: “Blake O” is not a member of this team; write a member’s name as Teams shows it.',
      'MRN “imp-4” is also on row 5; only that row is imported.',
    ]);
    setLanguage('ru');
    expect(issueProblems(fields, [row[0], row[3], { field: 'mrn', code: 'mrn_in_team', value: 'H-1' }], 'import')).toEqual([
      'Имя: заполните это поле, оно обязательное.',
      'Номер карты «imp-4» есть и в строке 5; импортируется только та строка.',
      'Пациент с номером карты «H-1» уже есть в команде; эта строка не импортируется повторно.',
    ]);
  });

  it('says an MRN the team has in the patient form as what to do instead, never as an import row', () => {
    const taken = [
      { field: 'mrn', code: 'mrn_in_team', value: 'H-1' },
      { field: 'mrn', code: 'mrn_discharged', value: 'H-2' },
    ];
    expect(issueProblems(fields, taken)).toEqual([
      'A patient with MRN “H-1” is already in the team; open them instead of entering them again.',
      'A discharged patient with MRN “H-2” is in the team; re-admit them under Discharged instead of entering them again.',
    ]);
    setLanguage('ru');
    expect(issueProblems(fields, taken)).toEqual([
      'Пациент с номером карты «H-1» уже есть в команде; откройте его вместо повторного ввода.',
      'Выписанный пациент с номером карты «H-2» есть в команде; примите его снова в разделе «Выписанные» вместо повторного ввода.',
    ]);
  });
});

describe('the field editor’s problems, in the user’s words', () => {
  afterEach(() => setLanguage('en'));

  it('names each field by its label, or its place while it has none, and says what to do', () => {
    const edited: SchemaField[] = [
      { id: 'a', label: 'Diagnosis', type: 'text' },
      { id: 'b', label: '  ', type: 'text' },
      { id: 'c', label: 'Status', type: 'choice', choices: [] },
      { id: 'd', label: 'Isolation', type: 'choice', choices: ['Yes', 'Yes'] },
      { id: 'e', label: 'Weight', type: 'number', min: 10, max: 5 },
      { id: 'f', label: 'Height', type: 'number', min: Number.NaN },
    ];
    expect(schemaProblems(edited)).toEqual([
      'Field 2: give it a name.',
      'Status: list its choices, separated by commas.',
      'Isolation: list each choice only once.',
      'Weight: the lowest value must not be above the highest.',
      'Height: enter the lowest and highest values as numbers, or leave them empty.',
    ]);
    expect(schemaProblems(edited.slice(0, 1))).toEqual([]);
    setLanguage('ru');
    expect(schemaProblems(edited.slice(1, 3))).toEqual(['Поле 1: дайте полю название.', 'Status: перечислите варианты через запятую.']);
  });
});
