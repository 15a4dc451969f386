import { z } from 'zod';
import { sharedText } from './shared-text.js';
import { genders } from './patients.js';

/**
 * The types of field a Manual-mode team can add: `longText` is a text of several lines, `dateTime`
 * a moment with its zone, `yesNo` a boolean, `person` one of the team's members.
 */
export const fieldTypes = ['text', 'longText', 'number', 'date', 'dateTime', 'choice', 'yesNo', 'person'] as const;
export type FieldType = (typeof fieldTypes)[number];

/** The named colours a choice may carry, shown as a badge with its text: never free CSS. */
export const choiceColours = ['grey', 'red', 'orange', 'yellow', 'green', 'teal', 'blue', 'purple'] as const;
export type ChoiceColour = (typeof choiceColours)[number];

/**
 * A field a team adds to its Manual-mode patients, beside the built-in ones. A choice field has
 * `choices` and may give some of them a colour (`colours`, by choice); a number field may have a
 * `unit` and a range (`min`, `max`, inclusive). Schemas saved before these existed read as they were.
 */
export const schemaFieldShape = z.object({
  id: z.string(),
  label: z.string(),
  type: z.enum(fieldTypes),
  choices: z.array(z.string()).optional(),
  colours: z.record(z.string(), z.enum(choiceColours)).optional(),
  unit: z.string().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  required: z.boolean().optional(),
});
export type SchemaField = z.infer<typeof schemaFieldShape>;

/** `GET`, `PUT /api/teams/{teamId}/schema`: the team's fields (version 0 before the first is saved). */
export const manualSchema = z.object({ fields: z.array(schemaFieldShape), version: z.number().int().min(0) });
export type ManualSchema = z.infer<typeof manualSchema>;

/** A person field's value: the member's stable id (Azure AD object id) and their name as shown when it was chosen. */
export const personValue = z.object({ id: z.string(), name: z.string() });
export type PersonValue = z.infer<typeof personValue>;

/** A team field's value: text (long text, dates, date-times and choices too), a number, yes/no, or a person. */
export const fieldValueShape = z.union([z.string(), z.number(), z.boolean(), personValue]);
export type FieldValue = z.infer<typeof fieldValueShape>;
const valuesShape = z.record(z.string(), fieldValueShape);

/** A value as a person value, or null. */
export function asPerson(value: unknown): PersonValue | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const { id, name } = value as Record<string, unknown>;
  return typeof id === 'string' && typeof name === 'string' ? { id, name } : null;
}

/** A choice's colour, read as an own property (a choice may be named like `constructor`), or null. */
export function choiceColour(field: Pick<SchemaField, 'colours'>, choice: string): ChoiceColour | null {
  return field.colours && Object.hasOwn(field.colours, choice) ? field.colours[choice]! : null;
}

/** A team's member, as the person picker lists them. */
export const teamMember = z.object({ id: z.string(), name: z.string() });
export type TeamMember = z.infer<typeof teamMember>;

/** `GET /api/teams/{teamId}/members`: the team's current members and owners, by name. */
export const teamMembersAnswer = z.object({ members: z.array(teamMember) });
export type TeamMembersAnswer = z.infer<typeof teamMembersAnswer>;

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

/**
 * The most patients a team's Manual-mode roster holds admitted at once. A ward's census is tens of
 * patients, a hospital's a few thousand; every roster view reads (and records in the audit trail)
 * each admitted patient. Discharged patients are kept (re-admitting one adds no one) and do not
 * count: a busy unit discharges thousands a year and must never find its roster closed for it.
 * A patient past it is refused (409 `roster_full`); so is an import that would pass it, whole.
 */
export const MAX_ROSTER_PATIENTS = 2000;

/** `GET /api/teams/{teamId}/manual-patients`: the whole roster. */
export const manualPatientsAnswer = z.object({ patients: z.array(manualPatient) });
export type ManualPatientsAnswer = z.infer<typeof manualPatientsAnswer>;

/** The built-in fields of every Manual-mode patient: no team field may take their ids. */
export const builtInFieldIds = ['name', 'mrn', 'birthDate', 'gender', 'room'] as const;

