import { describe, expect, it } from 'vitest';
import type { SchemaField } from '../../../contract/manual';
import { formProblemsByKey } from '../../../client/features/manual/form-problems';

const fields: SchemaField[] = [
  { id: 'diagnosis', label: 'Diagnosis', type: 'text', required: true },
  { id: 'weight', label: 'Weight', type: 'number', min: 0.5, max: 300 },
];

describe('the patient form’s problems, each with the input it is shown under', () => {
  it('keys each problem by its input, in the form’s order', () => {
    expect(formProblemsByKey(fields, { name: '', mrn: 'M\u200B1', 'v:diagnosis': '', 'v:weight': '900' })).toEqual([
      { key: 'name', text: 'Name: fill this in; it is required.' },
      { key: 'mrn', text: expect.stringMatching(/^MRN: /) },
      { key: 'v:diagnosis', text: 'Diagnosis: fill this in; it is required.' },
      { key: 'v:weight', text: 'Weight: enter a number from 0.5 to 300.' },
    ]);
    expect(formProblemsByKey(fields, { name: 'Ada', 'v:diagnosis': 'Sepsis' })).toEqual([]);
  });
});
