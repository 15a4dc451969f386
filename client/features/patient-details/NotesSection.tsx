import { Button, Caption1, Field, Subtitle2, Text, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { useRef, useState } from 'react';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { dateTime } from '../../shared/format';
import { t } from '../../shared/i18n/t';
import type { Note } from '../../../contract/notes';
import { useAddNote } from './api/add-note';

const useStyles = makeStyles({
  section: { marginBottom: '24px', display: 'flex', flexDirection: 'column', gap: '8px' },
  heading: { margin: 0, paddingBottom: '4px', borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
  list: { margin: 0, padding: 0, listStyle: 'none', display: 'flex', flexDirection: 'column', gap: '8px' },
  item: { display: 'flex', flexDirection: 'column', gap: '2px' },
  muted: { color: tokens.colorNeutralForeground3 },
  noteForm: { display: 'flex', flexDirection: 'column', gap: '8px', alignItems: 'flex-start', marginTop: '8px' },
  noteField: { width: '100%' },
});

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The team's notes on the patient, and a form to add one. `onNoteAdded` is for what else shows notes (the lists' latest note). */
export function NotesSection({ patientId, notes: sent, onNoteAdded }: { patientId: string | null; notes: unknown; onNoteAdded?: () => void }) {
  const styles = useStyles();
  const [note, setNote] = useState('');
  const noteInput = useRef<HTMLTextAreaElement>(null);
  const addNote = useAddNote(patientId, {
    onAdded: () => {
      setNote('');
      // The Add button turns disabled with the box empty: keep focus in the panel, ready for the next note.
      noteInput.current?.focus();
      onNoteAdded?.();
    },
  });
  const notes = Array.isArray(sent) ? sent.filter((n): n is Note => isObject(n)) : [];
  return (
    <section className={styles.section} aria-labelledby="details-notes">
      <Subtitle2 as="h3" id="details-notes" className={styles.heading}>
        {t('details.notes')}
      </Subtitle2>
      {notes.length === 0 && <Text className={styles.muted}>{t('details.noNotes')}</Text>}
      <ul className={styles.list}>
        {notes.map((n) => (
          <li key={n.id} className={styles.item}>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{n.text}</Text>
            <Caption1 className={styles.muted}>{t('details.noteBy', { author: n.authorName, time: dateTime(n.createdAt) })}</Caption1>
          </li>
        ))}
      </ul>
      <form
        noValidate
        className={styles.noteForm}
        onSubmit={(e) => {
          e.preventDefault();
          if (note.trim()) addNote.mutate(note.trim());
        }}
      >
        <Field label={t('details.newNote')} className={styles.noteField}>
          <Textarea ref={noteInput} value={note} onChange={(_, v) => setNote(v.value)} maxLength={4000} resize="vertical" />
        </Field>
        <Button type="submit" appearance="primary" disabled={!note.trim() || addNote.isPending}>
          {t('details.addNote')}
        </Button>
      </form>
      {addNote.isError && <ErrorNotice error={addNote.error} />}
    </section>
  );
}
