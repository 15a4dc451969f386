import { z } from 'zod';
import { NOTE_MAX_LENGTH, unverifiedReasons } from './plain-constants.js';
import { sharedText } from './shared-text.js';

/** The longest note the team can keep, in characters (UTF-16 code units, as `String.length` counts). */
export { NOTE_MAX_LENGTH } from './plain-constants.js';

/**
 * How often the author may correct one note: a further correction is refused (409
 * `note_revisions_full`; write a new note instead), never kept by dropping an earlier text, since
 * each is part of the record. Withdrawing stays possible, so a note keeps at most this many
 * earlier texts plus the one it had when withdrawn. Every text is sent with the patient's notes.
 */
export const MAX_NOTE_CORRECTIONS = 20;

/** The most notes (withdrawn ones included: they stay readable) a team keeps on one patient; another is refused (409 `too_many_notes`). */
export const MAX_NOTES_PER_PATIENT = 200;

// Never cut: a longer note is refused whole, with the limit in the message. A note may have several lines.
const noteText = sharedText(NOTE_MAX_LENGTH, `must be at most ${NOTE_MAX_LENGTH.toLocaleString('en')} characters`, { lines: true });

/** `POST /api/teams/{teamId}/patients/{patientId}/notes`. */
export const noteBody = z.object({ text: noteText }).strict();
export type NoteBody = z.infer<typeof noteBody>;

/** The version of the note the caller read: a correction or withdrawal of an older one is refused (version_conflict). */
const noteVersion = z.number().int().min(1);

/** `PATCH …/notes/{noteId}`: the author's corrected text. */
export const correctNoteBody = z.object({ text: noteText, version: noteVersion }).strict();
export type CorrectNoteBody = z.infer<typeof correctNoteBody>;

/** `POST …/notes/{noteId}/withdraw`: the author takes the note back; its texts stay readable as revisions. */
export const withdrawNoteBody = z.object({ version: noteVersion }).strict();
export type WithdrawNoteBody = z.infer<typeof withdrawNoteBody>;

/** An earlier text of a note, and when it was written. */
export const noteRevision = z.object({ text: z.string(), writtenAt: z.string() });
export type NoteRevision = z.infer<typeof noteRevision>;

/**
 * A team note on a patient. `text` is the current text ('' once withdrawn); `revisions` the
 * earlier texts, oldest first, kept when the author corrects or withdraws it. `version` goes up
 * with each change.
 */
export const note = z.object({
  id: z.string(),
  patientId: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  /** Set when the app cannot vouch for the author (see unverifiedReasons). */
  authorUnverified: z.enum(unverifiedReasons).optional(),
  text: z.string(),
  createdAt: z.string(),
  version: z.number().int().min(1),
  /** When the author last corrected it, or null. */
  editedAt: z.string().nullable(),
  /** When the author withdrew it, or null. */
  withdrawnAt: z.string().nullable(),
  revisions: z.array(noteRevision),
});
export type Note = z.infer<typeof note>;

/** `GET …/notes`: oldest first. */
export const notesAnswer = z.object({ notes: z.array(note) });
export type NotesAnswer = z.infer<typeof notesAnswer>;
