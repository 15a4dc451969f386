import type { AuditOperation } from '../../../contract/audit.js';
import { writtenUnderSource } from '../../../contract/connection.js';
import type { Note, NotesAnswer } from '../../../contract/notes.js';
import type { TeamKey } from '../../storage/ports.js';
import { onCommit, recordRead } from '../shared/audit-trail.js';
import type { ApiDeps } from '../shared/deps.js';
import { problems, valueOf } from '../shared/outcomes.js';

/** Team-visible notes on a patient: kept with the team's data, never in the EHR. */

/**
 * The patient's notes written under the team's current source. Notes written before the source
 * changed (`sourceSince`) are about a patient of another source who may share this id: they stay
 * in the team's data but are never shown, nor changed (see `writtenUnderSource`).
 */
async function currentNotes({ store }: ApiDeps, team: TeamKey, patientId: string): Promise<Note[]> {
  const [connection, notes] = await Promise.all([store.getConnection(team), store.listNotes(team, patientId)]);
  return notes.filter((n) => writtenUnderSource(connection, n.createdAt));
}

/**
 * The notes of a patient the team has (see requireTeamPatient): an id the team does not have is
 * refused (404 patient_not_found) and recorded as a failed read of it, never a read of no notes.
 */
export async function listNotes(deps: ApiDeps, team: TeamKey, patientId: string): Promise<NotesAnswer> {
  const { store } = deps;
  await requireTeamPatient(deps, team, patientId);
  const notes = await currentNotes(deps, team, patientId);
  await recordRead(store.audit, 'PatientView', { patientIds: [patientId] });
  return { notes };
}

/**
 * A new note is kept only on a patient the team has: in Manual mode one of its hand-entered
 * patients, admitted or discharged; in EHR mode one the team's EHR has. A note on any other id
 * would show on no list and no details, yet sit in the team's data under a patient no one named.
 * Every notes route checks it first: a read or change of an id the team does not have is 404,
 * recorded as a failure naming that id, never a success.
 */
async function requireTeamPatient({ store, ehr }: ApiDeps, team: TeamKey, patientId: string): Promise<void> {
  const connection = await store.getConnection(team);
  if (connection.mode === 'manual') {
    if ((await store.getManualPatients(team, [patientId])).length) return;
    if ((await store.getDischargedPatients(team, [patientId])).length) return;
  } else if (connection.mode === 'ehr') {
    if (await ehr.readPatient(connection.url, team.tenantId, patientId)) return;
  }
  throw problems.patientNotFound();
}

export async function addNote(deps: ApiDeps, team: TeamKey, patientId: string, author: { id: string; name: string }, text: string): Promise<Note> {
  await requireTeamPatient(deps, team, patientId);
  // Refused (409 too_many_notes) when the patient has MAX_NOTES_PER_PATIENT notes already; recorded as a failure.
  return valueOf(
    await deps.store.addNote(
      team,
      patientId,
      author,
      text,
      onCommit('PatientNoteAdd', () => ({ patientIds: [patientId], status: 201 })),
    ),
  );
}

/**
 * The author corrects a note (`text`) or withdraws it (`null`), naming the version read. Someone
 * else's note is refused (403), as is a stale version (version_conflict), and a correction of a
 * note corrected MAX_NOTE_CORRECTIONS times already (409 note_revisions_full: write a new note);
 * either way nothing changes and the refusal is recorded as a failure of the declared operation.
 * A note not shown (written before the team's source changed) is refused as a note that does not
 * exist (404), before the store is asked.
 */
export async function reviseNote(
  deps: ApiDeps,
  team: TeamKey,
  patientId: string,
  noteId: string,
  authorId: string,
  change: { text: string | null; version: number },
): Promise<Note> {
  const { store } = deps;
  const operation: AuditOperation = change.text === null ? 'PatientNoteWithdraw' : 'PatientNoteCorrect';
  // Its answer is the note: given only on a patient the team has, as a read of the notes is.
  await requireTeamPatient(deps, team, patientId);
  // A note written under an earlier source is answered as one that does not exist.
  if (!(await currentNotes(deps, team, patientId)).some((n) => n.id.toLowerCase() === noteId)) throw problems.noteNotFound();
  return valueOf(
    await store.reviseNote(
      team,
      patientId,
      noteId,
      authorId,
      change.text,
      change.version,
      onCommit(operation, () => ({ patientIds: [patientId] })),
    ),
  );
}
