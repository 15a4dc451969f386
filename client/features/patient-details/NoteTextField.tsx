import { Field, Textarea } from '@fluentui/react-components';
import type { Ref } from 'react';
import { currentLocale, t } from '../../shared/i18n/t';
import { NOTE_MAX_LENGTH } from '../../../contract/plain-constants';

/** The length the server checks: the text without its surrounding blanks. */
export const noteLength = (text: string) => text.trim().length;
export const noteFits = (text: string) => noteLength(text) > 0 && noteLength(text) <= NOTE_MAX_LENGTH;

/**
 * A note's text box with its length against the limit ("4,120 / 4,000 characters"). Nothing is
 * cut as one types or pastes: a note over the limit says by how much, and the form's Save stays
 * disabled (noteFits) until it is shortened.
 */
export function NoteTextField({
  label,
  value,
  onChange,
  inputRef,
  className,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  inputRef?: Ref<HTMLTextAreaElement>;
  className?: string;
}) {
  const number = new Intl.NumberFormat(currentLocale());
  const length = noteLength(value);
  const over = length - NOTE_MAX_LENGTH;
  return (
    <Field
      label={label}
      className={className}
      hint={t('notes.length', { count: number.format(length), max: number.format(NOTE_MAX_LENGTH) })}
      validationState={over > 0 ? 'error' : 'none'}
      validationMessage={over > 0 ? t('notes.tooLong', { over: number.format(over) }) : undefined}
    >
      <Textarea ref={inputRef} value={value} onChange={(_, v) => onChange(v.value)} resize="vertical" />
    </Field>
  );
}
