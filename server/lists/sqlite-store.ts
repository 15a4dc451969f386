import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './sqlite-migrations.js';
import type { Connection, ListSummary, StoredList, TeamKey, TeamStore } from './store.js';

/** Opens (creating and migrating as needed) the SQLite file that holds every team's data. */
export function openSqliteStore(file: string): TeamStore {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const now = () => new Date().toISOString();
  const q = {
    connection: db.prepare('SELECT connection FROM team_settings WHERE tenant_id = ? AND team_id = ?'),
    upsertConnection: db.prepare(
      `INSERT INTO team_settings (tenant_id, team_id, connection, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, team_id) DO UPDATE SET connection = excluded.connection,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at, version = version + 1`,
    ),
    lists: db.prepare(
      `SELECT l.id, l.name, COUNT(p.patient_id) AS patientCount FROM lists l
       LEFT JOIN list_patients p ON p.list_id = l.id
       WHERE l.tenant_id = ? AND l.team_id = ? GROUP BY l.id ORDER BY l.created_at, l.rowid`,
    ),
    insertList: db.prepare('INSERT INTO lists (id, tenant_id, team_id, name, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    list: db.prepare('SELECT id, name FROM lists WHERE id = ? AND tenant_id = ? AND team_id = ?'),
    listPatients: db.prepare('SELECT patient_id FROM list_patients WHERE list_id = ? ORDER BY position'),
    maxPosition: db.prepare('SELECT COALESCE(MAX(position), 0) AS max FROM list_patients WHERE list_id = ?'),
    addPatient: db.prepare(
      'INSERT OR IGNORE INTO list_patients (list_id, patient_id, position, added_by, added_at) VALUES (?, ?, ?, ?, ?)',
    ),
    removePatient: db.prepare('DELETE FROM list_patients WHERE list_id = ? AND patient_id = ?'),
    bumpList: db.prepare('UPDATE lists SET version = version + 1 WHERE id = ?'),
  };

  const readList = (team: TeamKey, listId: string): StoredList | null => {
    const row = q.list.get(listId, team.tenantId, team.teamId) as { id: string; name: string } | undefined;
    if (!row) return null;
    const patientIds = (q.listPatients.all(listId) as { patient_id: string }[]).map((r) => r.patient_id);
    return { id: row.id, name: row.name, patientIds };
  };

  const addPatients = db.transaction((team: TeamKey, listId: string, ids: string[], userId: string) => {
    if (!q.list.get(listId, team.tenantId, team.teamId)) return null;
    let position = (q.maxPosition.get(listId) as { max: number }).max;
    const at = now();
    let added = 0;
    for (const id of ids) added += q.addPatient.run(listId, id, ++position, userId, at).changes;
    if (added) q.bumpList.run(listId);
    return readList(team, listId);
  });

  const removePatient = db.transaction((team: TeamKey, listId: string, patientId: string) => {
    if (!q.list.get(listId, team.tenantId, team.teamId)) return null;
    const removed = q.removePatient.run(listId, patientId).changes > 0;
    if (removed) q.bumpList.run(listId);
    return removed;
  });

  return {
    async getConnection(team) {
      const row = q.connection.get(team.tenantId, team.teamId) as { connection: string } | undefined;
      return row ? (JSON.parse(row.connection) as Connection) : { mode: 'unset' };
    },
    async setConnection(team, connection, userId) {
      q.upsertConnection.run(team.tenantId, team.teamId, JSON.stringify(connection), userId, now());
    },
    async listLists(team) {
      return q.lists.all(team.tenantId, team.teamId) as ListSummary[];
    },
    async createList(team, name, userId) {
      const id = randomUUID();
      q.insertList.run(id, team.tenantId, team.teamId, name, userId, now());
      return { id, name, patientCount: 0 };
    },
    async getList(team, listId) {
      return readList(team, listId);
    },
    async addPatients(team, listId, patientIds, userId) {
      return addPatients(team, listId, [...new Set(patientIds)], userId);
    },
    async removePatient(team, listId, patientId) {
      return removePatient(team, listId, patientId);
    },
    async close() {
      db.close();
    },
  };
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
