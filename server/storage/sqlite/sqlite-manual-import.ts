import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { ManualPatient, ManualPatientData } from '../../../contract/manual.js';
import type { Commit } from '../store-audit.js';
import type { AuditOf, TeamKey, TeamStore } from '../ports.js';

/** Manual mode: an import's patients, created in one transaction with their audit records. */
export function sqliteManualImportOps(db: Database.Database, commit: Commit): Pick<TeamStore, 'createManualPatients'> {
  const insert = db.prepare('INSERT INTO manual_patients (id, tenant_id, team_id, data, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const createAll = db.transaction((team: TeamKey, patients: ManualPatientData[], userId: string, audit?: AuditOf<ManualPatient[]>) => {
    const at = new Date().toISOString();
    const created = patients.map((data) => {
      const id = randomUUID();
      insert.run(id, team.tenantId, team.teamId, JSON.stringify(data), userId, at);
      return { id, ...data, version: 1 };
    });
    return commit(created, audit);
  });
  return {
    async createManualPatients(team, patients, userId, audit) {
      return createAll(team, patients, userId, audit);
    },
  };
}
