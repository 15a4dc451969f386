import type { AuditEvent, AuditOperation } from '../../contract/audit.js';
import type { Connection } from '../../contract/connection.js';
import type { ListColumn } from '../../contract/columns.js';
import type { Note } from '../../contract/notes.js';
import type { ManualPatient, ManualPatientData, ManualSchema, SchemaField } from '../../contract/manual.js';
import type { Discharge, DischargedPatient } from '../../contract/manual-discharge.js';
import type { ListSummary as ContractListSummary } from '../../contract/lists.js';

/** A team's data is keyed by the tenant (from the verified token) and the team. */
export interface TeamKey {
  tenantId: string;
  teamId: string;
}

export type { Connection };

/** A list as the store keeps it; the API adds whether it is the caller's default. */
export type ListSummary = Omit<ContractListSummary, 'isDefault'>;

export interface StoredList {
  id: string;
  name: string;
  columns: ListColumn[];
  /** Goes up with every change of the list or its patients (optimistic concurrency). */
  version: number;
  /** In the order they were added; at most MAX_PATIENTS_PER_LIST, the first added (see `beyondLimit`). */
  patientIds: string[];
  /**
   * How many more patients the stored list names past MAX_PATIENTS_PER_LIST (rows added outside
   * the app, in SharePoint or the SQLite file): not in `patientIds`, so no one reads them. Absent when none.
   */
  beyondLimit?: number;
  /**
   * The store left rows of the list unread (the Graph store reads a bounded number of a SharePoint
   * list's rows: members can add rows past the app): `beyondLimit` counts those read, and more may follow.
   */
  rowsUnread?: true;
}

export type { Note };

/**
 * Why a store change did not happen: the list (or one of two lists) is not in the team, the
 * patient is not on the list, the version the caller read is stale, the Manual-mode patient
 * does not exist, the patient has no such note, or the caller did not write the note; or a limit
 * (a list's patients, a team's lists, a note's corrections, a patient's notes, a Manual-mode
 * roster) would be passed. The API maps each to one problem (server/features/shared/outcomes.ts).
 */
export type OutcomeReason =
  | 'no_list'
  | 'not_on_list'
  | 'conflict'
  | 'not_found'
  | 'no_note'
  | 'not_author'
  | 'list_full'
  | 'too_many_lists'
  | 'note_revisions_full'
  | 'too_many_notes'
  | 'roster_full'
  /** Manual mode: a patient of the team (admitted or discharged) holds the MRN a new or changed patient was to have. */
  | 'mrn_taken';

/**
 * What every store change reports: it happened, with its result, or it did not, and why. `R`
 * names the reasons the change can give; one that always happens when it returns (`never`) is
 * just `{ ok: true, value }`.
 */
export type Outcome<T, R extends OutcomeReason = OutcomeReason> = { ok: true; value: T } | ([R] extends [never] ? never : { ok: false; reason: R });

export const done = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const refused = <R extends OutcomeReason>(reason: R): { ok: false; reason: R } => ({ ok: false, reason });

/**
 * The audit records a change commits with, made from its result. Called only when the change
 * happened; SQLite appends them in the change's transaction, Graph before the change is
 * acknowledged to the caller.
 */
export type AuditOf<T> = (result: T) => AuditEvent[];

/**
 * Where a team's data lives: SQLite locally, the team's SharePoint site through Graph in
 * production. Every method is atomic; every change reports an `Outcome` (reads of something
 * missing give `null`).
 */
