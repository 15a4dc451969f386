import { dateText } from '../../shared/cells';
import { dateTime, numberText } from '../../shared/format';
import { t } from '../../shared/i18n/t';

/**
 * A value of one of the team's own fields as the user reads it, in the active language: numbers
 * and dates localised, yes/no in words, a person by name. Anything else is shown as its text.
 */
export function fieldValueText(field: { type: string }, value: unknown): string {
  if (value === undefined || value === null || value === '') return t('value.none');
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return t(value ? 'manualDetails.yes' : 'manualDetails.no');
  if (typeof value === 'object') return 'name' in value && typeof value.name === 'string' ? value.name : t('value.unavailable');
  if (field.type === 'date') return dateText({ text: String(value) });
  if (field.type === 'dateTime' && !Number.isNaN(Date.parse(String(value)))) return dateTime(String(value));
  return String(value);
}
