import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { MAX_ROSTER_PATIENTS, type ManualPatient, type ManualPatientData } from '../../../contract/manual.js';
import type { Commit } from '../store-audit.js';
import { refused, type AuditOf, type TeamKey, type TeamStore } from '../ports.js';

/** An MRN as an import compares it: without surrounding spaces or case. */
const mrnKey = (mrn: string | null) => mrn?.trim().toLowerCase() || null;

/**
 * Manual mode: an import's patients, created in one transaction with their audit records. The
 * MRNs the team already holds (admitted or discharged) are read in that same transaction, so two
 * imports of the same rows at once cannot both add them: the second is refused with `conflict`.
 */
export function sqliteManualImportOps(db: Database.Database, commit: Commit): Pick<TeamStore, 'createManualPatients'> {
  const insert = db.prepare('INSERT INTO manual_patients (id, tenant_id, team_id, data, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const heldMrns = db.prepare<[string, string], { mrn: string }>(
    "SELECT lower(trim(json_extract(data, '$.mrn'))) AS mrn FROM manual_patients WHERE tenant_id = ? AND team_id = ? AND json_extract(data, '$.mrn') IS NOT NULL",
  );
  const held = db.prepare<[string, string], { n: number }>(
    'SELECT count(*) AS n FROM manual_patients WHERE tenant_id = ? AND team_id = ? AND discharged IS NULL',
  );
  const createAll = db.transaction((team: TeamKey, patients: ManualPatientData[], userId: string, audit?: AuditOf<ManualPatient[]>) => {
    // Patients admitted now count; past the limit, none of the import is written.
    if (held.get(team.tenantId, team.teamId)!.n + patients.length > MAX_ROSTER_PATIENTS) return refused('roster_full');
    const mrns = new Set(heldMrns.all(team.tenantId, team.teamId).map((r) => r.mrn));
    if (patients.some((p) => mrns.has(mrnKey(p.mrn) ?? ''))) return refused('conflict');
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
