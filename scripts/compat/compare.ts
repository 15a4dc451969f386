import type { Cell, PatientDetails, VitalKind } from '../../server/ehr/clinical/types.js';
import { isVitalUnavailable, type LatestVital } from '../../contract/patients.js';
import { VITAL_KINDS } from '../../server/ehr/clinical/types.js';

/** A latest vital sign as plain values; blood pressure as "120/80". */
export interface ComparableVital {
  value: string;
  unit: string;
}

/** What must look the same for one patient whichever FHIR release served it. */
export interface ComparablePatient {
  name: string;
  gender: string | null;
  mrn: string | null;
  /** Sorted; null when the part was not available (so "none" and "not available" stay distinct). */
  conditions: string[] | null;
  allergies: string[] | null;
  medications: string[] | null;
  vitals: Partial<Record<VitalKind, ComparableVital>> | null;
}

/**
 * A plain, order-independent picture of a patient for cross-version checks: ids, times and
 * statuses are left out because they legitimately differ between a record's DSTU2, STU3 and R4 copies.
 */
export function summariseForComparison(details: PatientDetails): ComparablePatient {
  return {
    name: details.patient.displayName,
    gender: details.patient.gender,
    mrn: details.patient.mrn,
    conditions: sortedNames(details.conditions, (c) => c.display),
    allergies: sortedNames(details.allergies, (a) => a.substance),
    medications: sortedNames(details.medications, (m) => m.name),
    vitals: latest(details),
  };
}

function sortedNames<T>(cell: Cell<T[]>, name: (item: T) => string | null): string[] | null {
  if (cell.status === 'unavailable') return null;
  if (cell.status === 'none') return [];
  return cell.value.map((item) => name(item) ?? '(unnamed)').sort((a, b) => a.localeCompare(b, 'en'));
}

function latest(details: PatientDetails): ComparablePatient['vitals'] {
  if (details.vitals.status === 'unavailable') return null;
  const out: Partial<Record<VitalKind, ComparableVital>> = {};
  if (details.vitals.status === 'none') return out;
  for (const kind of VITAL_KINDS) {
    const reading = details.vitals.value[kind];
    if (reading) out[kind] = plain(reading);
  }
  return out;
}

function plain(reading: LatestVital): ComparableVital {
  if (isVitalUnavailable(reading)) return { value: 'not available', unit: '' };
  if (reading.kind !== 'bloodPressure') return { value: String(reading.value.value), unit: reading.value.unit };
  const unit = reading.systolic?.unit ?? reading.diastolic?.unit ?? '';
  return { value: `${reading.systolic?.value ?? '?'}/${reading.diastolic?.value ?? '?'}`, unit };
}
