import { Button, Caption1, MessageBar, MessageBarBody, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { focusWhenLost } from '../../shared/focus-when-lost';
import { authorText, dateTime } from '../../shared/format';
import { useOneAtATime } from '../../shared/use-one-at-a-time';
import { t } from '../../shared/i18n/t';
import type { Note, NoteRevision } from '../../../contract/notes';
import { isVersionConflict, useReviseNote } from './api/revise-note';
import { NoteTextField, noteFits } from './NoteTextField';

const useStyles = makeStyles({
  item: { display: 'flex', flexDirection: 'column', gap: '4px' },
  text: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground3 },
  withdrawn: { fontStyle: 'italic', color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', gap: '8px', flexWrap: 'wrap', alignItems: 'center' },
  field: { width: '100%' },
  revisions: { margin: '4px 0 0', paddingLeft: '16px', display: 'flex', flexDirection: 'column', gap: '6px' },
  summary: { cursor: 'pointer', color: tokens.colorNeutralForeground2 },
});

/** A time the server sent, in the user's words; what is not a time (another server's shape) reads as nothing rather than failing the panel. */
const timeText = (value: unknown) => (typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? dateTime(value) : '');
const isRevision = (r: unknown): r is NoteRevision =>
  typeof r === 'object' && r !== null && typeof (r as NoteRevision).text === 'string' && typeof (r as NoteRevision).writtenAt === 'string';

type Mode = { kind: 'reading' } | { kind: 'correcting'; draft: string } | { kind: 'withdrawing' };

/**
 * One team note: its text, who wrote it and when, "edited" with the time of the last correction,
 * or "withdrawn by … at …" in place of a withdrawn text; the earlier texts behind a disclosure.
 * Its author can correct or withdraw it; a change made meanwhile (another window) is shown with
 * what happened instead of a bare error.
 */
export function NoteItem({ note, mine, patientId, onChanged }: { note: Note; mine: boolean; patientId: string | null; onChanged?: () => void }) {
  const styles = useStyles();
  const [mode, setMode] = useState<Mode>({ kind: 'reading' });
  const revise = useReviseNote(patientId, { onChanged });
  const draftInput = useRef<HTMLTextAreaElement>(null);
  const withdrawn = Boolean(note.withdrawnAt);
  const revisions = Array.isArray(note.revisions) ? note.revisions.filter(isRevision) : [];
  const written = timeText(note.createdAt);
  const conflict = revise.isError && isVersionConflict(revise.error);

  useEffect(() => {
    if (mode.kind === 'correcting') draftInput.current?.focus();
  }, [mode.kind]);

  const oneAtATime = useOneAtATime();
  const save = (text: string | null) =>
    oneAtATime((done) =>
      revise.mutate(
        { note, text },
        {
          onSettled: done,
          onSuccess: () => {
            setMode({ kind: 'reading' });
            // The note's Correct (or, withdrawn, the line saying so) once it shows again: the details are read again meanwhile.
            focusWhenLost(() => document.querySelector<HTMLElement>(`[data-note="${CSS.escape(note.id)}"] :is(button, [tabindex="-1"])`));
          },
          // The author's draft stays in the box under the current version, to save again (against it) or drop.
          onError: (error) => isVersionConflict(error) && mode.kind === 'withdrawing' && setMode({ kind: 'reading' }),
        },
      ),
    );

  return (
    <li className={styles.item} data-note={note.id}>
      {withdrawn ? (
        <Text className={styles.withdrawn} tabIndex={-1}>
          {t('notes.withdrawn', { author: authorText(note.authorName, note.authorUnverified), time: timeText(note.withdrawnAt) })}
        </Text>
      ) : (
        <Text className={styles.text}>{note.text}</Text>
      )}
      <Caption1 className={styles.muted}>
        {t('details.noteBy', { author: authorText(note.authorName, note.authorUnverified), time: written })}
        {note.editedAt && !withdrawn && ` · ${t('notes.edited', { time: timeText(note.editedAt) })}`}
      </Caption1>
      {revisions.length > 0 && (
        <details>
          <summary className={styles.summary}>
            <Caption1>
              {t('notes.earlier')} ({revisions.length})
            </Caption1>
          </summary>
          <ol className={styles.revisions}>
            {revisions.map((r, i) => (
              <li key={i}>
                <Text className={styles.text}>{r.text}</Text>
                <br />
                <Caption1 className={styles.muted}>{t('notes.writtenAt', { time: timeText(r.writtenAt) })}</Caption1>
              </li>
            ))}
          </ol>
        </details>
      )}
      {conflict && (
        <MessageBar intent="warning" role="status">
          <MessageBarBody>{t('notes.conflict')}</MessageBarBody>
        </MessageBar>
      )}
      {revise.isError && !conflict && <ErrorNotice error={revise.error} />}
      {mine && !withdrawn && mode.kind === 'reading' && (
        <div className={styles.actions}>
          <Button
            size="small"
            aria-label={t('notes.correctLabel', { time: written })}
            onClick={() => {
              revise.reset();
              setMode({ kind: 'correcting', draft: note.text });
            }}
          >
            {t('notes.correct')}
          </Button>
          <Button
            size="small"
            aria-label={t('notes.withdrawLabel', { time: written })}
            onClick={() => {
              revise.reset();
              setMode({ kind: 'withdrawing' });
            }}
          >
            {t('notes.withdraw')}
          </Button>
        </div>
      )}
      {mine && !withdrawn && mode.kind === 'correcting' && (
        <form
          noValidate
          className={styles.item}
          onSubmit={(e) => {
            e.preventDefault();
            if (noteFits(mode.draft)) save(mode.draft.trim());
          }}
        >
          <NoteTextField
            label={t('notes.correction')}
            className={styles.field}
            value={mode.draft}
            onChange={(draft) => setMode({ kind: 'correcting', draft })}
            inputRef={draftInput}
          />
          <div className={styles.actions}>
            <Button
              type="submit"
              appearance="primary"
              size="small"
              disabled={!noteFits(mode.draft) || mode.draft.trim() === note.text || revise.isPending}
            >
              {t('notes.save')}
            </Button>
            <Button size="small" onClick={() => setMode({ kind: 'reading' })}>
              {t('notes.cancel')}
            </Button>
          </div>
        </form>
      )}
      {mine && !withdrawn && mode.kind === 'withdrawing' && (
        <div role="group" aria-label={t('notes.withdrawLabel', { time: written })} className={styles.item}>
          <Text>{t('notes.withdrawConfirm')}</Text>
          <div className={styles.actions}>
            <Button appearance="primary" size="small" disabled={revise.isPending} onClick={() => save(null)}>
              {t('notes.withdraw')}
            </Button>
            <Button size="small" onClick={() => setMode({ kind: 'reading' })}>
              {t('notes.cancel')}
            </Button>
          </div>
        </div>
      )}
    </li>
  );
}