export interface TeamStore {
  getConnection(team: TeamKey): Promise<Connection>;
  setConnection(team: TeamKey, connection: Connection, userId: string, audit?: AuditOf<Connection>): Promise<Outcome<Connection, never>>;
  /** Each list's `patientCount` counts every patient it names, past MAX_PATIENTS_PER_LIST too (what a change of source takes off). */
  listLists(team: TeamKey): Promise<ListSummary[]>;
  /** Refused with `too_many_lists` when the team has MAX_LISTS_PER_TEAM already. */
  createList(team: TeamKey, name: string, userId: string, audit?: AuditOf<ListSummary>): Promise<Outcome<ListSummary, 'too_many_lists'>>;
  /** The list with its first MAX_PATIENTS_PER_LIST patients (see `StoredList.beyondLimit`). */
  getList(team: TeamKey, listId: string): Promise<StoredList | null>;
  /**
   * Adds the ids not already on the list, all of them or none; gives the list afterwards and the
   * ids this call added (none when all were on it, or another call added them first). Refused
   * with `list_full` past MAX_PATIENTS_PER_LIST.
   */
  addPatients(
    team: TeamKey,
    listId: string,
    patientIds: string[],
    userId: string,
    audit?: AuditOf<AddedPatients>,
  ): Promise<Outcome<AddedPatients, 'no_list' | 'list_full'>>;
  removePatient(team: TeamKey, listId: string, patientId: string, audit?: AuditOf<void>): Promise<Outcome<void, 'no_list' | 'not_on_list'>>;
  /** Renames and/or sets columns; refused with `conflict` when `expectedVersion` is stale. */
  updateList(
    team: TeamKey,
    listId: string,
    changes: { name?: string; columns?: ListColumn[] },
    expectedVersion?: number,
    audit?: AuditOf<StoredList>,
  ): Promise<Outcome<StoredList, 'no_list' | 'conflict'>>;
  /** Gives the patients the list held as it was deleted (every one, past MAX_PATIENTS_PER_LIST too). */
  deleteList(team: TeamKey, listId: string, audit?: AuditOf<DeletedList>): Promise<Outcome<DeletedList, 'no_list'>>;
  /**
   * Moves one patient between two lists of the team in one transaction; refused with `list_full`
   * when the list it joins is full. Says whether it put the patient on that list (not when it held them already).
   */
  movePatient(
    team: TeamKey,
    fromListId: string,
    toListId: string,
    patientId: string,
    userId: string,
    audit?: AuditOf<MovedPatient>,
  ): Promise<Outcome<MovedPatient, 'no_list' | 'not_on_list' | 'list_full'>>;
  setDefaultList(team: TeamKey, userId: string, listId: string, audit?: AuditOf<void>): Promise<Outcome<void, 'no_list'>>;
  defaultListId(team: TeamKey, userId: string): Promise<string | null>;
  /** Refused with `too_many_notes` when the patient has MAX_NOTES_PER_PATIENT notes in the team already (withdrawn ones count). */
  addNote(
    team: TeamKey,
    patientId: string,
    author: { id: string; name: string },
    text: string,
    audit?: AuditOf<Note>,
  ): Promise<Outcome<Note, 'too_many_notes'>>;
  /**
   * The author corrects the note's text, or withdraws it (`text` null); the text it had is kept
   * as a revision. Refused when the patient has no such note, the author is someone else, or
   * `expectedVersion` is stale; a correction also when the note was corrected MAX_NOTE_CORRECTIONS
   * times already (`note_revisions_full`: no earlier text is ever dropped; withdrawing stays possible).
   */
  reviseNote(
    team: TeamKey,
    patientId: string,
    noteId: string,
    authorId: string,
    text: string | null,
    expectedVersion: number,
    audit?: AuditOf<Note>,
  ): Promise<Outcome<Note, 'no_note' | 'not_author' | 'conflict' | 'note_revisions_full'>>;
  /** Oldest first, withdrawn ones included. */
  listNotes(team: TeamKey, patientId: string): Promise<Note[]>;
  /**
   * The newest note (not withdrawn) of each of these patients that has one, in a few reads however
   * long the list; without its earlier texts (`revisions` empty): a list's cell shows only the text.
   */
  latestNotes(team: TeamKey, patientIds: string[]): Promise<Map<string, Note>>;
  /** Manual mode: the team's schema (null before the first one is saved). */
  getSchema(team: TeamKey): Promise<ManualSchema | null>;
  setSchema(
    team: TeamKey,
    fields: SchemaField[],
    expectedVersion?: number,
    audit?: AuditOf<ManualSchema>,
  ): Promise<Outcome<ManualSchema, 'conflict'>>;
  /** One new patient, as `createManualPatients` creates an import's: refused with `mrn_taken` and `roster_full` as it is. */
  createManualPatient(
    team: TeamKey,
    data: ManualPatientData,
    userId: string,
    audit?: AuditOf<ManualPatient>,
  ): Promise<Outcome<ManualPatient, 'mrn_taken' | 'roster_full'>>;
  /**
   * Creates the patients in one change, all of them or none (an import); gives them in the order
   * given. SQLite: one transaction. SharePoint: one row each, and rows already written are deleted
   * again when a later one fails (see graph-manual-create.ts). Refused with `mrn_taken`, creating
   * none, when the team holds (or, on SharePoint, comes to hold meanwhile) a patient with the MRN of
   * one of them: SQLite checks in the transaction, SharePoint before the first row and after the last.
   * Refused with `roster_full`, creating none, when the team would hold more than MAX_ROSTER_PATIENTS
   * patients, admitted and discharged (SQLite: in the transaction; SharePoint: against the rows read
   * before the first write).
   */
  createManualPatients(
    team: TeamKey,
    patients: ManualPatientData[],
    userId: string,
    audit?: AuditOf<ManualPatient[]>,
  ): Promise<Outcome<ManualPatient[], 'mrn_taken' | 'roster_full'>>;
  /**
   * Refused with `conflict` when `expectedVersion` is stale, and with `mrn_taken` when the patient's
   * MRN changes to one another patient of the team holds (admitted or discharged): SQLite checks in
   * the transaction; SharePoint before the write and after it, when the change is undone again if
   * another row holds the MRN by then (at worst both of two such changes are, never both stay).
   */
  updateManualPatient(
    team: TeamKey,
    id: string,
    data: ManualPatientData,
    expectedVersion?: number,
    audit?: AuditOf<ManualPatient>,
  ): Promise<Outcome<ManualPatient, 'not_found' | 'conflict' | 'mrn_taken'>>;
  /** All of the team's manual patients, or those with the given ids (unknown ids are left out); discharged ones are not. */
  getManualPatients(team: TeamKey, ids?: string[]): Promise<ManualPatient[]>;
  /**
   * Discharges an admitted manual patient (kept, with who and when) and takes them off every list
   * of the team in the same change; refused when there is no such admitted patient or
   * `expectedVersion` is stale. Gives the patient and the lists they were taken off.
   */
  dischargeManualPatient(
    team: TeamKey,
    id: string,
    discharge: Discharge,
    expectedVersion?: number,
    audit?: AuditOf<DischargeResult>,
  ): Promise<Outcome<DischargeResult, 'not_found' | 'conflict'>>;
  /**
   * Re-admits a discharged patient to the roster (not to any list) with these team-field values
   * (the ones that still fit the team's fields); refused like a discharge.
   */
  readmitManualPatient(
    team: TeamKey,
    id: string,
    values: ManualPatientData['values'],
    expectedVersion?: number,
    audit?: AuditOf<ManualPatient>,
  ): Promise<Outcome<ManualPatient, 'not_found' | 'conflict' | 'mrn_taken'>>;
  /** The team's discharged patients, newest discharge first (or those with the given ids). */
  getDischargedPatients(team: TeamKey, ids?: string[]): Promise<DischargedPatient[]>;
  /** Resolves when the store can be reached and written now, rejects otherwise (`GET /api/ready`). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** What an addition did: the list afterwards, and the ids this call put on it, in the order given. */
export type AddedPatients = StoredList & { added: string[] };

/** What a delete did: the patients the list held as it went. */
export interface DeletedList {
  patientIds: string[];
}

/** What a move did on the list it joins: whether it put the patient on it. */
export interface MovedPatient {
  added: boolean;
}

/** What a discharge did: the patient as discharged, and the lists they were taken off. */
export interface DischargeResult {
  patient: DischargedPatient;
  removedFromLists: string[];
}

/**
 * A discharge that stopped half-way in a store without transactions (Graph: graph-discharge.ts):
 * `partial` names the lists it took the patient off and, when the mark was committed, the patient
 * as discharged; `cause` is what stopped it (an error, or the store's refusal). What it did stands,
 * so the discharge service records it before the call fails. SQLite commits all or nothing and
 * never throws one.
 */
export class DischargeStopped extends Error {
  constructor(
    readonly partial: { removedFromLists: string[]; patient?: DischargedPatient },
    cause: unknown,
  ) {
    super('the discharge stopped half-way', { cause });
    this.name = 'DischargeStopped';
  }
}

/** A store that keeps the audit trail itself (SQLite: in the same file, so changes and records commit together). */
export interface AuditingTeamStore extends TeamStore {
  audit: AuditLog;
}

export interface AuditQuery {
  tenantId: string;
  /** ISO 8601 times, inclusive. */
  from?: string;
  to?: string;
  teamId?: string;
  userId?: string;
  patientId?: string;
  operation?: AuditOperation;
  limit: number;
  /**
   * Only the records after this one (exclusive): a key `onKey` gave, of this store
   * (audit-range.ts `auditKeyPattern`). A key of another form is refused as `query` is called:
   * it throws (a CodedError, `validation_failed`), reading nothing.
   */
  after?: string;
  /** Told each record's key just before the record is given: where a later read continues (`after`). */
  onKey?: (key: string) => void;
}

/**
 * Append-only: records can be added and read, never changed. Asynchronous, since the shared
 * store of a scaled-out app (Azure Table Storage) is reached over the network.
 */
export interface AuditLog {
  /** Resolves when records can be appended now, rejects otherwise, appending none (`GET /api/ready`). */
  ready(): Promise<void>;
  /** Appends the records durably before it resolves; rejects when they could not all be written. */
  append(...events: AuditEvent[]): Promise<void>;
  /** The tenant's matching records, oldest first, at most `limit`, read page by page as the caller takes them. */
  query(query: AuditQuery): AsyncIterable<AuditEvent>;
  close(): Promise<void>;
}
