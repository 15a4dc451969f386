import { describe, expect, it } from 'vitest';
import { fieldValue, objectPropertyNames, patientBody, reservedFieldIdProblem, schemaBody, type SchemaField } from '../../../../contract/manual';
import { mergeValues, schemaConflicts, valuesProblems } from '../../../../server/features/manual/validation';

const issues = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('Manual-mode field ids', () => {
  it.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString'])(
    'refuses %s, a name JavaScript objects carry, naming it',
    (id) => {
      const result = schemaBody.safeParse({ fields: [{ id, label: 'Size', type: 'text' }] });
      expect(result.success).toBe(false);
      expect(issues(result)).toEqual([`fields.0.id: “${id}” is a reserved name; choose another id`]);
    },
  );

  it.each(['name', 'mrn', 'birthDate', 'gender', 'room'])('refuses the built-in %s', (id) => {
    const result = schemaBody.safeParse({ fields: [{ id, label: 'X', type: 'text' }] });
    expect(issues(result)).toEqual([`fields.0.id: “${id}” is a built-in field of every patient; choose another id`]);
  });

  it.each(['__proto__', '__defineGetter__', 'Size', '1st', 'a b', 'a-b', '', 'x'.repeat(41)])(
    'refuses the malformed id %j, naming it as typed',
    (id) => {
      const result = schemaBody.safeParse({ fields: [{ id, label: 'X', type: 'text' }] });
      expect(result.success).toBe(false);
      expect(issues(result)[0]).toContain(`fields.0.id: “${id.length > 60 ? id.slice(0, 60) : id}`);
      expect(issues(result)[0]).toContain('must start with a lower-case letter');
    },
  );

  // Ids the tab derives from labels such as "ID", "Birthdate" or "Weight" stay free.
  it.each([
    'acuity',
    'size',
    'weight',
    'location',
    'heartRate',
    'id',
    'version',
    'values',
    'birthdate',
    'prototype',
    'tostring',
    'constructorName',
    'proto',
    'drains_2',
  ])('accepts %s', (id) => {
    expect(schemaBody.safeParse({ fields: [{ id, label: 'X', type: 'text' }] }).success).toBe(true);
    expect(reservedFieldIdProblem(id)).toBeNull();
  });

  it('knows every property of Object.prototype', () => {
    for (const name of Object.getOwnPropertyNames(Object.prototype)) expect(objectPropertyNames).toContain(name);
  });
});

describe('Manual-mode patient values', () => {
  const fields: SchemaField[] = [
    { id: 'size', label: 'Size', type: 'text' },
    { id: 'acuity', label: 'Acuity', type: 'choice', choices: ['Low', 'High'], required: true },
  ];

  it('reads a value the patient does not have as missing, never an inherited property', () => {
    // Schemas saved before reserved ids were refused may still hold such a field.
    const legacy: SchemaField[] = [
      { id: 'constructor', label: 'Build', type: 'text' },
      { id: 'toString', label: 'Note', type: 'text', required: true },
      { id: 'valueOf', label: 'Worth', type: 'number' },
    ];
    expect(valuesProblems(legacy, {})).toEqual(['Note: fill this in; it is required.']);
    expect(valuesProblems(legacy, { toString: 'ok' })).toEqual([]);
    expect(fieldValue({}, 'constructor')).toBeUndefined();
    expect(fieldValue({ constructor: 'x' } as Record<string, string>, 'constructor')).toBe('x');
  });

  it('names unknown keys as they were sent', () => {
    expect(valuesProblems(fields, { acuity: 'Low', shoe: 'size 9' })).toEqual(["“shoe” is not a field of this team's schema."]);
  });

  it.each([
    ['{"name":"A","values":{"__proto__":"x","acuity":"Low"}}', '__proto__'],
    ['{"name":"A","values":{"__proto__":{"polluted":true},"acuity":"Low"}}', '__proto__'],
    ['{"name":"A","values":{"constructor":"x","acuity":"Low"}}', 'constructor'],
    ['{"name":"A","values":{"toString":"x"}}', 'toString'],
    ['{"name":"A","values":{"hasOwnProperty":1}}', 'hasOwnProperty'],
  ])('refuses %s, naming the key, and touches no prototype', (json, key) => {
    const result = patientBody.safeParse(JSON.parse(json));
    expect(result.success).toBe(false);
    expect(issues(result)).toContain(`values.${key}: “${key}” is a reserved name, not a field of this team's schema`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses values that are not an object of text, numbers, yes/no or persons', () => {
    expect(issues(patientBody.safeParse({ name: 'A', values: ['x'] }))).toEqual(['values: must be an object of field values by field id']);
    expect(issues(patientBody.safeParse({ name: 'A', values: null }))).toEqual(['values: must be an object of field values by field id']);
    expect(issues(patientBody.safeParse({ name: 'A', values: { size: null, acuity: { x: 1 } } }))).toEqual([
      'values.size: must be text, a number, yes or no (true or false), or a team member',
      'values.acuity: must be text, a number, yes or no (true or false), or a team member',
    ]);
  });

  it('keeps good values as a plain object of their own', () => {
    const parsed = patientBody.parse({ name: 'A', values: { size: 'M', acuity: 'Low', drains: 2 } });
    expect(parsed.values).toEqual({ size: 'M', acuity: 'Low', drains: 2 });
    expect(Object.getPrototypeOf(parsed.values)).toBe(Object.prototype);
    expect(patientBody.parse({ name: 'A' }).values).toBeUndefined();
  });

  it('merges a change over the values before, an empty text clearing one, own keys only', () => {
    const before = JSON.parse('{"size":"M","acuity":"Low","__proto__":"stored"}') as Record<string, string>;
    const merged = mergeValues(before, { acuity: 'High', size: '', drains: 1 });
    expect(Object.keys(merged).sort()).toEqual(['__proto__', 'acuity', 'drains']);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(merged.acuity).toBe('High');
    expect(mergeValues(undefined, undefined)).toEqual({});
  });

  it('reports conflicts of a schema change with stored values', () => {
    const patients = [{ id: 'p', version: 1, name: 'A', mrn: null, birthDate: null, gender: null, room: null, values: { size: 'M', acuity: 'Low' } }];
    const current: SchemaField[] = [
      { id: 'size', label: 'Size', type: 'text' },
      { id: 'acuity', label: 'Acuity', type: 'choice', choices: ['Low', 'High'] },
    ];
    expect(schemaConflicts(current, [{ id: 'acuity', label: 'Acuity', type: 'number' }], patients)).toEqual([
      'Size: removed while A has a value; clear their values first.',
      'Acuity: cannot become a number field while A has a value; clear their values first.',
    ]);
  });
});
