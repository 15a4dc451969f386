import type { EhrGateway, PatientSummary } from '../fhir/types.js';
import { toProblem } from '../http/error-handler.js';
import { logger } from '../http/logger.js';
import type { StoredList, TeamKey, TeamStore } from './store.js';

export interface ListRow {
  patientId: string;
  displayName: string | null;
  mrn: string | null;
  birthDate: string | null;
  gender: string | null;
  /** False when the EHR could not give this patient (gone, or the EHR failed). */
  available: boolean;
}

export interface ListView {
  id: string;
  name: string;
  columns: StoredList['columns'];
  version: number;
  rows: ListRow[];
  /** Set when the EHR could not be read: rows then carry ids only. */
  ehrError?: { code: string; message: string };
}

/** A list as the tab shows it: the stored ids with live EHR data, read in batches. */
export async function buildListView(store: TeamStore, ehr: EhrGateway, team: TeamKey, list: StoredList): Promise<ListView> {
  const connection = await store.getConnection(team);
  let found = new Map<string, PatientSummary>();
  let ehrError: ListView['ehrError'];
  if (connection.mode === 'ehr' && list.patientIds.length) {
    try {
      const patients = await ehr.readPatients(connection.url, team.tenantId, list.patientIds);
      found = new Map(patients.map((p) => [p.id, p]));
    } catch (err) {
      const problem = toProblem(err);
      logger.warn({ code: problem.code }, 'list rows could not be read from the EHR');
      ehrError = { code: problem.code, message: problem.message };
    }
  }
  const rows = list.patientIds.map((patientId): ListRow => {
    const p = found.get(patientId);
    return p
      ? { patientId, displayName: p.displayName, mrn: p.mrn, birthDate: p.birthDate, gender: p.gender, available: true }
      : { patientId, displayName: null, mrn: null, birthDate: null, gender: null, available: false };
  });
  return { id: list.id, name: list.name, columns: list.columns, version: list.version, rows, ...(ehrError ? { ehrError } : {}) };
}
