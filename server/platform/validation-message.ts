import type { ZodError } from 'zod';
import { routeOf, type ApiRoute } from '../../contract/routes.js';
import { lookupTable } from '../../contract/lookup-table.js';

/**
 * Zod's issues as sentences a user understands: every field named as the tab shows it ("The EHR
 * link must be a web address (https://…)"), never as a path (`url:`, `values.x`). The paths stay
 * for programs, in the problem's `fields`.
 */

type Issue = ZodError['issues'][number];
type Key = string | number;

/**
 * Field names as the user sees them, whatever the route. The tables here are looked up by keys the
 * caller wrote (a team field's id, a colour's choice): only their own entries count (lookupTable).
 */
const labels: Record<string, string> = lookupTable({
  mode: 'The setup choice',
  url: 'The EHR link',
  name: 'The name',
  columns: 'The columns',
  version: 'The version the change was made on',
  patientIds: 'The patients to add',
  toListId: 'The list to move the patient to',
  listId: 'The list',
  fields: 'The fields',
  label: 'The label',
  type: 'The type',
  choices: 'The choices',
  required: 'The required mark',
  mrn: 'The MRN',
  birthDate: 'The birth date',
  birthdate: 'The birth date',
  gender: 'The gender',
  room: 'The room',
  values: 'The team fields',
  text: 'The note',
  family: 'The family name',
  given: 'The given name',
  identifier: 'The MRN',
  id: 'The id',
  count: 'The number of results',
  page: 'The page link',
  from: 'The start time',
  to: 'The end time',
  user: 'The user',
  patient: 'The patient',
  patientId: 'The patient id',
  operation: 'The operation',
  format: 'The format',
  limit: 'The number of records',
  userId: 'The user',
});

/** Where one word means different things on different routes. */
const routeLabels: Partial<Record<ApiRoute, Record<string, string>>> = {
  'PUT /api/teams/{teamId}/connection': lookupTable({ name: 'The connection name', mode: 'The choice of EHR or Manual mode' }),
  'POST /api/teams/{teamId}/lists': lookupTable({ name: 'The list name' }),
  'PATCH /api/teams/{teamId}/lists/{listId}': lookupTable({ name: 'The list name', version: 'The list version' }),
  'GET /api/teams/{teamId}/patients': lookupTable({ id: 'The patient id' }),
  'PUT /api/teams/{teamId}/schema': lookupTable({ id: 'The field id', version: 'The schema version' }),
  'POST /api/teams/{teamId}/manual-patients': lookupTable({ name: "The patient's name" }),
  'PATCH /api/teams/{teamId}/manual-patients/{patientId}': lookupTable({ name: "The patient's name", version: "The patient's version" }),
};

/** What one item of a list is called, for "… of field 3". */
const itemNames: Record<string, string> = lookupTable({
  fields: 'field',
  columns: 'column',
  choices: 'choice',
  patientIds: 'patient',
});

const quote = (text: string) => `“${(text.length > 60 ? `${text.slice(0, 60)}…` : text).replace(/\p{Cc}/gu, '?')}”`;
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const sentence = (text: string) => upperFirst(/[.!?]$/.test(text) ? text : `${text}.`);

/** The field a path names, as the user sees it: "The label of field 3", "The team field “ward”". */
export function fieldLabel(path: readonly Key[], route?: ApiRoute): string {
  const onRoute = route ? routeLabels[route] : undefined;
  const labelOf = (key: string) => onRoute?.[key] ?? labels[key] ?? `The field ${quote(key)}`;
  const keys = path.filter((k): k is Key => typeof k === 'string' || typeof k === 'number');
  // A bare value parsed on its own: on these routes, the patient id of the address.
  if (keys.length === 0) return route?.includes('{patientId}') ? 'The patient id in the address' : 'The value';
  // A team field's value is named by the team's own field id.
  if (keys[0] === 'values' && keys.length > 1) return `The team field ${quote(String(keys[1]))}`;
  const last = keys[keys.length - 1];
  if (typeof last === 'number') {
    const list = String(keys[keys.length - 2] ?? '');
    return `${upperFirst(itemNames[list] ?? 'item')} ${last + 1}${keys.length > 2 ? ` of ${lowerFirst(fieldLabel(keys.slice(0, -2), route))}` : ''}`;
  }
  const parentIndex = keys.length >= 3 && typeof keys[keys.length - 2] === 'number' ? (keys[keys.length - 2] as number) : undefined;
  if (parentIndex !== undefined) {
    const list = String(keys[keys.length - 3]);
    return `${labelOf(last)} of ${itemNames[list] ?? 'item'} ${parentIndex + 1}`;
  }
  return labelOf(last);
}

