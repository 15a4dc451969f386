import type Database from 'better-sqlite3';
import type { ManualPatient, ManualPatientData } from '../../../contract/manual.js';
import type { Discharge, DischargedPatient } from '../../../contract/manual-discharge.js';
import type { Commit } from '../store-audit.js';
import { refused, type AuditOf, type DischargeResult, type TeamKey, type TeamStore } from '../ports.js';

type DischargeOps = Pick<TeamStore, 'dischargeManualPatient' | 'readmitManualPatient' | 'getDischargedPatients'>;
type Row = { id: string; data: string; version: number; discharged: string | null };

const patientOf = (row: Row): ManualPatient => ({ id: row.id, ...(JSON.parse(row.data) as ManualPatientData), version: row.version });

/** Discharge and re-admission of manual patients: the flag, and leaving every list, in one transaction. */
export function sqliteDischargeOps(db: Database.Database, commit: Commit): DischargeOps {
  const q = {
    patient: db.prepare('SELECT id, data, version, discharged FROM manual_patients WHERE id = ? AND tenant_id = ? AND team_id = ?'),
    discharged: db.prepare(
      'SELECT id, data, version, discharged FROM manual_patients WHERE tenant_id = ? AND team_id = ? AND discharged IS NOT NULL ORDER BY rowid',
    ),
    setDischarged: db.prepare('UPDATE manual_patients SET discharged = ?, version = version + 1 WHERE id = ?'),
    readmit: db.prepare('UPDATE manual_patients SET discharged = NULL, data = ?, version = version + 1 WHERE id = ?'),
    listsWith: db.prepare(
      `SELECT l.id FROM lists l JOIN list_patients p ON p.list_id = l.id
       WHERE l.tenant_id = ? AND l.team_id = ? AND p.patient_id = ? ORDER BY l.created_at, l.rowid`,
    ),
    removeFromList: db.prepare('DELETE FROM list_patients WHERE list_id = ? AND patient_id = ?'),
    bumpList: db.prepare('UPDATE lists SET version = version + 1 WHERE id = ?'),
  };
  const read = (team: TeamKey, id: string) => q.patient.get(id, team.tenantId, team.teamId) as Row | undefined;

  const discharge = db.transaction((team: TeamKey, id: string, who: Discharge, expected?: number, audit?: AuditOf<DischargeResult>) => {
    const row = read(team, id);
    if (!row || row.discharged !== null) return refused('not_found');
    if (expected !== undefined && expected !== row.version) return refused('conflict');
    q.setDischarged.run(JSON.stringify(who), id);
    const lists = (q.listsWith.all(team.tenantId, team.teamId, id) as { id: string }[]).map((l) => l.id);
    for (const listId of lists) {
      q.removeFromList.run(listId, id);
      q.bumpList.run(listId);
    }
    return commit({ patient: { ...patientOf(read(team, id)!), discharged: who }, removedFromLists: lists }, audit);
  });

  const readmit = db.transaction(
    (team: TeamKey, id: string, values: ManualPatientData['values'], expected?: number, audit?: AuditOf<ManualPatient>) => {
      const row = read(team, id);
      if (!row || row.discharged === null) return refused('not_found');
      if (expected !== undefined && expected !== row.version) return refused('conflict');
      q.readmit.run(JSON.stringify({ ...(JSON.parse(row.data) as ManualPatientData), values }), id);
      return commit(patientOf(read(team, id)!), audit);
    },
  );

  return {
    async dischargeManualPatient(team, id, who, expectedVersion, audit) {
      return discharge(team, id, who, expectedVersion, audit);
    },
    async readmitManualPatient(team, id, values, expectedVersion, audit) {
      return readmit(team, id, values, expectedVersion, audit);
    },
    async getDischargedPatients(team, ids) {
      const rows = q.discharged.all(team.tenantId, team.teamId) as Row[];
      const all: DischargedPatient[] = rows.map((row) => ({ ...patientOf(row), discharged: JSON.parse(row.discharged!) as Discharge }));
      const wanted = ids ? all.filter((p) => ids.includes(p.id)) : all;
      return wanted.sort((a, b) => b.discharged.at.localeCompare(a.discharged.at));
    },
  };
}
