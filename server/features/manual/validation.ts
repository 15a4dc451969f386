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
import type { FieldIssue } from '../../../contract/manual-issues.js';
import { hasDirectionControls } from '../../../contract/direction-controls.js';
import { hasHiddenCharacter } from '../../../contract/shared-text.js';

/**
 * Manual-mode rules beyond the shapes of requests (contract/manual.ts): values against the
 * team's schema, merging a change into a patient's values, and schema changes that would leave
 * existing values behind. Every message names the field by its label and says what to do.
 */

const textLimits = { text: 1000, longText: 10000 } as const;
const numberText = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 6 });

/** What to do about invisible direction controls in a text, in English (for a team field or a built-in one). */
export const DIRECTION_CONTROLS_ASK = 'remove the invisible text direction controls (they often come with pasted text)';
/** What to do about control or invisible characters in a text, in English. */
export const HIDDEN_CHARACTERS_ASK = 'remove the control or invisible characters (they often come with pasted text)';

/** Why a value was refused, without the field it belongs to. */
export type ValueIssue = Omit<FieldIssue, 'field'>;

/** What to enter in a number field, with its range and unit. */
function numberAsk(field: Pick<FieldIssue, 'min' | 'max' | 'unit'>): string {
  const unit = field.unit ? ` (${field.unit})` : '';
  const { min, max } = field;
  if (min !== undefined && max !== undefined) return `enter a number from ${numberText(min)} to ${numberText(max)}${unit}`;
  if (min !== undefined) return `enter a number of at least ${numberText(min)}${unit}`;
  if (max !== undefined) return `enter a number of at most ${numberText(max)}${unit}`;
  return `enter a number${unit}`;
}

/** A number field's issue, with the range and unit the words need. */
function numberIssue(field: SchemaField, code: 'not_number' | 'below_min' | 'above_max'): ValueIssue {
  const { min, max, unit } = field;
  return { code, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), ...(unit ? { unit } : {}) };
}

/**
 * A value checked against its field's type, range and choices: why it is refused, or null. A
 * person is checked for shape only here; whether they are a member is asked where new values
 * come in (`resolvePersons`), so a patient whose nurse left the team keeps that value.
 */
export function valueIssue(field: SchemaField, value: unknown): ValueIssue | null {
  switch (field.type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return numberIssue(field, 'not_number');
      if (field.min !== undefined && value < field.min) return numberIssue(field, 'below_min');
      if (field.max !== undefined && value > field.max) return numberIssue(field, 'above_max');
      return null;
    case 'date':
      return manualDate.safeParse(value).success ? null : { code: 'not_date' };
    case 'dateTime':
      return typeof value === 'string' && isZonedDateTime(value) ? null : { code: 'not_date_time' };
    case 'yesNo':
      return typeof value === 'boolean' ? null : { code: 'not_yes_no' };
    case 'person':
      return asPerson(value) ? null : { code: 'not_member' };
    case 'choice':
      return typeof value === 'string' && field.choices!.includes(value) ? null : { code: 'not_choice', choices: field.choices! };
    default: {
      const limit = textLimits[field.type];
      if (typeof value !== 'string' || value.length > limit) return { code: 'too_long', max: limit };
      // Several lines of text may hold tabs and line breaks (contract/shared-text.ts).
      return hasDirectionControls(value) ? { code: 'direction_controls' } : hasHiddenCharacter(value, true) ? { code: 'hidden_characters' } : null;
    }
  }
}

/** What to do instead, in English, for an issue of a value (`required` and `unknown_field` are whole sentences of their own). */
function issueAsk(issue: ValueIssue): string {
  switch (issue.code) {
    case 'not_number':
    case 'below_min':
    case 'above_max':
      return numberAsk(issue);
    case 'not_date':
      return 'enter a real date like 2026-11-23';
    case 'future_date':
      return 'enter a date that is not in the future';
    case 'not_date_time':
      return 'enter a real date and time with its zone, like 2026-11-23T14:30+01:00';
    case 'not_yes_no':
      return 'answer yes or no (true or false)';
    case 'not_member':
      return 'choose a member of this team';
    case 'not_choice':
      return `choose one of ${(issue.choices ?? []).join(', ')}`;
    case 'too_long':
      return `enter text of at most ${(issue.max ?? 0).toLocaleString('en-US')} characters`;
    case 'direction_controls':
      return DIRECTION_CONTROLS_ASK;
    case 'hidden_characters':
      return HIDDEN_CHARACTERS_ASK;
    case 'required':
      return 'fill this in; it is required';
    case 'unknown_field':
      return "use a field of this team's schema";
    // An import's own: its rows word them where they are found (import-rows.ts).
    case 'ambiguous_member':
      return "choose the person in the patient's details after the import";
    case 'mrn_in_team':
    case 'mrn_discharged':
    case 'mrn_repeated':
      return 'use an MRN no other patient of the team or row of the file has';
  }
}

