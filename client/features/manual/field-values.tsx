import { dateText } from '../../shared/cells';
import { ChoiceBadge } from '../../shared/components/ChoiceBadge';
import { dateTime, numberText } from '../../shared/format';
import { t } from '../../shared/i18n/t';
import { asPerson, choiceColour, type FieldValue, type SchemaField, type TeamMember } from '../../../contract/manual';

/**
 * A team field's value as the tab shows it: numbers with their unit, dates and date-times in the
 * user's language and zone, yes/no in words, a person by name ("Name (left the team)" when they
 * are no longer among the team's members), and a choice as a badge in its named colour.
 */

/** A value in words; `members` (when known) tells a person who left the team. */
export function fieldValueText(field: SchemaField, value: FieldValue | undefined, members?: readonly TeamMember[]): string {
  if (value === undefined || value === '') return t('value.none');
  if (typeof value === 'boolean') return value ? t('manual.yes') : t('manual.no');
  const person = asPerson(value);
  if (person) return members && !members.some((m) => m.id === person.id) ? t('manual.personLeft', { name: person.name }) : person.name;
  if (typeof value === 'number') return field.unit ? `${numberText(value)} ${field.unit}` : numberText(value);
  if (typeof value !== 'string') return t('value.unavailable');
  if (field.type === 'date') return dateText({ text: value });
  if (field.type === 'dateTime' && !Number.isNaN(Date.parse(value))) return dateTime(value);
  return value;
}

/** A value as shown in a table cell: a choice as its badge, anything else in words. */
export function FieldValueView({ field, value, members }: { field: SchemaField; value: FieldValue | undefined; members?: readonly TeamMember[] }) {
  if (field.type === 'choice' && typeof value === 'string' && value !== '') return <ChoiceBadge choice={value} colour={choiceColour(field, value)} />;
  return <>{fieldValueText(field, value, members)}</>;
}
