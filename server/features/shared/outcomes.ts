import { Problem } from '../../platform/problem.js';
import { MAX_LISTS_PER_TEAM, MAX_PATIENTS_PER_LIST } from '../../../contract/lists.js';
import { MAX_NOTE_CORRECTIONS, MAX_NOTES_PER_PATIENT } from '../../../contract/notes.js';
import { MAX_ROSTER_PATIENTS, quoted } from '../../../contract/manual.js';
import type { Outcome, OutcomeReason } from '../../storage/ports.js';

/**
 * The problems of the API's use cases, one per error code, each with one message: store outcomes
 * map to them here, and services throw them from here.
 */
export const problems = {
  listNotFound: () => new Problem('list_not_found', 'There is no such list in this team.'),
  patientNotOnList: () => new Problem('patient_not_on_list', 'This patient is not on the list.'),
  versionConflict: () => new Problem('version_conflict', 'Someone else changed this in the meantime. Reload it and try again.'),
  /** A patient the team's EHR (or, in Manual mode, its roster) does not have; the ids when several were asked for. */
  patientNotFound: (ids: readonly string[] = []) =>
    new Problem(
      'patient_not_found',
      ids.length
        ? `The team has no patient with id ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}.`
        : 'The team has no patient with this id.',
    ),
  notEhrMode: () => new Problem('not_ehr_mode', 'This team is not connected to an EHR. A team owner can connect it in the settings.'),
  notManualMode: () => new Problem('not_manual_mode', 'This team is not in Manual mode. A team owner can switch it in the settings.'),
  listFull: () =>
    new Problem('list_full', `A list holds at most ${MAX_PATIENTS_PER_LIST} patients. Take patients off it, or put them on another list.`),
  tooManyLists: () => new Problem('too_many_lists', `A team keeps at most ${MAX_LISTS_PER_TEAM} lists. Delete a list the team no longer uses first.`),
  noteNotFound: () => new Problem('not_found', 'This patient has no such note, or it was withdrawn and cannot be changed any more.'),
  notNoteAuthor: () => new Problem('forbidden', 'Only the author of a note can correct or withdraw it.'),
  noteRevisionsFull: () =>
    new Problem(
      'note_revisions_full',
      `A note can be corrected at most ${MAX_NOTE_CORRECTIONS} times, and this one has been, so it was not changed. Write a new note instead (you can still withdraw this one).`,
    ),
  tooManyNotes: () =>
    new Problem(
      'too_many_notes',
      `A team keeps at most ${MAX_NOTES_PER_PATIENT} notes on one patient, withdrawn ones included, and this patient has that many, so the note was not added.`,
    ),
  /** A colleague gave the MRN to another patient of the team between the check and the change; `mrn` as sent. */
  mrnTaken: (mrn?: string) =>
    new Problem(
      'validation_failed',
      `A patient with ${mrn ? `MRN ${quoted(mrn)}` : 'this MRN'} was entered in the team just now; open them instead of entering them again.`,
      ['mrn'],
      [{ field: 'mrn', code: 'mrn_in_team', ...(mrn ? { value: mrn } : {}) }],
    ),
  /** The roster is full; `room` (when known) is how many patients can still be added, `adding` how many were asked to be. */
  rosterFull: (room?: number, adding?: number) =>
    new Problem(
      'roster_full',
      `A team's roster holds at most ${MAX_ROSTER_PATIENTS.toLocaleString('en')} patients, admitted and discharged together` +
        (room === undefined || adding === undefined
          ? ', and it is full, so the patient was not added. Re-admit a discharged patient instead of adding them again.'
          : room === 0
            ? `, and it is full, so nothing was imported. Re-admit discharged patients instead of importing them again.`
            : `; it has room for ${room.toLocaleString('en')} more, and this import has ${adding.toLocaleString('en')}, so nothing was imported. Import at most ${room.toLocaleString('en')} rows.`),
    ),
};

const byReason: Record<OutcomeReason, () => Problem> = {
  no_list: problems.listNotFound,
  not_on_list: problems.patientNotOnList,
  conflict: problems.versionConflict,
  not_found: () => problems.patientNotFound(),
  no_note: problems.noteNotFound,
  not_author: problems.notNoteAuthor,
  list_full: problems.listFull,
  too_many_lists: problems.tooManyLists,
  note_revisions_full: problems.noteRevisionsFull,
  too_many_notes: problems.tooManyNotes,
  roster_full: () => problems.rosterFull(),
  mrn_taken: () => problems.mrnTaken(),
};

/** The problem a store change that did not happen answers with. */
const problemFor = (reason: OutcomeReason): Problem => byReason[reason]();

/** The result of a store change that happened, or its reason as the one problem for it. */
export function valueOf<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw problemFor(outcome.reason);
}