/** The built-in fields as an import and an export head them (the room's list column reads "Location"): no team field may take these labels. */
export const builtInFieldLabels: Record<(typeof builtInFieldIds)[number], string> = {
  name: 'Name',
  mrn: 'MRN',
  birthDate: 'Birth date',
  gender: 'Gender',
  room: 'Room',
};
const builtInHeadings = [...Object.values(builtInFieldLabels), 'Location'];

/**
 * Names plain JavaScript objects already carry (`constructor`, `toString`, `__proto__`…): a field
 * id or value key with one of these names would read an inherited property, or set the prototype.
 */
export const objectPropertyNames: readonly string[] = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__'])];

/**
 * A patient's values by field id, read as own properties only: a key such as `constructor`
 * that the patient has no value for is undefined, never Object.prototype's.
 */
export function fieldValue(values: ManualPatientData['values'], id: string): FieldValue | undefined {
  return Object.hasOwn(values, id) ? values[id] : undefined;
}

// What the API accepts.

/** Whether `YYYY-MM-DD` names a day of the calendar (not 30 February). */
export function isRealDay(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
}

/** A Manual-mode date: `YYYY-MM-DD`, a real day. */
export const manualDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-23')
  .refine(isRealDay, 'must be a real date');

/**
 * Whether a day has begun somewhere on Earth: it is not after today in the easternmost time zone
 * (UTC+14, Kiribati), so a baby born today is never refused wherever the ward is, and a birth
 * date typed a year wrong (2062 for 1962) always is.
 */
export function hasBegun(day: string, now = Date.now()): boolean {
  return day <= new Date(now + 14 * 3600_000).toISOString().slice(0, 10);
}

/** A Manual-mode birth date: a real day that has begun. */
export const birthDay = manualDate.refine((day) => hasBegun(day), 'must not be in the future');

/**
 * A Manual-mode date-time: a real day and time with its zone, `2026-11-23T14:30` then seconds
 * optionally, then `Z` or an offset such as `+01:00`. Without a zone the moment is unknown.
 */
export function isZonedDateTime(text: string): boolean {
  const m = /^\d{4}-\d{2}-\d{2}T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-](\d{2}):(\d{2}))$/.exec(text);
  if (!m || !isRealDay(text)) return false;
  const [h, min, sec, oh, om] = [m[1], m[2], m[3] ?? '0', m[4] ?? '0', m[5] ?? '0'].map(Number);
  return h! < 24 && min! < 60 && sec! < 60 && oh! < 15 && om! < 60;
}

/**
 * An MRN names one person in a Manual-mode team: compared without surrounding spaces or case, by
 * the service's checks and by each store in the change itself. Anything but text is no MRN.
 */
export const mrnKey = (mrn: unknown): string | null => (typeof mrn === 'string' && mrn.trim() ? mrn.trim().toLowerCase() : null);

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

const choiceText = sharedText(100);

/**
 * A choice field's colours by choice, read as own properties into a fresh object: a choice may be
 * any text, so a key such as `__proto__` must never reach a prototype.
 */
const colours = z.unknown().transform((raw, ctx): Record<string, ChoiceColour> => {
  const fresh: Record<string, ChoiceColour> = {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    ctx.addIssue({ code: 'custom', message: 'colours must be an object of colour names by choice' });
    return z.NEVER;
  }
  for (const key of Object.keys(raw)) {
    const colour = Object.getOwnPropertyDescriptor(raw, key)?.value as unknown;
    if (!(choiceColours as readonly unknown[]).includes(colour)) {
      ctx.addIssue({ code: 'custom', path: [key], message: `the colour of ${quoted(key)} must be one of ${choiceColours.join(', ')}` });
    } else Object.defineProperty(fresh, key, { value: colour, enumerable: true, writable: true, configurable: true });
  }
  return fresh;
});

/** What a field of each type may carry beyond id, label, type and required. */
const extrasOf: Record<FieldType, readonly string[]> = {
  text: [],
  longText: [],
  number: ['unit', 'min', 'max'],
  date: [],
  dateTime: [],
  choice: ['choices', 'colours'],
  yesNo: [],
  person: [],
};
const extras = ['choices', 'colours', 'unit', 'min', 'max'] as const;

