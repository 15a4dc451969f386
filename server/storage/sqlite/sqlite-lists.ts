import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { ListColumn } from '../../../contract/columns.js';
import { MAX_LISTS_PER_TEAM, MAX_PATIENTS_PER_LIST } from '../../../contract/lists.js';
import type { Commit } from '../store-audit.js';
import {
  refused,
  type AddedPatients,
  type AuditOf,
  type DeletedList,
  type ListSummary,
  type MovedPatient,
  type StoredList,
  type TeamKey,
  type TeamStore,
} from '../ports.js';

type ListOps = Pick<
  TeamStore,
  | 'listLists'
  | 'createList'
  | 'getList'
  | 'addPatients'
  | 'removePatient'
  | 'updateList'
  | 'deleteList'
  | 'movePatient'
  | 'setDefaultList'
  | 'defaultListId'
>;

/** Lists, their patients and each user's default list. Every change is one transaction, its audit records included. */
export function sqliteListOps(db: Database.Database, commit: Commit): ListOps {
  const now = () => new Date().toISOString();
  const q = {
    lists: db.prepare(
      `SELECT l.id, l.name, COUNT(p.patient_id) AS patientCount FROM lists l
       LEFT JOIN list_patients p ON p.list_id = l.id
       WHERE l.tenant_id = ? AND l.team_id = ? GROUP BY l.id ORDER BY l.created_at, l.rowid`,
    ),
    insertList: db.prepare('INSERT INTO lists (id, tenant_id, team_id, name, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    list: db.prepare('SELECT id, name, columns, version FROM lists WHERE id = ? AND tenant_id = ? AND team_id = ?'),
    listPatients: db.prepare('SELECT patient_id FROM list_patients WHERE list_id = ? ORDER BY position LIMIT ?'),
    listCount: db.prepare('SELECT COUNT(*) AS n FROM lists WHERE tenant_id = ? AND team_id = ?'),
    patientCount: db.prepare('SELECT COUNT(*) AS n FROM list_patients WHERE list_id = ?'),
    onList: db.prepare('SELECT 1 FROM list_patients WHERE list_id = ? AND patient_id = ?'),
    maxPosition: db.prepare('SELECT COALESCE(MAX(position), 0) AS max FROM list_patients WHERE list_id = ?'),
    addPatient: db.prepare('INSERT OR IGNORE INTO list_patients (list_id, patient_id, position, added_by, added_at) VALUES (?, ?, ?, ?, ?)'),
    removePatient: db.prepare('DELETE FROM list_patients WHERE list_id = ? AND patient_id = ?'),
    bump: db.prepare('UPDATE lists SET version = version + 1 WHERE id = ?'),
    update: db.prepare('UPDATE lists SET name = ?, columns = ?, version = version + 1 WHERE id = ?'),
    deleteList: db.prepare('DELETE FROM lists WHERE id = ? AND tenant_id = ? AND team_id = ?'),
    setDefault: db.prepare(
      `INSERT INTO default_lists (tenant_id, team_id, user_id, list_id) VALUES (?, ?, ?, ?)
       ON CONFLICT (tenant_id, team_id, user_id) DO UPDATE SET list_id = excluded.list_id`,
    ),
    defaultList: db.prepare('SELECT list_id FROM default_lists WHERE tenant_id = ? AND team_id = ? AND user_id = ?'),
  };

  const read = (team: TeamKey, listId: string): StoredList | null => {
    const row = q.list.get(listId, team.tenantId, team.teamId) as { id: string; name: string; columns: string; version: number } | undefined;
    if (!row) return null;
    const patientIds = patientIdsOf(listId, MAX_PATIENTS_PER_LIST);
    // The file can be written outside the app: a list past the limit is read within it (see StoredList.beyondLimit).
    const beyond = patientIds.length < MAX_PATIENTS_PER_LIST ? 0 : count(q.patientCount, listId) - patientIds.length;
    const list = { id: row.id, name: row.name, columns: JSON.parse(row.columns) as ListColumn[], version: row.version, patientIds };
    return beyond > 0 ? { ...list, beyondLimit: beyond } : list;
  };

  /** The list's patient ids in the order added, the first `limit` of them (-1: all). */
  const patientIdsOf = (listId: string, limit: number) => (q.listPatients.all(listId, limit) as { patient_id: string }[]).map((r) => r.patient_id);

  const count = (statement: Database.Statement, ...params: string[]) => (statement.get(...params) as { n: number }).n;

  /** The ids it put on the list (INSERT OR IGNORE skips those already on it). */
  const add = (listId: string, ids: string[], userId: string) => {
    let position = (q.maxPosition.get(listId) as { max: number }).max;
    const at = now();
    return ids.filter((id) => q.addPatient.run(listId, id, ++position, userId, at).changes > 0);
  };

  const addPatients = db.transaction((team: TeamKey, listId: string, ids: string[], userId: string, audit?: AuditOf<AddedPatients>) => {
    if (!read(team, listId)) return refused('no_list');
    const fresh = ids.filter((id) => !q.onList.get(listId, id));
    if (count(q.patientCount, listId) + fresh.length > MAX_PATIENTS_PER_LIST) return refused('list_full');
    const added = add(listId, fresh, userId);
    if (added.length) q.bump.run(listId);
    return commit({ ...read(team, listId)!, added }, audit);
  });

  const removePatient = db.transaction((team: TeamKey, listId: string, patientId: string, audit?: AuditOf<void>) => {
    if (!read(team, listId)) return refused('no_list');
    if (q.removePatient.run(listId, patientId).changes === 0) return refused('not_on_list');
    q.bump.run(listId);
    return commit(undefined, audit);
  });

  const updateList = db.transaction(
    (team: TeamKey, listId: string, changes: { name?: string; columns?: ListColumn[] }, expectedVersion?: number, audit?: AuditOf<StoredList>) => {
      const list = read(team, listId);
      if (!list) return refused('no_list');
      if (expectedVersion !== undefined && expectedVersion !== list.version) return refused('conflict');
      q.update.run(changes.name ?? list.name, JSON.stringify(changes.columns ?? list.columns), listId);
      return commit(read(team, listId)!, audit);
    },
  );

  const movePatient = db.transaction(
    (team: TeamKey, fromId: string, toId: string, patientId: string, userId: string, audit?: AuditOf<MovedPatient>) => {
      if (!read(team, fromId) || !read(team, toId)) return refused('no_list');
      if (!q.onList.get(fromId, patientId)) return refused('not_on_list');
      if (!q.onList.get(toId, patientId) && count(q.patientCount, toId) >= MAX_PATIENTS_PER_LIST) return refused('list_full');
      q.removePatient.run(fromId, patientId);
      q.bump.run(fromId);
      const added = add(toId, [patientId], userId).length > 0;
      if (added) q.bump.run(toId);
      return commit({ added }, audit);
    },
  );

  const createList = db.transaction((team: TeamKey, name: string, userId: string, audit?: AuditOf<ListSummary>) => {
    if (count(q.listCount, team.tenantId, team.teamId) >= MAX_LISTS_PER_TEAM) return refused('too_many_lists');
    const id = randomUUID();
    q.insertList.run(id, team.tenantId, team.teamId, name, userId, now());
    return commit({ id, name, patientCount: 0 }, audit);
  });

  const deleteList = db.transaction((team: TeamKey, listId: string, audit?: AuditOf<DeletedList>) => {
    if (!read(team, listId)) return refused('no_list');
    // Every patient the delete takes off, past the limit too.
    const patientIds = patientIdsOf(listId, -1);
    if (q.deleteList.run(listId, team.tenantId, team.teamId).changes === 0) return refused('no_list');
    return commit({ patientIds }, audit);
  });

  const setDefaultList = db.transaction((team: TeamKey, userId: string, listId: string, audit?: AuditOf<void>) => {
    if (!read(team, listId)) return refused('no_list');
    q.setDefault.run(team.tenantId, team.teamId, userId, listId);
    return commit(undefined, audit);
  });

  return {
    async listLists(team) {
      return q.lists.all(team.tenantId, team.teamId) as ListSummary[];
    },
    async createList(team, name, userId, audit) {
      return createList(team, name, userId, audit);
    },
    async getList(team, listId) {
      return read(team, listId);
    },
    async addPatients(team, listId, patientIds, userId, audit) {
      return addPatients(team, listId, [...new Set(patientIds)], userId, audit);
    },
    async removePatient(team, listId, patientId, audit) {
      return removePatient(team, listId, patientId, audit);
    },
    async updateList(team, listId, changes, expectedVersion, audit) {
      return updateList(team, listId, changes, expectedVersion, audit);
    },
    async deleteList(team, listId, audit) {
      return deleteList(team, listId, audit);
    },
    async movePatient(team, fromListId, toListId, patientId, userId, audit) {
      return movePatient(team, fromListId, toListId, patientId, userId, audit);
    },
    async setDefaultList(team, userId, listId, audit) {
      return setDefaultList(team, userId, listId, audit);
    },
    async defaultListId(team, userId) {
      const row = q.defaultList.get(team.tenantId, team.teamId, userId) as { list_id: string } | undefined;
      return row?.list_id ?? null;
    },
  };
}
