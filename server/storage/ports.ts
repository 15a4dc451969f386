import type { AuditEvent, AuditOperation } from '../../contract/audit.js';
import type { Connection } from '../../contract/connection.js';
import type { ListColumn } from '../../contract/columns.js';
import type { ManualPatient, ManualPatientData, ManualSchema, SchemaField } from '../../contract/manual.js';

/** A team's data is keyed by the tenant (from the verified token) and the team. */
export interface TeamKey {
  tenantId: string;
  teamId: string;
}

export type { Connection };

export interface ListSummary {
  id: string;
  name: string;
  patientCount: number;
}

export interface StoredList {
  id: string;
  name: string;
  columns: ListColumn[];
  /** Goes up with every change of the list or its patients (optimistic concurrency). */
  version: number;
  /** In the order they were added. */
  patientIds: string[];
}

export interface Note {
  id: string;
  patientId: string;
  authorId: string;
  authorName: string;
  text: string;
  createdAt: string;
}

/** Outcome of a change made against a version the caller read. */
export type VersionedResult<T> = { ok: true; value: T } | { ok: false; reason: 'not_found' | 'conflict' };

/**
 * The audit records a change commits with, made from its result. Called only when the change
 * happened; SQLite appends them in the change's transaction, Graph before the change is
 * acknowledged to the caller.
 */
export type AuditOf<T> = (result: T) => AuditEvent[];

/**
 * Where a team's data lives: SQLite locally, the team's SharePoint site through Graph in
 * production. Every method is atomic; `null` means the list does not exist in that team.
 */
export interface TeamStore {
  getConnection(team: TeamKey): Promise<Connection>;
  setConnection(team: TeamKey, connection: Connection, userId: string, audit?: AuditOf<void>): Promise<void>;
  listLists(team: TeamKey): Promise<ListSummary[]>;
  createList(team: TeamKey, name: string, userId: string, audit?: AuditOf<ListSummary>): Promise<ListSummary>;
  getList(team: TeamKey, listId: string): Promise<StoredList | null>;
  /** Adds the ids not already on the list; returns the list afterwards. */
  addPatients(team: TeamKey, listId: string, patientIds: string[], userId: string, audit?: AuditOf<StoredList>): Promise<StoredList | null>;
  /** False when the patient was not on the list. */
  removePatient(team: TeamKey, listId: string, patientId: string, audit?: AuditOf<boolean>): Promise<boolean | null>;
  /** Renames and/or sets columns; refused with `conflict` when `expectedVersion` is stale. */
  updateList(
    team: TeamKey,
    listId: string,
    changes: { name?: string; columns?: ListColumn[] },
    expectedVersion?: number,
    audit?: AuditOf<StoredList>,
  ): Promise<VersionedResult<StoredList>>;
  /** False when there was no such list. */
  deleteList(team: TeamKey, listId: string, audit?: AuditOf<boolean>): Promise<boolean>;
  /** Moves one patient between two lists of the team in one transaction. */
  movePatient(
    team: TeamKey,
    fromListId: string,
    toListId: string,
    patientId: string,
    userId: string,
    audit?: AuditOf<'moved'>,
  ): Promise<'moved' | 'no_list' | 'not_on_list'>;
  /** False when there is no such list. */
  setDefaultList(team: TeamKey, userId: string, listId: string, audit?: AuditOf<boolean>): Promise<boolean>;
  defaultListId(team: TeamKey, userId: string): Promise<string | null>;
  addNote(team: TeamKey, patientId: string, author: { id: string; name: string }, text: string, audit?: AuditOf<Note>): Promise<Note>;
  /** Oldest first. */
  listNotes(team: TeamKey, patientId: string): Promise<Note[]>;
  /** The newest note of each of these patients that has one, in a few reads however long the list. */
  latestNotes(team: TeamKey, patientIds: string[]): Promise<Map<string, Note>>;
  /** Manual mode: the team's schema (null before the first one is saved). */
  getSchema(team: TeamKey): Promise<ManualSchema | null>;
  setSchema(team: TeamKey, fields: SchemaField[], expectedVersion?: number, audit?: AuditOf<ManualSchema>): Promise<VersionedResult<ManualSchema>>;
  createManualPatient(team: TeamKey, data: ManualPatientData, userId: string, audit?: AuditOf<ManualPatient>): Promise<ManualPatient>;
  updateManualPatient(
    team: TeamKey,
    id: string,
    data: ManualPatientData,
    expectedVersion?: number,
    audit?: AuditOf<ManualPatient>,
  ): Promise<VersionedResult<ManualPatient>>;
  /** All of the team's manual patients, or those with the given ids (unknown ids are left out). */
  getManualPatients(team: TeamKey, ids?: string[]): Promise<ManualPatient[]>;
  close(): Promise<void>;
}

/** A store that keeps the audit trail itself (SQLite: in the same file, so changes and records commit together). */
export interface AuditingTeamStore extends TeamStore {
  audit: AuditLog;
}

export interface AuditQuery {
  tenantId: string;
  from?: string;
  to?: string;
  userId?: string;
  patientId?: string;
  operation?: AuditOperation;
  limit: number;
}

/** Append-only: records can be added and read, never changed. */
export interface AuditLog {
  /** Appends the records together (one transaction), durably, before returning. */
  append(...events: AuditEvent[]): void;
  query(query: AuditQuery): AuditEvent[];
  close(): void;
}
