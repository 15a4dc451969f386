import type { Cell, ClinicalPart, PatientClinical, VitalKind } from '../fhir/index.js';
import type { ListColumn } from './columns.js';
import type { Note } from './store.js';

/** Columns that come with the patient summary itself and sit on every row. */
const summaryColumns = new Set<ListColumn>(['name', 'mrn', 'birthDate', 'gender']);
const vitalColumns = new Set<ListColumn>(['heartRate', 'bloodPressure', 'respiratoryRate', 'temperature', 'spo2', 'weight', 'height', 'bmi']);

/** The FHIR parts a set of columns needs, so a list reads only what it shows. */
export function partsFor(columns: ListColumn[]): ClinicalPart[] {
  const parts = new Set<ClinicalPart>();
  for (const column of columns) {
    if (vitalColumns.has(column)) parts.add('vitals');
    else if (column === 'location' || column === 'admissionDate') parts.add('encounter');
    else if (column === 'conditions' || column === 'allergies' || column === 'medications' || column === 'coverage') parts.add(column);
  }
  return [...parts];
}

const none = { status: 'none' } as const;

/** Narrows a part's cell to one column's value, keeping "none recorded" and "not available" apart. */
function pick<T, U>(cell: Cell<T> | undefined, get: (value: T) => U | null | undefined): Cell<U> {
  if (!cell) return { status: 'unavailable', reason: 'failed' };
  if (cell.status !== 'ok') return cell;
  const value = get(cell.value);
  return value === null || value === undefined ? none : { status: 'ok', value };
}

/** The cells of one row for the list's columns beyond the summary ones. */
export function cellsFor(columns: ListColumn[], clinical: PatientClinical, latestNote: Note | undefined): Record<string, Cell<unknown>> {
  const cells: Record<string, Cell<unknown>> = {};
  for (const column of columns) {
    if (summaryColumns.has(column)) continue;
    if (vitalColumns.has(column)) cells[column] = pick(clinical.vitals, (v) => v[column as VitalKind]);
    else if (column === 'location')
      cells[column] = pick(clinical.encounter, (e) => (e.location || e.room || e.bed ? { location: e.location, room: e.room, bed: e.bed } : null));
    else if (column === 'admissionDate') cells[column] = pick(clinical.encounter, (e) => e.admission);
    else if (column === 'careProvider') cells[column] = clinical.careProvider;
    else if (column === 'latestNote') cells[column] = latestNote ? { status: 'ok', value: latestNote } : none;
    else cells[column] = pick(clinical[column as 'conditions'] as Cell<unknown[]> | undefined, (list) => (list.length ? list : null));
  }
  return cells;
}
