import { genderLabel } from '../../shared/format';
import { currentLocale, t } from '../../shared/i18n/t';
import { hasBegun, isRealDay, type SchemaField } from '../../../contract/manual';
import { fieldIssue } from '../../../contract/manual-issues';
import { hasDirectionControls } from '../../../contract/direction-controls';
import { hasHiddenCharacter } from '../../../contract/shared-text';
import { lookupTable } from '../../../contract/lookup-table';
import { numberFromText } from './number-text';

/**
 * What is wrong with the patient form before it is sent, one sentence per field in the user's
 * language, each naming the field by its label and saying what to do. The server checks again
 * (and in English for API callers); these are the words the tab shows.
 */

/** The most characters each text type holds (the server's limits). */
const textLimits: Partial<Record<SchemaField['type'], number>> = { text: 1000, longText: 10000 };

const numberText = (n: number) => n.toLocaleString(currentLocale(), { maximumFractionDigits: 6 });

/** A number field's ask, with its range. */
function numberProblem(field: Pick<SchemaField, 'label' | 'min' | 'max'>): string {
  const [min, max] = [field.min, field.max];
  if (min !== undefined && max !== undefined)
    return t('manual.problem.numberRange', { field: field.label, min: numberText(min), max: numberText(max) });
  if (min !== undefined) return t('manual.problem.numberMin', { field: field.label, min: numberText(min) });
  if (max !== undefined) return t('manual.problem.numberMax', { field: field.label, max: numberText(max) });
  return t('manual.problem.number', { field: field.label });
}

/** The problem of one team field's input text, or null. */
export function fieldProblem(field: SchemaField, text: string): string | null {
  if (text.trim() === '') return field.required ? t('manual.problem.required', { field: field.label }) : null;
  if (field.type === 'number') {
    const value = numberFromText(text);
    if (!Number.isFinite(value)) return numberProblem(field);
    if ((field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max)) return numberProblem(field);
  }
  const limit = textLimits[field.type];
  if (limit !== undefined && text.length > limit) return t('manual.problem.tooLong', { field: field.label, max: numberText(limit) });
  if (limit !== undefined) return hiddenProblem(field.label, text, true);
  return null;
}

/** Invisible characters colleagues would not see (contract/shared-text.ts); `lines`: tabs and line breaks are allowed. */
function hiddenProblem(field: string, text: string, lines: boolean): string | null {
  if (hasDirectionControls(text)) return t('manual.problem.directionControls', { field });
  return hasHiddenCharacter(text, lines) ? t('manual.problem.hiddenCharacters', { field }) : null;
}

/** The form's problems: the patient's name (always required), then each team field's, in the form's order. */
export function formProblems(fields: readonly SchemaField[], form: Readonly<Record<string, string>>): string[] {
  return formProblemsByKey(fields, form).map((p) => p.text);
}

/**
 * The form's problems with the key of the input each is about (`name`, `mrn`, `room`, `v:{field id}`),
 * in the form's order: shown under that input, the first one focused.
 */
export function formProblemsByKey(fields: readonly SchemaField[], form: Readonly<Record<string, string>>): { key: string; text: string }[] {
  const problems: { key: string; text: string }[] = [];
  if ((form.name ?? '').trim() === '') problems.push({ key: 'name', text: t('manual.problem.required', { field: t('column.name') }) });
  for (const key of ['name', 'mrn', 'room'] as const) {
    const problem = hiddenProblem(builtIn[key](), form[key] ?? '', false);
    if (problem) problems.push({ key, text: problem });
  }
  const birthDate = form.birthDate ?? '';
  if (birthDate !== '' && isRealDay(birthDate) && !hasBegun(birthDate))
    problems.push({ key: 'birthDate', text: t('manual.problem.futureDate', { field: builtIn.birthDate() }) });
  for (const field of fields) {
    const problem = fieldProblem(field, form[`v:${field.id}`] ?? '');
    if (problem) problems.push({ key: `v:${field.id}`, text: problem });
  }
  return problems;
}

