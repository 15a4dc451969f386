import { Button, Subtitle2, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useRef, useState } from 'react';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { t } from '../../shared/i18n/t';
import { announce } from '../../shared/live-region';
import { useSession } from '../../shared/session';
import { useOneAtATime } from '../../shared/use-one-at-a-time';
import type { Note } from '../../../contract/notes';
import { useAddNote } from './api/add-note';
import { NoteItem } from './NoteItem';
import { NoteTextField, noteFits } from './NoteTextField';

const useStyles = makeStyles({
  section: { marginBottom: '24px', display: 'flex', flexDirection: 'column', gap: '8px' },
  heading: { margin: 0, paddingBottom: '4px', borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
  list: { margin: 0, padding: 0, listStyle: 'none', display: 'flex', flexDirection: 'column', gap: '12px' },
  muted: { color: tokens.colorNeutralForeground3 },
  noteForm: { display: 'flex', flexDirection: 'column', gap: '8px', alignItems: 'flex-start', marginTop: '8px' },
  noteField: { width: '100%' },
});

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The team's notes on the patient, each with its corrections and withdrawal shown, and a form to
 * add one. `onNoteAdded` is for what else shows notes (the lists' latest note).
 */
export function NotesSection({ patientId, notes: sent, onNoteAdded }: { patientId: string | null; notes: unknown; onNoteAdded?: () => void }) {
  const styles = useStyles();
  const { userId } = useSession();
  const [note, setNote] = useState('');
  const noteInput = useRef<HTMLTextAreaElement>(null);
  const oneAtATime = useOneAtATime();
  const addNote = useAddNote(patientId, {
    onAdded: () => {
      setNote('');
      // The Add button turns disabled with the box empty: keep focus in the panel, ready for the next note.
      noteInput.current?.focus();
      onNoteAdded?.();
      announce(t('notes.saved'));
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
          <NoteItem key={n.id} note={n} patientId={patientId} mine={n.authorId === userId} onChanged={onNoteAdded} />
        ))}
      </ul>
      <form
        noValidate
        className={styles.noteForm}
        onSubmit={(e) => {
          e.preventDefault();
          if (noteFits(note)) oneAtATime((done) => addNote.mutate(note.trim(), { onSettled: done }));
        }}
      >
        <NoteTextField label={t('details.newNote')} className={styles.noteField} value={note} onChange={setNote} inputRef={noteInput} />
        <Button type="submit" appearance="primary" disabled={!noteFits(note) || addNote.isPending}>
          {t('details.addNote')}
        </Button>
      </form>
      {addNote.isError && <ErrorNotice error={addNote.error} />}
    </section>
  );
}
