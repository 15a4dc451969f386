import { Badge, makeStyles, tokens } from '@fluentui/react-components';
import { dateText } from '../../shared/cells';
import { dateTime, numberText } from '../../shared/format';
import { t } from '../../shared/i18n/t';
import { asPerson, choiceColour, type ChoiceColour, type FieldValue, type SchemaField, type TeamMember } from '../../../contract/manual';

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

// The palette's tokens: each colour a pair of background and text that read together, in light and dark themes.
const palette: Record<ChoiceColour, { backgroundColor: string; color: string }> = {
  grey: { backgroundColor: tokens.colorNeutralBackground5, color: tokens.colorNeutralForeground1 },
  red: { backgroundColor: tokens.colorPaletteRedBackground2, color: tokens.colorPaletteRedForeground2 },
  orange: { backgroundColor: tokens.colorPaletteDarkOrangeBackground2, color: tokens.colorPaletteDarkOrangeForeground2 },
  yellow: { backgroundColor: tokens.colorPaletteYellowBackground2, color: tokens.colorPaletteYellowForeground2 },
  green: { backgroundColor: tokens.colorPaletteGreenBackground2, color: tokens.colorPaletteGreenForeground2 },
  teal: { backgroundColor: tokens.colorPaletteTealBackground2, color: tokens.colorPaletteTealForeground2 },
  blue: { backgroundColor: tokens.colorPaletteBlueBackground2, color: tokens.colorPaletteBlueForeground2 },
  purple: { backgroundColor: tokens.colorPalettePurpleBackground2, color: tokens.colorPalettePurpleForeground2 },
};
const useBadgeStyles = makeStyles(palette);

/** A choice as a badge with its text, in the field's colour for it (no colour: a plain outline badge). */
export function ChoiceBadge({ field, choice }: { field: SchemaField; choice: string }) {
  const styles = useBadgeStyles();
  const colour = choiceColour(field, choice);
  return colour ? (
    <Badge appearance="filled" shape="rounded" className={styles[colour]} data-colour={colour}>
      {choice}
    </Badge>
  ) : (
    <Badge appearance="outline" shape="rounded" color="informative">
      {choice}
    </Badge>
  );
}

/** A value as shown in a table cell: a choice as its badge, anything else in words. */
export function FieldValueView({ field, value, members }: { field: SchemaField; value: FieldValue | undefined; members?: readonly TeamMember[] }) {
  if (field.type === 'choice' && typeof value === 'string' && value !== '') return <ChoiceBadge field={field} choice={value} />;
  return <>{fieldValueText(field, value, members)}</>;
}
