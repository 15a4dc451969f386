import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { MAX_ROSTER_PATIENTS, mrnKey, type ManualPatient, type ManualPatientData } from '../../../contract/manual.js';
import type { Commit } from '../store-audit.js';
import { done, refused, type AuditOf, type TeamKey, type TeamStore } from '../ports.js';

/**
 * The MRNs a team's patients hold, admitted and discharged, by patient id (as mrnKey compares them:
 * in JavaScript, since SQLite's trim and lower know only ASCII spaces and letters).
 */
export function mrnsHeld(db: Database.Database): (team: TeamKey) => Map<string, string> {
  const rows = db.prepare<[string, string], { id: string; mrn: unknown }>(
    "SELECT id, json_extract(data, '$.mrn') AS mrn FROM manual_patients WHERE tenant_id = ? AND team_id = ? AND json_extract(data, '$.mrn') IS NOT NULL",
  );
  return (team) => new Map(rows.all(team.tenantId, team.teamId).flatMap((r) => (mrnKey(r.mrn) ? [[r.id, mrnKey(r.mrn)!]] : [])));
}

/**
 * Manual mode: new patients (one typed in, or an import's), created in one transaction with their
 * audit records. The MRNs the team already holds (admitted or discharged) are read in that same
 * transaction, so two clerks adding the same patient at once cannot both add them: the second is
 * refused with `mrn_taken`.
 */
export function sqliteManualCreateOps(db: Database.Database, commit: Commit): Pick<TeamStore, 'createManualPatient' | 'createManualPatients'> {
  const insert = db.prepare('INSERT INTO manual_patients (id, tenant_id, team_id, data, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const heldMrns = mrnsHeld(db);
  const held = db.prepare<[string, string], { n: number }>(
    'SELECT count(*) AS n FROM manual_patients WHERE tenant_id = ? AND team_id = ? AND discharged IS NULL',
  );
  const createAll = db.transaction((team: TeamKey, patients: ManualPatientData[], userId: string, audit?: AuditOf<ManualPatient[]>) => {
    // Patients admitted now count; past the limit, none of the import is written.
    if (held.get(team.tenantId, team.teamId)!.n + patients.length > MAX_ROSTER_PATIENTS) return refused('roster_full');
    const mrns = new Set(heldMrns(team).values());
    if (patients.some((p) => mrns.has(mrnKey(p.mrn) ?? ''))) return refused('mrn_taken');
    const at = new Date().toISOString();
    const created = patients.map((data) => {
      const id = randomUUID();
      insert.run(id, team.tenantId, team.teamId, JSON.stringify(data), userId, at);
      return { id, ...data, version: 1 };
    });
    return commit(created, audit);
  });
  return {
    async createManualPatient(team, data, userId, audit) {
      const outcome = createAll(team, [data], userId, audit && (([created]) => audit(created)));
      return outcome.ok ? done(outcome.value[0]) : outcome;
    },
    async createManualPatients(team, patients, userId, audit) {
      return createAll(team, patients, userId, audit);
    },
  };
}
