import { z } from 'zod';
import { genders } from './patients.js';

/** The types of field a Manual-mode team can add. */
export const fieldTypes = ['text', 'number', 'date', 'choice'] as const;

/** A field a team adds to its Manual-mode patients, beside the built-in ones. */
export const schemaFieldShape = z.object({
  id: z.string(),
  label: z.string(),
  type: z.enum(fieldTypes),
  choices: z.array(z.string()).optional(),
  required: z.boolean().optional(),
});
export type SchemaField = z.infer<typeof schemaFieldShape>;

/** `GET`, `PUT /api/teams/{teamId}/schema`: the team's fields (version 0 before the first is saved). */
export const manualSchema = z.object({ fields: z.array(schemaFieldShape), version: z.number().int().min(0) });
export type ManualSchema = z.infer<typeof manualSchema>;

/** A team field's value: text (dates and choices too) or a number. */
const valuesShape = z.record(z.string(), z.union([z.string(), z.number()]));

/** The built-in fields every Manual-mode patient has, and the values of the team's own fields by field id. */
export const manualPatientData = z.object({
  name: z.string(),
  mrn: z.string().nullable(),
  birthDate: z.string().nullable(),
  gender: z.enum(genders).nullable(),
  room: z.string().nullable(),
  values: valuesShape,
});
export type ManualPatientData = z.infer<typeof manualPatientData>;

/** One Manual-mode patient (`GET`, `POST`, `PATCH …/manual-patients[/{id}]`). */
export const manualPatient = manualPatientData.extend({ id: z.string(), version: z.number().int().min(1) });
export type ManualPatient = z.infer<typeof manualPatient>;

/** `GET /api/teams/{teamId}/manual-patients`: the whole roster. */
export const manualPatientsAnswer = z.object({ patients: z.array(manualPatient) });
export type ManualPatientsAnswer = z.infer<typeof manualPatientsAnswer>;

/** The built-in fields of every Manual-mode patient: no team field may take their ids. */
export const builtInFieldIds = ['name', 'mrn', 'birthDate', 'gender', 'room'] as const;

/**
 * Names plain JavaScript objects already carry (`constructor`, `toString`, `__proto__`…): a field
 * id or value key with one of these names would read an inherited property, or set the prototype.
 */
export const objectPropertyNames: readonly string[] = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__'])];

/**
 * A patient's values by field id, read as own properties only: a key such as `constructor`
 * that the patient has no value for is undefined, never Object.prototype's.
 */
export function fieldValue(values: ManualPatientData['values'], id: string): string | number | undefined {
  return Object.hasOwn(values, id) ? values[id] : undefined;
}

// What the API accepts.

/** A Manual-mode date: `YYYY-MM-DD`, a real day. */
export const manualDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-23')
  .refine((d) => !Number.isNaN(Date.parse(d)), 'must be a real date');

/** A name as the user typed it, quoted for a message: cut short, control characters made visible. */
export function quoted(text: string): string {
  const cut = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return `“${cut.replace(/\p{Cc}/gu, '?')}”`;
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

/** One field of a `PUT …/schema`. */
export const schemaField = z
  .object({
    id: fieldId,
    label: z.string().trim().min(1).max(100),
    type: z.enum(fieldTypes),
    choices: z.array(z.string().trim().min(1).max(100)).min(1).max(50).optional(),
    required: z.boolean().optional(),
  })
  .strict()
  .refine((f) => (f.type === 'choice') === Boolean(f.choices), 'choices are given for, and only for, a choice field')
  .refine((f) => !f.choices || new Set(f.choices).size === f.choices.length, 'choices must not repeat');

/** `PUT /api/teams/{teamId}/schema` (owners): `version` is the one read (0 before the first). */
export const schemaBody = z
  .object({ fields: z.array(schemaField).max(30), version: z.number().int().min(0).optional() })
  .strict()
  .refine((b) => new Set(b.fields.map((f) => f.id)).size === b.fields.length, 'field ids must not repeat');
export type SchemaBody = z.infer<typeof schemaBody>;

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

/**
 * `POST`, `PATCH /api/teams/{teamId}/manual-patients[/{id}]`: the built-in fields (on PATCH, fields
 * left out keep their value) and team-field values (merged on PATCH; "" clears one), checked
 * against the team's schema by the server.
 */
export const patientBody = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200),
    mrn: z.string().trim().min(1).max(64).nullable().optional(),
    birthDate: manualDate.nullable().optional(),
    gender: z.enum(genders).nullable().optional(),
    room: z.string().trim().min(1).max(50).nullable().optional(),
    values: patientValues.optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict();
export type PatientBody = z.infer<typeof patientBody>;
