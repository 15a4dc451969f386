import { z } from 'zod';
import type { ManualPatient, SchemaField } from './types.js';

const builtIn = ['name', 'mrn', 'birthDate', 'gender', 'room'];
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-23').refine((d) => !Number.isNaN(Date.parse(d)), 'must be a real date');

export const schemaField = z
  .object({
    id: z.string().regex(/^[a-z][a-zA-Z0-9_]{0,39}$/, 'must start with a lower-case letter and use letters, digits or _').refine((id) => !builtIn.includes(id), 'is a built-in field'),
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

/** Built-in fields of a manual patient; team fields are checked against the schema separately. */
export const patientBody = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200),
    mrn: z.string().trim().min(1).max(64).nullable().optional(),
    birthDate: date.nullable().optional(),
    gender: z.enum(['male', 'female', 'other', 'unknown']).nullable().optional(),
    room: z.string().trim().min(1).max(50).nullable().optional(),
    values: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict();

/** Problems of a patient's team-field values under a schema, one line each. */
export function valuesProblems(fields: SchemaField[], values: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(values)) if (!fields.some((f) => f.id === key)) problems.push(`values.${key}: is not a field of this team's schema`);
  for (const field of fields) {
    const value = values[field.id];
    if (value === undefined || value === '') {
      if (field.required) problems.push(`values.${field.id}: ${field.label} is required`);
      continue;
    }
    const problem = valueProblem(field, value);
    if (problem) problems.push(`values.${field.id}: ${field.label} ${problem}`);
  }
  return problems;
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
