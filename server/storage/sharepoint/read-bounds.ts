import { MAX_LISTS_PER_TEAM, MAX_PATIENTS_PER_LIST } from '../../../contract/lists.js';
import { MAX_ROSTER_PATIENTS } from '../../../contract/manual.js';
import { MAX_NOTES_PER_PATIENT } from '../../../contract/notes.js';
import { GraphAccessError } from '../../platform/graph/graph-errors.js';

/**
 * The most rows the store reads of each of the team site's lists at once. Members of the team's
 * group can add rows to these lists in SharePoint, past the app: a read that followed every page
 * would let one of them make each load hold and wait for a million rows. Each bound is what the
 * app itself writes at most (the product's limits), with room to spare for duplicates (two people
 * adding the same thing at once leave two rows, which readers fold into one).
 */
export const readBounds = {
  /**
   * A patient list's rows: one SharePoint page (5,000, its list view threshold), ten times the rows
   * of MAX_PATIENTS_PER_LIST patients, so that duplicates and rows added past the limit are still
   * read and counted; a list with more has its first patients read and says that rows were left.
   */
  patientRows: 10 * MAX_PATIENTS_PER_LIST,
  /** One patient's rows on a patient list: the app writes one; a few more when added at once. */
  rowsOfPatient: 50,
  /** The catalog: a row per list (MAX_LISTS_PER_TEAM), with room for duplicates and deletes under way. */
  catalog: 2 * MAX_LISTS_PER_TEAM,
  /** Rows keyed by an id the app writes once (a list's catalog row, a user's default, a Manual patient): the first wins. */
  keyedRow: 20,
  /** The settings list: the app writes two rows (the connection and the Manual schema). */
  settings: 50,
  /** One patient's notes: MAX_NOTES_PER_PATIENT, twice over for notes added at once. */
  notesOfPatient: 2 * MAX_NOTES_PER_PATIENT,
  /**
   * The Manual roster: MAX_ROSTER_PATIENTS admitted, and the discharged patients' rows, which stay
   * (graph-discharge.ts) and must not close the roster of a busy unit for years: 25 times the
   * roster's limit, 50,000 rows, over thirteen years of ten discharges a day.
   */
  roster: 25 * MAX_ROSTER_PATIENTS,
  /** A list's columns: SharePoint's row size keeps a list to a few hundred; the app's lists have a dozen. */
  columns: 500,
  /** The site's lists of one display name: SharePoint titles are unique in a site, so one. */
  listsNamed: 20,
} as const;

/**
 * Why a read failed closed: the list holds more rows than the app reads, and what the read
 * answers depends on the rows left unread. Rows were added outside the app; the team's site
 * owners can remove them in SharePoint.
 */
export function tooManyRows(what: string, rows = 'rows'): GraphAccessError {
  return new GraphAccessError(
    'graph_failed',
    `The ${what} in the team's SharePoint site has more ${rows} than the app reads: they were added outside the app. A site owner can remove them in SharePoint.`,
  );
}
