import {
  builtInFieldLabels,
  hasBegun,
  manualDate,
  mrnKey,
  quoted,
  type ManualPatient,
  type ManualPatientData,
  type SchemaField,
  type TeamMember,
} from '../../../contract/manual.js';
import { importBuiltIns, type ImportMapping, type ImportRow } from '../../../contract/manual-import.js';
import { genders } from '../../../contract/patients.js';
import { Problem } from '../../platform/problem.js';
import type { FieldIssue } from '../../../contract/manual-issues.js';
import { hasDirectionControls } from '../../../contract/direction-controls.js';
import type { ImportFile } from './import-file.js';
import { DIRECTION_CONTROLS_ASK, HIDDEN_CHARACTERS_ASK, issueSentence, valuesIssues } from './validation.js';
import { hasHiddenCharacter } from '../../../contract/shared-text.js';

/**
 * From a file's rows to patients: the mapping proposed from column names, the owner's mapping
 * checked against the file and the schema, and each row turned into a patient or into its
 * problems in plain words, fields named as the user sees them. Team-field values go through the
 * same check as a patient typed in (validation.ts), so every field type is covered alike.
 */

/** Other names a column of a built-in field goes by (Lists, Epic, Excel), beside its label. */
const aliasesOf: Record<(typeof importBuiltIns)[number], string[]> = {
  name: ['patient', 'patient name', 'full name', 'title'],
  mrn: ['medical record number', 'record number', 'patient id', 'id number'],
  birthDate: ['date of birth', 'dob', 'birthdate', 'birthday'],
  gender: ['sex'],
  room: ['room number', 'location', 'bed', 'room and bed'],
};

/** A name compared without case, accents, spaces or punctuation: "Date de naissance" ~ "date-de-naissance". */
const folded = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');

interface Target {
  key: string;
  label: string;
  /** What the field is called: a built-in's key and label, a team field's label and id. */
  own: string[];
  /** Other names a column of a built-in goes by. */
  aliases: string[];
  field?: SchemaField;
}

function targetsOf(fields: SchemaField[]): Target[] {
  return [
    ...importBuiltIns.map((key) => ({ key, label: builtInFieldLabels[key], own: [key, builtInFieldLabels[key]], aliases: aliasesOf[key] })),
    ...fields.map((field) => ({ key: `field:${field.id}`, label: field.label, own: [field.label, field.id], aliases: [], field })),
  ];
}

/**
 * Each target gets the first unused column that names it: by what the field is called first, then
 * by a usual name, so a column named as the team calls a field (the ward template's "Bed") goes to
 * that field rather than to a built-in it is a usual name of, and "Room" beats an earlier "Bed". A
 * column named as two fields are called (a team field labelled "MRN", saved before such labels were
 * refused) is proposed for neither: a guess would put the team's values in the built-in field, or
 * take MRNs out of the duplicate check; the owner chooses.
 */
export function proposeMapping(columns: string[], fields: SchemaField[]): ImportMapping {
  const targets = targetsOf(fields);
  const namesOf = (names: string[]) => new Set(names.map(folded));
  const own = new Map(targets.map((t) => [t, namesOf(t.own)]));
  const claimed = (column: string) => targets.filter((t) => own.get(t)!.has(folded(column))).length;
  const used = new Set(columns.filter((c) => claimed(c) > 1));
  const chosen = new Map<Target, string>();
  for (const names of [(t: Target) => own.get(t)!, (t: Target) => namesOf(t.aliases)]) {
    for (const target of targets) {
      if (chosen.has(target)) continue;
      const column = columns.find((c) => !used.has(c) && names(target).has(folded(c)));
      if (column) {
        used.add(column);
        chosen.set(target, column);
      }
    }
  }
  return targets.flatMap((t) => (chosen.has(t) ? [{ target: t.key, column: chosen.get(t)! }] : []));
}

/** Whether a cell names a field a column can go to, by what it is called or a usual name: how a header row is found. */
export function namesAField(fields: SchemaField[]): (cell: string) => boolean {
  const names = new Set(targetsOf(fields).flatMap((t) => [...t.own, ...t.aliases].map(folded)));
  return (cell) => names.has(folded(cell));
}

