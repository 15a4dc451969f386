import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { MAX_ROSTER_PATIENTS, type ManualPatient, type ManualPatientData, type ManualSchema, type SchemaField } from '../../../contract/manual.js';
import type { Commit } from '../store-audit.js';
import { refused, type AuditOf, type TeamKey, type TeamStore } from '../ports.js';

type ManualOps = Pick<TeamStore, 'getSchema' | 'setSchema' | 'createManualPatient' | 'updateManualPatient' | 'getManualPatients'>;

/** Manual mode: the team's schema and its hand-entered patients, each with an optimistic version. */
export function sqliteManualOps(db: Database.Database, commit: Commit): ManualOps {
  const q = {
    schema: db.prepare('SELECT fields, version FROM manual_schemas WHERE tenant_id = ? AND team_id = ?'),
    insertSchema: db.prepare('INSERT INTO manual_schemas (tenant_id, team_id, fields) VALUES (?, ?, ?)'),
    updateSchema: db.prepare('UPDATE manual_schemas SET fields = ?, version = version + 1 WHERE tenant_id = ? AND team_id = ?'),
    patient: db.prepare('SELECT id, data, version FROM manual_patients WHERE id = ? AND tenant_id = ? AND team_id = ? AND discharged IS NULL'),
    patients: db.prepare(
      'SELECT id, data, version FROM manual_patients WHERE tenant_id = ? AND team_id = ? AND discharged IS NULL ORDER BY created_at, rowid',
    ),
    insertPatient: db.prepare('INSERT INTO manual_patients (id, tenant_id, team_id, data, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    updatePatient: db.prepare('UPDATE manual_patients SET data = ?, version = version + 1 WHERE id = ?'),
    /** The roster's size: patients admitted now. */
    held: db.prepare<[string, string], { n: number }>(
      'SELECT count(*) AS n FROM manual_patients WHERE tenant_id = ? AND team_id = ? AND discharged IS NULL',
    ),
  };
  const readSchema = (tenantId: string, teamId: string): ManualSchema | null => {
    const row = q.schema.get(tenantId, teamId) as { fields: string; version: number } | undefined;
    return row ? { fields: JSON.parse(row.fields) as SchemaField[], version: row.version } : null;
  };
  const toPatient = (row: { id: string; data: string; version: number }): ManualPatient => ({
    id: row.id,
    ...(JSON.parse(row.data) as ManualPatientData),
    version: row.version,
  });

  const setSchema = db.transaction((tenantId: string, teamId: string, fields: SchemaField[], expected?: number, audit?: AuditOf<ManualSchema>) => {
    const current = readSchema(tenantId, teamId);
    if (expected !== undefined && expected !== (current?.version ?? 0)) return refused('conflict');
    if (current) q.updateSchema.run(JSON.stringify(fields), tenantId, teamId);
    else q.insertSchema.run(tenantId, teamId, JSON.stringify(fields));
    return commit(readSchema(tenantId, teamId)!, audit);
  });
  const updatePatient = db.transaction(
    (tenantId: string, teamId: string, id: string, data: ManualPatientData, expected?: number, audit?: AuditOf<ManualPatient>) => {
      const row = q.patient.get(id, tenantId, teamId) as { id: string; data: string; version: number } | undefined;
      if (!row) return refused('not_found');
      if (expected !== undefined && expected !== row.version) return refused('conflict');
      q.updatePatient.run(JSON.stringify(data), id);
      return commit(toPatient(q.patient.get(id, tenantId, teamId) as { id: string; data: string; version: number }), audit);
    },
  );
  const createPatient = db.transaction((team: TeamKey, data: ManualPatientData, userId: string, audit?: AuditOf<ManualPatient>) => {
    if (q.held.get(team.tenantId, team.teamId)!.n >= MAX_ROSTER_PATIENTS) return refused('roster_full');
    const id = randomUUID();
    q.insertPatient.run(id, team.tenantId, team.teamId, JSON.stringify(data), userId, new Date().toISOString());
    return commit({ id, ...data, version: 1 }, audit);
  });

  return {
    async getSchema(team) {
      return readSchema(team.tenantId, team.teamId);
    },
    async setSchema(team, fields, expectedVersion, audit) {
      return setSchema(team.tenantId, team.teamId, fields, expectedVersion, audit);
    },
    async createManualPatient(team, data, userId, audit) {
      return createPatient(team, data, userId, audit);
    },
    async updateManualPatient(team, id, data, expectedVersion, audit) {
      return updatePatient(team.tenantId, team.teamId, id, data, expectedVersion, audit);
    },
    async getManualPatients(team, ids) {
      const all = (q.patients.all(team.tenantId, team.teamId) as { id: string; data: string; version: number }[]).map(toPatient);
      return ids ? all.filter((p) => ids.includes(p.id)) : all;
    },
  };
}
