import type Database from 'better-sqlite3';
import { mrnKey, type ManualPatient, type ManualPatientData, type ManualSchema, type SchemaField } from '../../../contract/manual.js';
import type { Commit } from '../store-audit.js';
import { mrnsHeld } from './sqlite-manual-create.js';
import { refused, type AuditOf, type TeamStore } from '../ports.js';

type ManualOps = Pick<TeamStore, 'getSchema' | 'setSchema' | 'updateManualPatient' | 'getManualPatients'>;

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
    updatePatient: db.prepare('UPDATE manual_patients SET data = ?, version = version + 1 WHERE id = ?'),
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

  const heldMrns = mrnsHeld(db);
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
      // A changed MRN is checked again in the change: a colleague may have given it to another patient since.
      const mrn = mrnKey(data.mrn);
      if (mrn && mrn !== mrnKey((JSON.parse(row.data) as ManualPatientData).mrn)) {
        for (const [holder, held] of heldMrns({ tenantId, teamId })) if (held === mrn && holder !== id) return refused('mrn_taken');
      }
      q.updatePatient.run(JSON.stringify(data), id);
      return commit(toPatient(q.patient.get(id, tenantId, teamId) as { id: string; data: string; version: number }), audit);
    },
  );
  return {
    async getSchema(team) {
      return readSchema(team.tenantId, team.teamId);
    },
    async setSchema(team, fields, expectedVersion, audit) {
      return setSchema(team.tenantId, team.teamId, fields, expectedVersion, audit);
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
