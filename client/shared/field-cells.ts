import type { ChoiceColour } from '../../contract/manual';
import { columnLabel, dateText, type ShownCell } from './cells';
import { dateTime, numberText } from './format';
import { t } from './i18n/t';
import type { ListField } from './list-fields';

/**
 * A Manual-mode team field as a list column (`field:<id>`): its heading, its cell as shown and the
 * value it sorts by, from the field's type. Type-only imports of the contract, so the tab's first
 * download carries no zod.
 */

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The field of a `field:<id>` column; null for another column, or for a field the team has removed. */
export function fieldOf(column: string, fields: readonly ListField[] | undefined): ListField | null {
  if (!fields || !column.startsWith('field:')) return null;
  return fields.find((f) => f.id === column.slice(6)) ?? null;
}

/** A column's heading: a team field by its label, a removed one as such, any other as `columnLabel` heads it. */
export function listColumnLabel(column: string, fields: readonly ListField[] | undefined): string {
  if (!fields || !column.startsWith('field:')) return columnLabel(column);
  return fieldOf(column, fields)?.label ?? t('column.removedField', { id: column.slice(6) });
}

/** A choice's colour, if the field names one for it. */
export const choiceColourOf = (field: ListField, choice: string): ChoiceColour | null =>
  field.colours && Object.hasOwn(field.colours, choice) ? (field.colours[choice] ?? null) : null;

/** A shown cell of a field column; `choice` set for a choice value, which the list draws as a badge. */
export type FieldShownCell = ShownCell & { choice?: { colour: ChoiceColour | null } };

const unavailable = (): FieldShownCell => ({ status: 'unavailable', text: t('value.unavailable') });

/**
 * A field column's cell as the list shows it: a number with its unit, a date or date-time in the
 * user's locale, yes/no in words, a person by name, a choice as its text (with its colour); a value
 * that does not fit the field's type is "not available". Never throws.
 */
export function showFieldCell(field: ListField, cell: unknown): FieldShownCell {
  if (!isObject(cell)) return unavailable();
  if (cell.status === 'none') return { status: 'none', text: t('value.none') };
  if (cell.status !== 'ok') return unavailable();
  const v = cell.value;
  switch (field.type) {
    case 'number':
      return typeof v === 'number' && Number.isFinite(v)
        ? { status: 'ok', text: field.unit ? `${numberText(v)} ${field.unit}` : numberText(v) }
        : unavailable();
    case 'yesNo':
      return typeof v === 'boolean' ? { status: 'ok', text: v ? t('manual.yes') : t('manual.no') } : unavailable();
    case 'person':
      return isObject(v) && typeof v.name === 'string' ? { status: 'ok', text: v.name } : unavailable();
    case 'date':
      return typeof v === 'string' ? { status: 'ok', text: dateText({ text: v }) } : unavailable();
    case 'dateTime':
      return typeof v === 'string' ? { status: 'ok', text: Number.isNaN(Date.parse(v)) ? v : dateTime(v) } : unavailable();
    case 'choice':
      return typeof v === 'string' ? { status: 'ok', text: v, choice: { colour: choiceColourOf(field, v) } } : unavailable();
    default:
      return typeof v === 'string' ? { status: 'ok', text: v } : unavailable();
  }
}

/**
 * The value a field column sorts by, in its type's order: numbers numerically, dates and
 * date-times by time, yes before no, a choice by its place among the field's choices (one no
 * longer among them after the rest), a person by name, text without case. Empty and unreadable: null (last).
 */
export function fieldSortValue(field: ListField, cell: unknown): number | string | null {
  if (showFieldCell(field, cell).status !== 'ok' || !isObject(cell)) return null;
  const v = cell.value;
  switch (field.type) {
    case 'number':
      return v as number;
    case 'yesNo':
      return v ? 0 : 1;
    case 'date':
    case 'dateTime': {
      const ms = Date.parse(v as string);
      return Number.isNaN(ms) ? null : ms;
    }
    case 'choice': {
      const at = field.choices?.indexOf(v as string) ?? -1;
      return at < 0 ? (field.choices?.length ?? 0) : at;
    }
    case 'person':
      return ((v as { name: string }).name ?? '').toLocaleLowerCase();
    default:
      return (v as string).toLocaleLowerCase();
  }
}
