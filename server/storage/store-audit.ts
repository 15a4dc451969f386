import type { AuditingTeamStore, AuditLog, AuditOf, TeamStore } from './ports.js';

/** Appends the audit records of a change that happened, and hands its result on. */
export type Commit = <T>(value: T, audit?: AuditOf<T>) => T;

export function committer(log: AuditLog): Commit {
  return (value, audit) => {
    if (audit) log.append(...audit(value));
    return value;
  };
}

/**
 * For a store whose writes cannot share a transaction with the audit trail (Graph): each change
 * that happened has its records appended, durably, before the change is acknowledged. A crash in
 * between leaves a change without its record, never a record without its change.
 */
export function auditAfterWrite(store: TeamStore, log: AuditLog): AuditingTeamStore {
  const commit = committer(log);
  return {
    ...store,
    audit: log,
    async setConnection(team, connection, userId, audit) {
      await store.setConnection(team, connection, userId);
      commit(undefined, audit);
    },
    async createList(team, name, userId, audit) {
      return commit(await store.createList(team, name, userId), audit);
    },
    async addPatients(team, listId, patientIds, userId, audit) {
      const list = await store.addPatients(team, listId, patientIds, userId);
      return list ? commit(list, audit) : list;
    },
    async removePatient(team, listId, patientId, audit) {
      const removed = await store.removePatient(team, listId, patientId);
      return removed ? commit(removed, audit) : removed;
    },
    async updateList(team, listId, changes, expectedVersion, audit) {
      const result = await store.updateList(team, listId, changes, expectedVersion);
      if (result.ok) commit(result.value, audit);
      return result;
    },
    async deleteList(team, listId, audit) {
      const deleted = await store.deleteList(team, listId);
      return deleted ? commit(deleted, audit) : deleted;
    },
    async movePatient(team, fromListId, toListId, patientId, userId, audit) {
      const outcome = await store.movePatient(team, fromListId, toListId, patientId, userId);
      return outcome === 'moved' ? commit(outcome, audit) : outcome;
    },
    async setDefaultList(team, userId, listId, audit) {
      const set = await store.setDefaultList(team, userId, listId);
      return set ? commit(set, audit) : set;
    },
    async addNote(team, patientId, author, text, audit) {
      return commit(await store.addNote(team, patientId, author, text), audit);
    },
    async setSchema(team, fields, expectedVersion, audit) {
      const result = await store.setSchema(team, fields, expectedVersion);
      if (result.ok) commit(result.value, audit);
      return result;
    },
    async createManualPatient(team, data, userId, audit) {
      return commit(await store.createManualPatient(team, data, userId), audit);
    },
    async updateManualPatient(team, id, data, expectedVersion, audit) {
      const result = await store.updateManualPatient(team, id, data, expectedVersion);
      if (result.ok) commit(result.value, audit);
      return result;
    },
    async close() {
      await store.close();
      log.close();
    },
  };
}
