import type { AuditEvent } from '../../contract/audit.js';
import { done, type AuditingTeamStore, type AuditLog, type AuditOf, type Outcome, type TeamStore } from './ports.js';

/** Appends the audit records of a change that happened, and reports it done. */
export type Commit = <T>(value: T, audit?: AuditOf<T>) => { ok: true; value: T };

/** For a store whose changes run in a synchronous transaction the records join (SQLite). */
export function committer(log: { appendNow(events: AuditEvent[]): void }): Commit {
  return (value, audit) => {
    if (audit) log.appendNow(audit(value));
    return done(value);
  };
}

/**
 * For a store whose writes cannot share a transaction with the audit trail (Graph): each change
 * that happened has its records appended, durably, before the change is acknowledged. A crash or
 * a failed append in between leaves a change without its record (the caller gets an error, not a
 * success, and may retry), never a record without its change.
 */
export function auditAfterWrite(store: TeamStore, log: AuditLog): AuditingTeamStore {
  const after = async <O extends Outcome<unknown>>(outcome: O, audit?: AuditOf<Extract<O, { ok: true }>['value']>): Promise<O> => {
    if (outcome.ok && audit) await log.append(...audit(outcome.value as Extract<O, { ok: true }>['value']));
    return outcome;
  };
  return {
    ...store,
    audit: log,
    async setConnection(team, connection, userId, audit) {
      return after(await store.setConnection(team, connection, userId), audit);
    },
    async createList(team, name, userId, audit) {
      return after(await store.createList(team, name, userId), audit);
    },
    async addPatients(team, listId, patientIds, userId, audit) {
      return after(await store.addPatients(team, listId, patientIds, userId), audit);
    },
    async removePatient(team, listId, patientId, audit) {
      return after(await store.removePatient(team, listId, patientId), audit);
    },
    async updateList(team, listId, changes, expectedVersion, audit) {
      return after(await store.updateList(team, listId, changes, expectedVersion), audit);
    },
    async deleteList(team, listId, audit) {
      return after(await store.deleteList(team, listId), audit);
    },
    async movePatient(team, fromListId, toListId, patientId, userId, audit) {
      return after(await store.movePatient(team, fromListId, toListId, patientId, userId), audit);
    },
    async setDefaultList(team, userId, listId, audit) {
      return after(await store.setDefaultList(team, userId, listId), audit);
    },
    async addNote(team, patientId, author, text, audit) {
      return after(await store.addNote(team, patientId, author, text), audit);
    },
    async reviseNote(team, patientId, noteId, authorId, text, expectedVersion, audit) {
      return after(await store.reviseNote(team, patientId, noteId, authorId, text, expectedVersion), audit);
    },
    async setSchema(team, fields, expectedVersion, audit) {
      return after(await store.setSchema(team, fields, expectedVersion), audit);
    },
    async createManualPatient(team, data, userId, audit) {
      return after(await store.createManualPatient(team, data, userId), audit);
    },
    async createManualPatients(team, patients, userId, audit) {
      return after(await store.createManualPatients(team, patients, userId), audit);
    },
    async updateManualPatient(team, id, data, expectedVersion, audit) {
      return after(await store.updateManualPatient(team, id, data, expectedVersion), audit);
    },
    async dischargeManualPatient(team, id, discharge, expectedVersion, audit) {
      return after(await store.dischargeManualPatient(team, id, discharge, expectedVersion), audit);
    },
    async readmitManualPatient(team, id, values, expectedVersion, audit) {
      return after(await store.readmitManualPatient(team, id, values, expectedVersion), audit);
    },
    async close() {
      await store.close();
      await log.close();
    },
  };
}
