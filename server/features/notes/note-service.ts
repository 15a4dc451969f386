import type { Note, NotesAnswer } from '../../../contract/notes.js';
import type { TeamKey } from '../../storage/ports.js';
import { onCommit, recordRead } from '../shared/audit-trail.js';
import type { ApiDeps } from '../shared/deps.js';

/** Team-visible notes on a patient: kept with the team's data, never in the EHR. */

export async function listNotes({ store }: ApiDeps, team: TeamKey, patientId: string): Promise<NotesAnswer> {
  const notes = await store.listNotes(team, patientId);
  recordRead(store.audit, 'PatientView', { patientIds: [patientId] });
  return { notes };
}

export async function addNote(
  { store }: ApiDeps,
  team: TeamKey,
  patientId: string,
  author: { id: string; name: string },
  text: string,
): Promise<Note> {
  const { value } = await store.addNote(
    team,
    patientId,
    author,
    text,
    onCommit('PatientNoteAdd', () => ({ patientIds: [patientId], status: 201 })),
  );
  return value;
}
