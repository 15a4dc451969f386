import type { Cell, EhrGateway, PatientClinical } from '../fhir/index.js';
import { toProblem } from '../http/error-handler.js';
import { logger } from '../http/logger.js';
import { cellsFor, partsFor } from './list-cells.js';
import type { Note, StoredList, TeamKey, TeamStore } from './store.js';

export interface ListRow {
  patientId: string;
  displayName: string | null;
  mrn: string | null;
  birthDate: string | null;
  gender: string | null;
  /** False when the EHR could not give this patient (gone, or the EHR failed). */
  available: boolean;
  /** One cell per column of the list beyond name, MRN, birth date and gender. */
  cells: Record<string, Cell<unknown>>;
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

/** A list as the tab shows it: the stored ids with live EHR data for its columns, read in batches. */
export async function buildListView(store: TeamStore, ehr: EhrGateway, team: TeamKey, list: StoredList): Promise<ListView> {
  const connection = await store.getConnection(team);
  let found = new Map<string, PatientClinical>();
  let ehrError: ListView['ehrError'];
  if (connection.mode === 'ehr' && list.patientIds.length) {
    try {
      found = await ehr.readClinical(connection.url, team.tenantId, list.patientIds, partsFor(list.columns));
    } catch (err) {
      const problem = toProblem(err);
      logger.warn({ code: problem.code }, 'list rows could not be read from the EHR');
      ehrError = { code: problem.code, message: problem.message };
    }
  }
  const notes = list.columns.includes('latestNote') ? await latestNotes(store, team, list.patientIds) : new Map<string, Note>();
  const unavailable = { status: 'unavailable', reason: 'failed' } as const;
  const rows = list.patientIds.map((patientId): ListRow => {
    const clinical = found.get(patientId);
    if (!clinical) {
      const cells = Object.fromEntries(list.columns.filter((c) => !['name', 'mrn', 'birthDate', 'gender'].includes(c)).map((c) => [c, unavailable]));
      return { patientId, displayName: null, mrn: null, birthDate: null, gender: null, available: false, cells };
    }
    const p = clinical.patient;
    return {
      patientId,
      displayName: p.displayName,
      mrn: p.mrn,
      birthDate: p.birthDate,
      gender: p.gender,
      available: true,
      cells: cellsFor(list.columns, clinical, notes.get(patientId)),
    };
  });
  return { id: list.id, name: list.name, columns: list.columns, version: list.version, rows, ...(ehrError ? { ehrError } : {}) };
}

async function latestNotes(store: TeamStore, team: TeamKey, patientIds: string[]): Promise<Map<string, Note>> {
  const latest = new Map<string, Note>();
  for (const id of patientIds) {
    const notes = await store.listNotes(team, id);
    if (notes.length) latest.set(id, notes[notes.length - 1]);
  }
  return latest;
}
