import { z } from 'zod';

/** `POST /api/teams/{teamId}/patients/{patientId}/notes`. */
export const noteBody = z.object({ text: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4,000 characters') }).strict();
export type NoteBody = z.infer<typeof noteBody>;

/** A team note on a patient. */
export const note = z.object({
  id: z.string(),
  patientId: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  text: z.string(),
  createdAt: z.string(),
});
export type Note = z.infer<typeof note>;

/** `GET …/notes`: oldest first. */
export const notesAnswer = z.object({ notes: z.array(note) });
export type NotesAnswer = z.infer<typeof notesAnswer>;