/** The built-in fields of a patient, by the path the server names them with. */
const builtIn: Record<string, () => string> = lookupTable({
  name: () => t('column.name'),
  mrn: () => t('column.mrn'),
  birthDate: () => t('search.birthDate'),
  gender: () => t('column.gender'),
  room: () => t('manual.room'),
});

/**
 * The fields a refused save names (`fields` of a 400: `name`, `values.diagnosis`), as sentences
 * in the user's language with each field's label; paths the tab does not know are left out.
 */
export function refusedFields(fields: readonly SchemaField[], paths: readonly string[]): string[] {
  const labels = paths.flatMap((path) => {
    const [head, id] = path.split('.');
    if (head === 'values' && id) {
      const field = fields.find((f) => f.id === id);
      return field ? [field.label] : [];
    }
    return Object.hasOwn(builtIn, head) ? [builtIn[head]()] : [];
  });
  return [...new Set(labels)].map((label) => t('manual.problem.check', { field: label }));
}

/**
 * Why the server refused the team fields' values (`issues` of a 400: `{field, code, min, max, …}`),
 * as sentences in the user's language, each field by its label; issues the tab cannot read are left out.
 * An MRN the team has is said as what to do instead: re-open the patient (`form`), or skip the row (`import`).
 */
export function issueProblems(fields: readonly SchemaField[], issues: readonly unknown[], from: 'form' | 'import' = 'form'): string[] {
  const problems = issues.flatMap((raw) => {
    const parsed = fieldIssue.safeParse(raw);
    if (!parsed.success) return [];
    const issue = parsed.data;
    const field = fields.find((f) => f.id === issue.field);
    const label = field?.label ?? (Object.hasOwn(builtIn, issue.field) ? builtIn[issue.field]() : issue.field);
    const value = issue.value ?? '';
    switch (issue.code) {
      case 'required':
        return [t('manual.problem.required', { field: label })];
      case 'unknown_field':
        return [t('manual.problem.unknownField', { field: label })];
      case 'not_number':
      case 'below_min':
      case 'above_max':
        return [numberProblem({ label, min: issue.min, max: issue.max })];
      case 'not_date':
        return [t('manual.problem.date', { field: label })];
      case 'future_date':
        return [t('manual.problem.futureDate', { field: label })];
      case 'not_date_time':
        return [t('manual.problem.dateTime', { field: label })];
      case 'not_yes_no':
        return [t('manual.problem.yesNo', { field: label })];
      case 'not_member':
        return [issue.value === undefined ? t('manual.problem.member', { field: label }) : t('import.problem.notMember', { field: label, value })];
      case 'ambiguous_member':
        return [t('import.problem.ambiguousMember', { field: label, value })];
      case 'not_choice': {
        // A gender's choices are codes; the user reads them as the form offers them.
        const choices = (issue.choices ?? field?.choices ?? []).map((c) => (issue.field === 'gender' && !field ? genderLabel(c) : c));
        return [t('manual.problem.choice', { field: label, choices: listOf(choices) })];
      }
      case 'mrn_in_team':
        return [t(from === 'import' ? 'import.problem.mrnInTeam' : 'manual.problem.mrnInTeam', { mrn: value })];
      case 'mrn_discharged':
        return [t(from === 'import' ? 'import.problem.mrnDischarged' : 'manual.problem.mrnDischarged', { mrn: value })];
      case 'mrn_repeated':
        return [t('import.problem.mrnRepeated', { mrn: value, row: issue.row ?? '' })];
      case 'too_long':
        return [t('manual.problem.tooLong', { field: label, max: numberText(issue.max ?? 0) })];
      case 'direction_controls':
        return [t('manual.problem.directionControls', { field: label })];
      case 'hidden_characters':
        return [t('manual.problem.hiddenCharacters', { field: label })];
    }
  });
  return [...new Set(problems)];
}

/** Choices as the user's language lists alternatives ("A, B or C"). */
const listOf = (items: readonly string[]) => new Intl.ListFormat(currentLocale(), { type: 'disjunction' }).format(items);
