import { fieldValue, manualDate, quoted, type ManualPatient, type ManualPatientData, type SchemaField } from '../../../contract/manual.js';

/**
 * Manual-mode rules beyond the shapes of requests (contract/manual.ts): values against the
 * team's schema, merging a change into a patient's values, and schema changes that would leave
 * existing values behind.
 */

/** A value checked against its field: the reason it does not fit, or null. */
function valueProblem(field: SchemaField, value: unknown): string | null {
  if (field.type === 'number') return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
  if (field.type === 'date') return manualDate.safeParse(value).success ? null : 'must be a date like 2026-11-23';
  if (typeof value !== 'string' || value.length > 1000) return 'must be text of at most 1,000 characters';
  if (field.type === 'choice' && !field.choices!.includes(value)) return `must be one of ${field.choices!.join(', ')}`;
  return null;
}

/** Problems of a patient's team-field values under a schema, one sentence each, fields named by their labels; own properties only. */
export function valuesProblems(fields: SchemaField[], values: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(values)) {
    if (!fields.some((f) => f.id === key)) problems.push(`${quoted(key)} is not a field of this team's schema.`);
  }
  for (const field of fields) {
    const value = Object.hasOwn(values, field.id) ? values[field.id] : undefined;
    if (value === undefined || value === '') {
      if (field.required) problems.push(`${field.label} is required.`);
      continue;
    }
    const problem = valueProblem(field, value);
    if (problem) problems.push(`${field.label} ${problem}.`);
  }
  return problems;
}

/**
 * A patient's values after a change: the changed values over the ones before, an empty text
 * clearing a value. Built from own properties into a fresh object, so no key reaches a prototype.
 */
export function mergeValues(
  before: ManualPatientData['values'] | undefined,
  changes: ManualPatientData['values'] | undefined,
): ManualPatientData['values'] {
  const merged: ManualPatientData['values'] = {};
  for (const source of [before ?? {}, changes ?? {}]) {
    for (const key of Object.keys(source)) {
      const value = fieldValue(source, key);
      if (value === undefined) continue;
      if (value === '') delete merged[key];
      else Object.defineProperty(merged, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  return merged;
}

/** Fields whose change would leave existing patients with values that no longer fit. */
export function schemaConflicts(next: SchemaField[], patients: ManualPatient[]): string[] {
  const conflicts = new Set<string>();
  for (const patient of patients) {
    for (const [id, value] of Object.entries(patient.values)) {
      const field = next.find((f) => f.id === id);
      if (!field) conflicts.add(`${id} (removed while patients have values)`);
      else if (valueProblem(field, value)) conflicts.add(`${field.label} (existing values ${valueProblem(field, value)})`);
    }
  }
  return [...conflicts];
}
