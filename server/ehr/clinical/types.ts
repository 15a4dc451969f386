import type { PatientSummary } from '../patient-summary.js';
import type { Cell, Measurement, UnavailableReason } from '../../../contract/cells.js';
import type { When } from '../../../contract/ids.js';
import type {
  AllergyView,
  ConditionView,
  CoverageView,
  EncounterView,
  LatestVital,
  MedicationView,
  VitalReading,
} from '../../../contract/patients.js';
import { vitalKinds, type VitalKind } from '../../../contract/vitals.js';

/** The parts of a patient's record a list can ask for; the Patient itself is always read. */
export type ClinicalPart = 'vitals' | 'encounter' | 'conditions' | 'allergies' | 'medications' | 'coverage';
export const CLINICAL_PARTS: readonly ClinicalPart[] = ['vitals', 'encounter', 'conditions', 'allergies', 'medications', 'coverage'];
/** What a list can ask for: the clinical parts, and names behind care provider references (one more read when a reference has no display). */
export type ListPart = ClinicalPart | 'careProvider';

/**
 * The shapes the EHR client reads into are the API's own (`contract/cells.ts`, `contract/patients.ts`):
 * one definition. A cell is "none recorded", "not available" (`not_offered`: the EHR does not list the
 * resource type; `failed`: it answered with an error, late or too large; `malformed`: not a search
 * result) or data; a `When` keeps the EHR's text (maybe partial, maybe without zone) with a moment for
 * sorting; a `Measurement` is in °C, kg and cm after conversion, with what the EHR sent as `original`;
 * a `VitalReading` carries the EHR's own `interpretation` of it when there is one (interpretation.ts).
 */
export type { Cell, Measurement, UnavailableReason, When, AllergyView, ConditionView, CoverageView, EncounterView, MedicationView, VitalReading };
export type { VitalKind };
export const VITAL_KINDS: readonly VitalKind[] = vitalKinds;

export type SimpleReading = Exclude<VitalReading, { kind: 'bloodPressure' }>;
/** From a panel (components, or DSTU2 text "82/40"), or from standalone systolic/diastolic Observations paired in time (vitals.ts pairHalves). */
export type BloodPressureReading = Extract<VitalReading, { kind: 'bloodPressure' }>;
export type AllergyReaction = AllergyView['reactions'][number];

/** The newest reading of each kind that was read; a kind without any reading is absent. */
export type LatestReadings = Partial<Record<VitalKind, VitalReading>>;
/**
 * A vitals cell's value: each kind's newest reading, or that the kind could not be read
 * (contract `vitalUnavailable`: "not available" for that column); a kind absent is "none recorded".
 */
export type LatestVitals = Partial<Record<VitalKind, LatestVital>>;

/** Readings per kind, oldest first (for trend charts). */
export type VitalHistory = Partial<Record<VitalKind, VitalReading[]>>;

/** Something skipped or odd while reading, as a code and a count (never patient data). */
export interface ClinicalWarning {
  code: string;
  count: number;
}

export interface ClinicalCells {
  vitals: Cell<LatestVitals>;
  /** The encounter the patient is in: the newest ongoing one, else the newest that took place (encounter.ts `currentEncounter`). */
  encounter: Cell<EncounterView>;
  conditions: Cell<ConditionView[]>;
  allergies: Cell<AllergyView[]>;
  medications: Cell<MedicationView[]>;
  coverage: Cell<CoverageView[]>;
}

/** One list row: the parts asked for are present, the others absent. */
export interface PatientClinical extends Partial<ClinicalCells> {
  patient: PatientSummary;
  /** Patient.generalPractitioner (DSTU2 careProvider) display. */
  careProvider: Cell<string>;
  warnings: ClinicalWarning[];
}

/** The details panel: every part, in full. */
export interface PatientDetails extends ClinicalCells {
  patient: PatientSummary;
  careProvider: Cell<string>;
  vitalHistory: Cell<VitalHistory>;
  /** Newest first. */
  encounters: Cell<EncounterView[]>;
  warnings: ClinicalWarning[];
}
