import {
  asPerson,
  fieldValue,
  isZonedDateTime,
  manualDate,
  quoted,
  type FieldValue,
  type ManualPatient,
  type ManualPatientData,
  type SchemaField,
  type SentValue,
  type TeamMember,
} from '../../../contract/manual.js';

/**
 * Manual-mode rules beyond the shapes of requests (contract/manual.ts): values against the
 * team's schema, merging a change into a patient's values, and schema changes that would leave
 * existing values behind. Every message names the field by its label and says what to do.
 */

const textLimits = { text: 1000, longText: 10000 } as const;
const numberText = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 6 });

/** What to enter in a number field, with its range and unit. */
function numberAsk(field: SchemaField): string {
  const unit = field.unit ? ` (${field.unit})` : '';
  const { min, max } = field;
  if (min !== undefined && max !== undefined) return `enter a number from ${numberText(min)} to ${numberText(max)}${unit}`;
  if (min !== undefined) return `enter a number of at least ${numberText(min)}${unit}`;
  if (max !== undefined) return `enter a number of at most ${numberText(max)}${unit}`;
  return `enter a number${unit}`;
}

/**
 * A value checked against its field's type, range and choices: what to do instead, or null. A
 * person is checked for shape only here; whether they are a member is asked where new values
 * come in (`resolvePersons`), so a patient whose nurse left the team keeps that value.
 */
export function valueProblem(field: SchemaField, value: unknown): string | null {
  switch (field.type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return numberAsk(field);
      if ((field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max)) return numberAsk(field);
      return null;
    case 'date':
      return manualDate.safeParse(value).success ? null : 'enter a real date like 2026-11-23';
    case 'dateTime':
      return typeof value === 'string' && isZonedDateTime(value) ? null : 'enter a real date and time with its zone, like 2026-11-23T14:30+01:00';
    case 'yesNo':
      return typeof value === 'boolean' ? null : 'answer yes or no (true or false)';
    case 'person':
      return asPerson(value) ? null : 'choose a member of this team';
    case 'choice':
      return typeof value === 'string' && field.choices!.includes(value) ? null : `choose one of ${field.choices!.join(', ')}`;
    default: {
      const limit = textLimits[field.type];
      return typeof value === 'string' && value.length <= limit ? null : `enter text of at most ${limit.toLocaleString('en-US')} characters`;
    }
  }
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
      if (field.required) problems.push(`${field.label}: fill this in; it is required.`);
      continue;
    }
    const problem = valueProblem(field, value);
    if (problem) problems.push(`${field.label}: ${problem}.`);
  }
  return problems;
}

/**
 * The sent values with each person (`{id}`) named as the team's directory names them now. A
 * person who is not a current member is refused, unless the patient already had that very person
 * (a nurse who left stays on the record until someone chooses another). `members` is asked only
 * when a new person is named.
 */
export async function resolvePersons(
  fields: SchemaField[],
  sent: Record<string, SentValue> | undefined,
  before: ManualPatientData['values'] | undefined,
  members: () => Promise<TeamMember[]>,
): Promise<{ values: Record<string, FieldValue>; problems: string[] }> {
  const values: Record<string, FieldValue> = {};
  const problems: string[] = [];
  let known: TeamMember[] | undefined;
  for (const key of Object.keys(sent ?? {})) {
    const value = Object.getOwnPropertyDescriptor(sent, key)!.value as SentValue;
    const field = fields.find((f) => f.id === key);
    let kept: FieldValue | undefined;
    if (typeof value !== 'object') kept = value;
    else if (field?.type !== 'person')
      problems.push(`${field?.label ?? quoted(key)}: ${field ? valueProblem(field, value) : 'is not a field of this team’s schema'}.`);
    else {
      const had = asPerson(before && fieldValue(before, key));
      if (had?.id === value.id) kept = had;
      else {
        known ??= await members();
        const member = known.find((m) => m.id === value.id);
        if (member) kept = { id: member.id, name: member.name };
        else problems.push(`${field.label}: choose a member of this team.`);
      }
    }
    if (kept !== undefined) Object.defineProperty(values, key, { value: kept, enumerable: true, writable: true, configurable: true });
  }
  return { values, problems };
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

/** Patients' names for a message: the first five, then how many more. */
function named(patients: ManualPatient[]): string {
  const names = patients.slice(0, 5).map((p) => p.name);
  return patients.length > 5 ? `${names.join(', ')} and ${patients.length - 5} more` : names.join(', ');
}
const has = (patients: ManualPatient[]) => `${named(patients)} ${patients.length === 1 ? 'has' : 'have'}`;

/** Text and long text hold the same values: a field may move between them when every value fits. */
const sameShape = (a: SchemaField['type'], b: SchemaField['type']) => a === b || (a in textLimits && b in textLimits);

/**
 * Changes of the schema that would leave existing patients behind, one sentence per field, each
 * naming the patients concerned and what to do: a field removed or its type changed while
 * patients have values, a choice removed while chosen, a range narrowed below values, a field made
 * required (or added as required) while patients have no value.
 */
export function schemaConflicts(current: SchemaField[], next: SchemaField[], patients: ManualPatient[]): string[] {
  const conflicts: string[] = [];
  const having = (id: string) => patients.filter((p) => fieldValue(p.values, id) !== undefined);
  for (const old of current) {
    const holders = having(old.id);
    if (!holders.length || next.some((f) => f.id === old.id)) continue;
    conflicts.push(`${old.label}: removed while ${has(holders)} a value; clear their values first.`);
  }
  for (const field of next) {
    const old = current.find((f) => f.id === field.id);
    const holders = having(field.id);
    if (old && holders.length && !sameShape(old.type, field.type)) {
      conflicts.push(`${field.label}: cannot become a ${field.type} field while ${has(holders)} a value; clear their values first.`);
      continue;
    }
    if (field.type === 'choice') {
      for (const choice of new Set(holders.map((p) => fieldValue(p.values, field.id)))) {
        if (typeof choice === 'string' && field.choices!.includes(choice)) continue;
        const chosen = holders.filter((p) => fieldValue(p.values, field.id) === choice);
        conflicts.push(`${field.label}: ${quoted(String(choice))} is still chosen for ${named(chosen)}; choose another for them first.`);
      }
    } else {
      const misfits = holders.filter((p) => valueProblem(field, fieldValue(p.values, field.id)));
      if (misfits.length) {
        const why = field.type === 'number' ? `outside the new range (${numberAsk(field).replace('enter ', '')})` : 'that would no longer fit';
        conflicts.push(`${field.label}: ${has(misfits)} values ${why}; change their values first.`);
      }
    }
    if (field.required) {
      const lacking = patients.filter((p) => fieldValue(p.values, field.id) === undefined);
      if (lacking.length) conflicts.push(`${field.label}: ${has(lacking)} no value; fill it in for them before making it required.`);
    }
  }
  return conflicts;
}