/** The mapping as column index by target, refused in words when it names a column or field that is not there. */
function resolve(mapping: ImportMapping, file: ImportFile, fields: SchemaField[]): Map<Target, number> {
  const targets = targetsOf(fields);
  const resolved = new Map<Target, number>();
  const problems: string[] = [];
  for (const { target: key, column } of mapping) {
    const target = targets.find((t) => t.key === key);
    const index = file.columns.indexOf(column);
    if (!target) problems.push(`${quoted(key)} is not a field of this team; choose another field for the column ${quoted(column)}.`);
    else if (index < 0) problems.push(`The file has no column ${quoted(column)}; choose one of its columns for ${target.label}.`);
    else if (resolved.has(target)) problems.push(`${target.label} is mapped to two columns; choose one.`);
    else resolved.set(target, index);
  }
  if (!problems.length && ![...resolved.keys()].some((t) => t.key === 'name')) problems.push('Choose the column that holds the patients’ names.');
  if (problems.length) throw new Problem('validation_failed', problems.join(' '));
  return resolved;
}

/** A date as `YYYY-MM-DD`, from that form or a date-time starting with it (as Lists and Excel export); else the text as given. */
const dateOf = (text: string) => {
  const day = /^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text)?.[1];
  return day ?? text;
};

/**
 * A number field's cell: 12, -3.5, or 3,5 with a decimal comma; else the text, which the check
 * refuses in words. A comma before three digits after one to three others ("3,250") is left as
 * text too: an English sheet's thousands (3250 g) as much as a decimal (3.25 kg), never guessed.
 */
const numberOf = (text: string): string | number =>
  /^-?\d+(?:[.,]\d+)?$/.test(text) && !/^-?[1-9]\d{0,2},\d{3}$/.test(text) ? Number(text.replace(',', '.')) : text;

const yes = new Set(['yes', 'y', 'true', '1']);
const no = new Set(['no', 'n', 'false', '0']);

/** A person field's cell names a current member of the team, as the directory names them (case and accents aside). */
function personOf(field: SchemaField, text: string, members: TeamMember[]): { value?: TeamMember; problem?: string; issue?: FieldIssue } {
  const matches = members.filter((m) => folded(m.name) === folded(text));
  if (matches.length === 1) return { value: { id: matches[0].id, name: matches[0].name } };
  return {
    issue: { field: field.id, code: matches.length ? 'ambiguous_member' : 'not_member', value: text },
    problem: matches.length
      ? `${field.label}: ${quoted(text)} names more than one member of this team; choose the person in the patient's details after the import.`
      : `${field.label}: ${quoted(text)} is not a member of this team; write a member's name as Teams shows it.`,
  };
}

/**
 * A team field's value from its cell, in the shape a typed-in value has: numbers, dates and
 * yes/no read from their text; anything else as text, which the check of values refuses in
 * words when it does not fit the field.
 */
function fieldValueOf(field: SchemaField, text: string): unknown {
  const type: string = field.type;
  if (type === 'number') return numberOf(text);
  if (type === 'date') return dateOf(text);
  if (type === 'yesNo' && yes.has(text.toLowerCase())) return true;
  if (type === 'yesNo' && no.has(text.toLowerCase())) return false;
  return text;
}

export interface CheckedRow extends ImportRow {
  data: ManualPatientData | null;
}

/**
 * Every row of the file as a patient, or its problems: built-in fields, team fields, and MRNs
 * that repeat an earlier row or belong to a patient the team already has (never doubled).
 */