/** A value checked against its field: what to do instead, in English, or null. */
export function valueProblem(field: SchemaField, value: unknown): string | null {
  const issue = valueIssue(field, value);
  return issue && issueAsk(issue);
}

/** An issue as an English sentence, the field named by its label (an unknown one as it was sent). */
export function issueSentence(fields: readonly SchemaField[], issue: FieldIssue): string {
  if (issue.code === 'unknown_field') return `${quoted(issue.field)} is not a field of this team's schema.`;
  const label = fields.find((f) => f.id === issue.field)?.label ?? quoted(issue.field);
  return `${label}: ${issueAsk(issue)}.`;
}

/** Why a patient's team-field values are refused under a schema, one issue per field at fault; own properties only. */
export function valuesIssues(fields: SchemaField[], values: Record<string, unknown>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const key of Object.keys(values)) {
    if (!fields.some((f) => f.id === key)) issues.push({ field: key, code: 'unknown_field' });
  }
  for (const field of fields) {
    const value = Object.hasOwn(values, field.id) ? values[field.id] : undefined;
    if (value === undefined || value === '') {
      if (field.required) issues.push({ field: field.id, code: 'required' });
      continue;
    }
    const issue = valueIssue(field, value);
    if (issue) issues.push({ field: field.id, ...issue });
  }
  return issues;
}

/** Problems of a patient's team-field values under a schema, one sentence each, fields named by their labels; own properties only. */
export function valuesProblems(fields: SchemaField[], values: Record<string, unknown>): string[] {
  return valuesIssues(fields, values).map((issue) => issueSentence(fields, issue));
}

/**
 * The sent values with each person (`{id}`) named as the team's directory names them now. A
 * person who is not a current member is refused, unless the patient already had that very person
 * (a nurse who left stays on the record until someone chooses another). `members` is asked only
 * when a new person is named. `problems` are the `issues` in English sentences.
 */
export async function resolvePersons(
  fields: SchemaField[],
  sent: Record<string, SentValue> | undefined,
  before: ManualPatientData['values'] | undefined,
  members: () => Promise<TeamMember[]>,
): Promise<{ values: Record<string, FieldValue>; problems: string[]; issues: FieldIssue[] }> {
  const values: Record<string, FieldValue> = {};
  const issues: FieldIssue[] = [];
  let known: TeamMember[] | undefined;
  for (const key of Object.keys(sent ?? {})) {
    const value = Object.getOwnPropertyDescriptor(sent, key)!.value as SentValue;
    const field = fields.find((f) => f.id === key);
    let kept: FieldValue | undefined;
    if (typeof value !== 'object') kept = value;
    else if (!field) issues.push({ field: key, code: 'unknown_field' });
    else if (field.type !== 'person') issues.push({ field: key, ...valueIssue(field, value)! });
    else {
      const had = asPerson(before && fieldValue(before, key));
      if (had?.id === value.id) kept = had;
      else {
        known ??= await members();
        const member = known.find((m) => m.id === value.id);
        if (member) kept = { id: member.id, name: member.name };
        else issues.push({ field: key, code: 'not_member' });
      }
    }
    if (kept !== undefined) Object.defineProperty(values, key, { value: kept, enumerable: true, writable: true, configurable: true });
  }
  return { values, issues, problems: issues.map((issue) => issueSentence(fields, issue)) };
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
/** How many patients a sentence names before "and N more". */
const NAMED = 5;
function namedText(patients: ManualPatient[]): string {
  const names = patients.slice(0, NAMED).map((p) => p.name);
  return patients.length > NAMED ? `${names.join(', ')} and ${patients.length - NAMED} more` : names.join(', ');
}

/** Text and long text hold the same values: a field may move between them when every value fits. */
const sameShape = (a: SchemaField['type'], b: SchemaField['type']) => a === b || (a in textLimits && b in textLimits);

/**
 * Changes of the schema that would leave existing patients behind, one sentence per field, each
 * naming the patients concerned and what to do: a field removed or its type changed while
 * patients have values, a choice removed while chosen, a range narrowed below values, a field made
 * required (or added as required) while patients have no value.
 */
export function schemaConflicts(current: SchemaField[], next: SchemaField[], patients: ManualPatient[], shown?: Set<string>): string[] {
  const conflicts: string[] = [];
  // The patients the sentences name (the first five of each group), for the refusal's audit record.
  const named = (group: ManualPatient[]) => {
    for (const p of group.slice(0, NAMED)) shown?.add(p.id);
    return namedText(group);
  };
  const has = (group: ManualPatient[]) => `${named(group)} ${group.length === 1 ? 'has' : 'have'}`;
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
