import { Field, Input, Select, Textarea } from '@fluentui/react-components';
import { t } from '../../shared/i18n/t';
import { asPerson, choiceColour, type FieldValue, type SchemaField, type TeamMember } from '../../../contract/manual';
import { ChoiceBadge } from '../../shared/components/ChoiceBadge';
import { numberFromText, numberInputText } from './number-text';

/**
 * The input of each type of team field in the patient form. The form holds every value as the
 * text of its input; `formText` and `formValue` turn a stored value into that text and back.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** A stored date-time as a `datetime-local` input's text, in the user's zone. */
function localInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` text as a moment with the user's zone offset, as the server asks (`…T14:30+01:00`). */
function zoned(local: string): string {
  const d = new Date(local);
  if (Number.isNaN(d.getTime())) return local;
  const offset = -d.getTimezoneOffset();
  const abs = Math.abs(offset);
  return `${local}${offset >= 0 ? '+' : '-'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A stored value as its input's text ("" for none). */
export function formText(field: SchemaField, value: FieldValue | undefined): string {
  if (value === undefined) return '';
  const person = asPerson(value);
  if (person) return person.id;
  if (field.type === 'dateTime' && typeof value === 'string') return localInput(value);
  if (typeof value === 'number') return numberInputText(value);
  return String(value);
}

/**
 * An input's text as the value to send: numbers as numbers, yes/no as true/false, a person as
 * `{id, name}` (the server names them again), a date-time with the user's zone; "" clears.
 */
export function formValue(field: SchemaField, text: string, members: readonly TeamMember[], before: FieldValue | undefined): FieldValue {
  if (text === '') return '';
  switch (field.type) {
    case 'number':
      return numberFromText(text);
    case 'yesNo':
      return text === 'true';
    case 'dateTime':
      return zoned(text);
    case 'person': {
      const had = asPerson(before);
      return members.find((m) => m.id === text) ?? (had?.id === text ? had : { id: text, name: '' });
    }
    default:
      return text;
  }
}

/** The input of one field, its label marked when the field is required. */
export function FieldInput({
  field,
  text,
  onChange,
  members,
  before,
  problem,
}: {
  field: SchemaField;
  /** What is wrong with the input, shown under it (the input is marked invalid). */
  problem?: string;
  text: string;
  onChange: (text: string) => void;
  members: readonly TeamMember[];
  /** The value stored before this edit: a person who left the team stays choosable for this patient. */
  before: FieldValue | undefined;
}) {
  const common = {
    label: field.label,
    required: Boolean(field.required),
    validationMessage: problem,
    validationState: problem ? ('error' as const) : ('none' as const),
  };
  switch (field.type) {
    case 'longText':
      return (
        <Field {...common}>
          <Textarea value={text} resize="vertical" onChange={(_, d) => onChange(d.value)} />
        </Field>
      );
    case 'number':
      return (
        <Field {...common}>
          {/* Text, not type="number": the user's decimal mark is read by numberFromText, never guessed by the browser. */}
          <Input inputMode="decimal" value={text} contentAfter={field.unit} onChange={(_, d) => onChange(d.value)} />
        </Field>
      );
    case 'date':
    case 'dateTime':
      return (
        <Field {...common}>
          <Input type={field.type === 'date' ? 'date' : 'datetime-local'} value={text} onChange={(_, d) => onChange(d.value)} />
        </Field>
      );
    case 'yesNo':
      return (
        <Field {...common}>
          <Select value={text} onChange={(_, d) => onChange(d.value)}>
            <option value="">{t('manual.notAnswered')}</option>
            <option value="true">{t('manual.yes')}</option>
            <option value="false">{t('manual.no')}</option>
          </Select>
        </Field>
      );
    case 'person': {
      const had = asPerson(before);
      const left = had && !members.some((m) => m.id === had.id) ? had : null;
      return (
        <Field {...common}>
          <Select value={text} onChange={(_, d) => onChange(d.value)}>
            <option value="">{t('manual.choosePerson')}</option>
            {members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
            {left && <option value={left.id}>{t('manual.personLeft', { name: left.name })}</option>}
          </Select>
        </Field>
      );
    }
    case 'choice':
      return (
        <Field
          {...common}
          hint={text && field.choices?.includes(text) ? <ChoiceBadge choice={text} colour={choiceColour(field, text)} /> : undefined}
        >
          <Select value={text} onChange={(_, d) => onChange(d.value)}>
            <option value="" />
            {field.choices?.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </Select>
        </Field>
      );
    default:
      return (
        <Field {...common}>
          <Input value={text} onChange={(_, d) => onChange(d.value)} />
        </Field>
      );
  }
}