export function checkRows(
  file: ImportFile,
  mapping: ImportMapping,
  fields: SchemaField[],
  existing: ManualPatient[],
  discharged: ManualPatient[] = [],
  members: TeamMember[] = [],
): CheckedRow[] {
  const columns = resolve(mapping, file, fields);
  const mrnsOf = (patients: ManualPatient[]) => new Set(patients.flatMap((p) => mrnKey(p.mrn) ?? []));
  const known = mrnsOf(existing);
  const left = mrnsOf(discharged);
  const firstRowOf = new Map<string, number>();
  return file.rows.map(({ row, cells }) => {
    const problems: string[] = [];
    const issues: FieldIssue[] = [];
    const refuse = (issue: FieldIssue, words: string) => {
      issues.push(issue);
      problems.push(words);
    };
    const text = (target: Target) => (cells[columns.get(target)!] ?? '').trim();
    /** A built-in text as colleagues will read it, one line: no invisible direction controls (plain-constants.ts), control or invisible characters (shared-text.ts). */
    const plainText = (field: 'name' | 'mrn' | 'room', label: string, value: string) => {
      if (hasDirectionControls(value)) refuse({ field, code: 'direction_controls' }, `${label}: ${DIRECTION_CONTROLS_ASK}.`);
      else if (hasHiddenCharacter(value)) refuse({ field, code: 'hidden_characters' }, `${label}: ${HIDDEN_CHARACTERS_ASK}.`);
      return value;
    };
    const data: ManualPatientData = { name: '', mrn: null, birthDate: null, gender: null, room: null, values: {} };
    for (const target of columns.keys()) {
      const value = text(target);
      if (target.field) {
        if (value === '') continue;
        let fieldValue = fieldValueOf(target.field, value);
        if (target.field.type === 'person') {
          const person = personOf(target.field, value, members);
          if (person.problem) refuse(person.issue!, person.problem);
          fieldValue = person.value;
        }
        if (fieldValue !== undefined) Object.defineProperty(data.values, target.field.id, { value: fieldValue, enumerable: true, writable: true });
        continue;
      }
      if (value === '') continue;
      if (target.key === 'name') {
        if (value.length > 200) refuse({ field: 'name', code: 'too_long', max: 200 }, 'Name is longer than 200 characters; shorten it.');
        data.name = plainText('name', 'Name', value);
      } else if (target.key === 'mrn') {
        if (value.length > 64) refuse({ field: 'mrn', code: 'too_long', max: 64 }, 'MRN is longer than 64 characters.');
        data.mrn = plainText('mrn', 'MRN', value);
      } else if (target.key === 'birthDate') {
        const day = dateOf(value);
        if (!manualDate.safeParse(day).success)
          refuse({ field: 'birthDate', code: 'not_date', value }, `Birth date ${quoted(value)} is not a date; write it like 1985-12-10.`);
        if (!hasBegun(day)) refuse({ field: 'birthDate', code: 'future_date', value }, `Birth date ${quoted(value)} is in the future.`);
        data.birthDate = day;
      } else if (target.key === 'gender') {
        const gender = genders.find((g) => g === value.toLowerCase());
        if (!gender)
          refuse(
            { field: 'gender', code: 'not_choice', value, choices: [...genders] },
            `Gender ${quoted(value)} must be one of ${genders.join(', ')}.`,
          );
        data.gender = gender ?? null;
      } else if (target.key === 'room') {
        if (value.length > 50) refuse({ field: 'room', code: 'too_long', max: 50 }, 'Room is longer than 50 characters.');
        data.room = plainText('room', 'Room', value);
      }
    }
    if (!data.name) {
      problems.unshift('Name is required.');
      issues.unshift({ field: 'name', code: 'required' });
    }
    for (const issue of valuesIssues(fields, data.values)) refuse(issue, issueSentence(fields, issue));
    const mrn = mrnKey(data.mrn);
    const value = data.mrn!;
    if (mrn && known.has(mrn))
      refuse(
        { field: 'mrn', code: 'mrn_in_team', value },
        `A patient with MRN ${quoted(value)} is already in the team; this row is not imported again.`,
      );
    else if (mrn && left.has(mrn))
      refuse(
        { field: 'mrn', code: 'mrn_discharged', value },
        `A discharged patient with MRN ${quoted(value)} is in the team; re-admit them instead of importing them again.`,
      );
    else if (mrn && firstRowOf.has(mrn))
      refuse(
        { field: 'mrn', code: 'mrn_repeated', value, row: firstRowOf.get(mrn)! },
        `MRN ${quoted(value)} is also on row ${firstRowOf.get(mrn)}; only that row is imported.`,
      );
    // A row with other problems is not imported, so it does not take the MRN from a later row.
    else if (mrn && !problems.length) firstRowOf.set(mrn, row);
    return { row, name: data.name, mrn: data.mrn, problems, issues, data: problems.length ? null : data };
  });
}

/** A row as the API shows it, without the patient built from it. */
export const publicRow = ({ row, name, mrn, problems, issues }: CheckedRow): ImportRow => ({ row, name, mrn, problems, issues });