const typeWords: Record<string, string> = lookupTable({
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a set of fields',
  array: 'a list',
});

/** One issue as one sentence. Messages the contract wrote ("must not be empty") are kept; zod's own are replaced. */
function issueSentence(issue: Issue, route: ApiRoute | undefined): string {
  const subject = fieldLabel(issue.path as Key[], route);
  // The contract's own words start in lower case ("must be a web address"); zod's ("Invalid input") do not.
  const ours = /^\p{Ll}/u.test(issue.message) || issue.message.startsWith('“');
  if (issue.code === 'custom' || (ours && issue.code !== 'unrecognized_keys')) {
    // A message that names its value itself ("“room” is a built-in field…") stands alone.
    if (issue.message.startsWith('“')) return sentence(issue.message);
    if (/^(must|is|are|contains) /.test(issue.message)) return sentence(`${subject} ${issue.message}`);
    // A rule of the whole request or item ("give a name or columns to change"), said of it.
    return sentence(issue.path.length ? `${issue.message} (${lowerFirst(subject)})` : issue.message);
  }
  switch (issue.code) {
    case 'invalid_type':
      // Zod keeps no input in its issues; its own message says what it received.
      if (/received undefined$/.test(issue.message)) return `${subject} is missing.`;
      return `${subject} must be ${typeWords[issue.expected] ?? 'of another kind'}.`;
    case 'too_small':
      return `${subject} ${sizeWords('at least', issue.origin, Number(issue.minimum))}.`;
    case 'too_big':
      return `${subject} ${sizeWords('at most', issue.origin, Number(issue.maximum))}.`;
    case 'invalid_format':
      if (issue.format === 'url') return `${subject} must be a web address (https://…).`;
      if (issue.format === 'uuid' || issue.format === 'guid') return `${subject} is not an id the app gave.`;
      if (issue.format === 'datetime') return `${subject} must be a time such as 2026-11-23T08:00:00Z.`;
      return `${subject} is not in the expected form.`;
    case 'invalid_value':
      return `${subject} must be one of ${issue.values.map((v) => quote(String(v))).join(', ')}.`;
    case 'unrecognized_keys': {
      const where = issue.path.length ? ` in ${lowerFirst(subject)}` : '';
      const what = issue.keys.map(quote).join(', ');
      return issue.keys.length === 1 ? `The app does not know the field ${what}${where}.` : `The app does not know the fields ${what}${where}.`;
    }
    case 'invalid_union':
      return `${subject} is not one the app accepts.`;
    case 'not_multiple_of':
      return `${subject} must be a multiple of ${String(issue.divisor)}.`;
    default:
      return `${subject} is not valid.`;
  }
}

function sizeWords(bound: 'at least' | 'at most', origin: string, size: number): string {
  if (origin === 'string') return bound === 'at least' && size === 1 ? 'must not be empty' : `must be ${bound} ${size} characters`;
  if (origin === 'array' || origin === 'set') return bound === 'at least' && size === 1 ? 'must not be empty' : `must have ${bound} ${size} items`;
  return `must be ${bound} ${size}`;
}

/** The whole error as sentences, and the paths of the fields at fault for programs. */
export function validationMessage(err: ZodError, request?: { method: string; path: string }): { message: string; fields: string[] } {
  const route = request ? routeOf(request.method, request.path) : undefined;
  // One sentence per field: an empty link is not also "not a web address".
  const byField = new Map<string, Issue>();
  for (const issue of err.issues) {
    const key = `${issue.code === 'unrecognized_keys' ? '+' : ''}${issue.path.join('\u0000')}`;
    if (!byField.has(key)) byField.set(key, issue);
  }
  const firstPerField = [...byField.values()];
  const sentences = [...new Set(firstPerField.map((issue) => issueSentence(issue, route)))];
  const fields = [...new Set(err.issues.map((issue) => issue.path.map(String).join('.')).filter(Boolean))];
  return { message: sentences.join(' '), fields };
}