/** One field of a `PUT …/schema`. */
export const schemaField = z
  .object({
    id: fieldId,
    label: sharedText(100),
    type: z.enum(fieldTypes),
    choices: z.array(choiceText).min(1).max(50).optional(),
    colours: colours.optional(),
    unit: sharedText(20).optional(),
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
    required: z.boolean().optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const label = f.label || f.id;
    for (const key of extras) {
      if (f[key] !== undefined && !extrasOf[f.type].includes(key))
        ctx.addIssue({ code: 'custom', path: [key], message: `${label}: a ${f.type} field has no ${key}; leave it out` });
    }
    if (f.type === 'choice' && !f.choices) ctx.addIssue({ code: 'custom', path: ['choices'], message: `${label}: give the choices` });
    if (f.choices && new Set(f.choices).size !== f.choices.length)
      ctx.addIssue({ code: 'custom', path: ['choices'], message: `${label}: choices must not repeat` });
    for (const key of Object.keys(f.colours ?? {})) {
      if (!f.choices?.includes(key))
        ctx.addIssue({ code: 'custom', path: ['colours', key], message: `${label}: ${quoted(key)} has a colour but is not one of the choices` });
    }
    if (f.min !== undefined && f.max !== undefined && f.min > f.max)
      ctx.addIssue({ code: 'custom', path: ['min'], message: `${label}: the lowest value must not be above the highest` });
  });

/** `PUT /api/teams/{teamId}/schema` (owners): `version` is the one read (0 before the first). */
export const schemaBody = z
  .object({ fields: z.array(schemaField).max(30), version: z.number().int().min(0).optional() })
  .strict()
  .refine((b) => new Set(b.fields.map((f) => f.id)).size === b.fields.length, 'field ids must not repeat')
  .superRefine((b, ctx) => {
    // Columns, exports and imports name a field by its label: two alike would be told apart by no
    // one, nor a field labelled as a built-in one is headed ("MRN": which one holds the MRN?).
    const seen = new Set<string>();
    b.fields.forEach((f, index) => {
      const key = sameLabelKey(f.label || f.id);
      const builtIn = builtInHeadings.find((h) => sameLabelKey(h) === key);
      if (builtIn)
        ctx.addIssue({
          code: 'custom',
          path: ['fields', index, 'label'],
          message: `${quoted(f.label)} is the label of a built-in field (${builtIn}); give this field its own label`,
        });
      else if (seen.has(key))
        ctx.addIssue({ code: 'custom', path: ['fields', index, 'label'], message: `${quoted(f.label)} labels two fields; give each its own label` });
      seen.add(key);
    });
  });
/** Labels that read alike: the same letters whatever their case, Unicode form or surrounding spaces. */
const sameLabelKey = (label: string) => label.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
export type SchemaBody = z.infer<typeof schemaBody>;

/** A value as sent: a person is sent as `{"id"}` (a name sent with it is ignored: the server names the member). */
export type SentValue = string | number | boolean | { id: string };

/**
 * A patient's team-field values as sent: an object of text, numbers, yes/no (true/false) or
 * persons (`{"id"}`) by field id, read as own properties into a fresh object. Keys named like
 * JavaScript's own properties (`__proto__`, `constructor`…) are refused, so none can reach a
 * prototype or shadow an inherited property.
 */
const patientValues = z.unknown().transform((raw, ctx): Record<string, SentValue> => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    ctx.addIssue({ code: 'custom', message: 'must be an object of field values by field id' });
    return z.NEVER;
  }
  const values: Record<string, SentValue> = {};
  for (const key of Object.keys(raw)) {
    const value = Object.getOwnPropertyDescriptor(raw, key)?.value as unknown;
    const person =
      value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.getOwnPropertyDescriptor(value, 'id')?.value : undefined;
    const plain = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    if (objectNames.has(key)) {
      ctx.addIssue({ code: 'custom', path: [key], message: `${quoted(key)} is a reserved name, not a field of this team's schema` });
    } else if (!plain && typeof person !== 'string') {
      ctx.addIssue({ code: 'custom', path: [key], message: 'must be text, a number, yes or no (true or false), or a team member' });
    } else {
      const kept: SentValue = plain ? value : { id: person as string };
      Object.defineProperty(values, key, { value: kept, enumerable: true, writable: true, configurable: true });
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
    name: sharedText(200),
    mrn: sharedText(64).nullable().optional(),
    birthDate: birthDay.nullable().optional(),
    gender: z.enum(genders).nullable().optional(),
    room: sharedText(50).nullable().optional(),
    values: patientValues.optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict();
export type PatientBody = z.infer<typeof patientBody>;
