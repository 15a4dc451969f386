import { z } from 'zod';
import {
  builtInFieldIds,
  fieldValue,
  objectPropertyNames,
  type ManualPatient,
  type ManualPatientData,
  type SchemaField,
} from '../../../contract/manual.js';

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-23')
  .refine((d) => !Number.isNaN(Date.parse(d)), 'must be a real date');

/** A name as the user typed it, quoted for a message: cut short, control characters made visible. */
export function quoted(text: string): string {
  const cut = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return `“${cut.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')}”`;
}

const builtInNames = new Set<string>(builtInFieldIds);
const objectNames = new Set<string>(objectPropertyNames);

/**
 * Why a field id cannot be used although its syntax is fine, or null: it is a built-in field of
 * every patient (`name`, `mrn`, `birthDate`, `gender`, `room`), or a property plain JavaScript
 * objects already carry (`constructor`, `toString`, `__proto__`…). Clinical column names
 * (`weight`, `location`…) stay free: a field's column is `field:<id>`, apart from the built-in
 * ones, and teams already use such ids.
 */
export function reservedFieldIdProblem(id: string): string | null {
  if (builtInNames.has(id)) return `${quoted(id)} is a built-in field of every patient; choose another id`;
  if (objectNames.has(id)) return `${quoted(id)} is a reserved name; choose another id`;
  return null;
}

const fieldIdSyntax = /^[a-z][a-zA-Z0-9_]{0,39}$/;

const fieldId = z.string().superRefine((id, ctx) => {
  const problem = !fieldIdSyntax.test(id)
    ? `${quoted(id)} must start with a lower-case letter and use letters, digits or _ (at most 40)`
    : reservedFieldIdProblem(id);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const schemaField = z
  .object({
    id: fieldId,
    label: z.string().trim().min(1).max(100),
    type: z.enum(['text', 'number', 'date', 'choice']),
    choices: z.array(z.string().trim().min(1).max(100)).min(1).max(50).optional(),
    required: z.boolean().optional(),
  })
  .strict()
  .refine((f) => (f.type === 'choice') === Boolean(f.choices), 'choices are given for, and only for, a choice field')
  .refine((f) => !f.choices || new Set(f.choices).size === f.choices.length, 'choices must not repeat');

export const schemaBody = z
  .object({ fields: z.array(schemaField).max(30), version: z.number().int().min(0).optional() })
  .strict()
  .refine((b) => new Set(b.fields.map((f) => f.id)).size === b.fields.length, 'field ids must not repeat');

/** A value checked against its field: the reason it does not fit, or null. */
export function valueProblem(field: SchemaField, value: unknown): string | null {
  if (field.type === 'number') return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
  if (field.type === 'date') return date.safeParse(value).success ? null : 'must be a date like 2026-11-23';
  if (typeof value !== 'string' || value.length > 1000) return 'must be text of at most 1,000 characters';
  if (field.type === 'choice' && !field.choices!.includes(value)) return `must be one of ${field.choices!.join(', ')}`;
  return null;
}

/**
 * A patient's team-field values as sent: an object of text or numbers by field id, read as own
 * properties into a fresh object. Keys named like JavaScript's own properties (`__proto__`,
 * `constructor`…) are refused, so none can reach a prototype or shadow an inherited property.
 */
const patientValues = z.unknown().transform((raw, ctx): Record<string, string | number> => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    ctx.addIssue({ code: 'custom', message: 'must be an object of field values by field id' });
    return z.NEVER;
  }
  const values: Record<string, string | number> = {};
  for (const key of Object.keys(raw)) {
    const value = Object.getOwnPropertyDescriptor(raw, key)?.value as unknown;
    if (objectNames.has(key)) {
      ctx.addIssue({ code: 'custom', path: [key], message: `${quoted(key)} is a reserved name, not a field of this team's schema` });
    } else if (typeof value !== 'string' && typeof value !== 'number') {
      ctx.addIssue({ code: 'custom', path: [key], message: 'must be text or a number' });
    } else {
      Object.defineProperty(values, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  return values;
});

/** Built-in fields of a manual patient; team fields are checked against the schema separately. */
export const patientBody = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200),
    mrn: z.string().trim().min(1).max(64).nullable().optional(),
    birthDate: date.nullable().optional(),
    gender: z.enum(['male', 'female', 'other', 'unknown']).nullable().optional(),
    room: z.string().trim().min(1).max(50).nullable().optional(),
    values: patientValues.optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict();

/** Problems of a patient's team-field values under a schema, one line each; own properties only. */
export function valuesProblems(fields: SchemaField[], values: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(values)) {
    if (!fields.some((f) => f.id === key)) problems.push(`values.${key}: ${quoted(key)} is not a field of this team's schema`);
  }
  for (const field of fields) {
    const value = Object.hasOwn(values, field.id) ? values[field.id] : undefined;
    if (value === undefined || value === '') {
      if (field.required) problems.push(`values.${field.id}: ${field.label} is required`);
      continue;
    }
    const problem = valueProblem(field, value);
    if (problem) problems.push(`values.${field.id}: ${field.label} ${problem}`);
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
