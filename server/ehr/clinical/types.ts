import type { PatientSummary } from '../patient-summary.js';
import { vitalKinds, type VitalKind } from '../../../contract/vitals.js';

/** The parts of a patient's record a list can ask for; the Patient itself is always read. */
export type ClinicalPart = 'vitals' | 'encounter' | 'conditions' | 'allergies' | 'medications' | 'coverage';
export const CLINICAL_PARTS: readonly ClinicalPart[] = ['vitals', 'encounter', 'conditions', 'allergies', 'medications', 'coverage'];

/**
 * Why a cell has no data to show as "not available":
 * - `not_offered`: the EHR does not list the resource type in its capability statement;
 * - `failed`: the EHR answered that read with an error (or not in time, or too large);
 * - `malformed`: the EHR answered with something that is not a FHIR search result.
 */
export type UnavailableReason = 'not_offered' | 'failed' | 'malformed';

/** One piece of the view: "none recorded", "not available", or data. */
export type Cell<T> = { status: 'ok'; value: T } | { status: 'none' } | { status: 'unavailable'; reason: UnavailableReason };

/** A FHIR date or dateTime: the text as the EHR gave it (maybe partial, maybe without zone), for display. */
export interface When {
  text: string;
  /** For sorting: partial dates count from their start, a time without zone is read as UTC. Null if unparseable. */
  epochMs: number | null;
}

export type { VitalKind };
export const VITAL_KINDS: readonly VitalKind[] = vitalKinds;

export interface Measurement {
  value: number;
  /** The unit shown: °C, kg and cm after conversion, else as the EHR gave it ('' when it gave none). */
  unit: string;
  /** What the EHR sent, when we converted it (°F → °C, lb → kg, in → cm). */
  original?: { value: number; unit: string };
}

interface ReadingBase {
  /** Null when the Observation carries no effective time. */
  time: When | null;
}

export interface SimpleReading extends ReadingBase {
  kind: Exclude<VitalKind, 'bloodPressure'>;
  value: Measurement;
}

/** From a panel with components, or from standalone systolic/diastolic Observations taken at the same time. */
export interface BloodPressureReading extends ReadingBase {
  kind: 'bloodPressure';
  systolic: Measurement | null;
  diastolic: Measurement | null;
}

export type VitalReading = SimpleReading | BloodPressureReading;

/** The newest reading of each kind; a kind without any reading is absent ("none recorded" for that column). */
export type LatestVitals = Partial<Record<VitalKind, VitalReading>>;

/** Readings per kind, oldest first (for trend charts). */
export type VitalHistory = Partial<Record<VitalKind, VitalReading[]>>;

export interface EncounterView {
  status: string | null;
  /** `type[0]` text or display. */
  type: string | null;
  /** Encounter class as v3 ActCode (`IMP`, `AMB`, `EMER`…); DSTU2's own codes are mapped to it. */
  class: string | null;
  start: When | null;
  end: When | null;
  /** Location displays joined ("4 West, Room 412, Bed B"). */
  location: string | null;
  room: string | null;
  bed: string | null;
  /** The start of an inpatient stay (class IMP/inpatient); null for other encounters. */
  admission: When | null;
}

export interface ConditionView {
  display: string | null;
  severity: string | null;
  /** Recorded date (DSTU2 dateRecorded, STU3 assertedDate, R4 recordedDate), else onset. */
  date: When | null;
  onset: When | null;
  clinicalStatus: string | null;
  verificationStatus: string | null;
}

export interface AllergyReaction {
  substance: string | null;
  manifestations: string[];
  severity: string | null;
  date: When | null;
  note: string | null;
}

export interface AllergyView {
  substance: string | null;
  /** DSTU2's single `status` is split: active/inactive/resolved here, the rest under verification. */
  clinicalStatus: string | null;
  verificationStatus: string | null;
  criticality: string | null;
  date: When | null;
  note: string | null;
  reactions: AllergyReaction[];
}

export interface MedicationView {
  /** An order (MedicationOrder in DSTU2, MedicationRequest later) or a MedicationStatement. */
  kind: 'order' | 'statement';
  name: string | null;
  status: string | null;
  dosage: string | null;
  /** dateWritten (DSTU2) / authoredOn; for a statement its effective date or dateAsserted. */
  date: When | null;
  prescriber: string | null;
}

export interface CoverageView {
  payer: string | null;
  plan: string | null;
  group: string | null;
  subscriberId: string | null;
  status: string | null;
  periodStart: When | null;
  periodEnd: When | null;
}

/** Something skipped or odd while reading, as a code and a count (never patient data). */
export interface ClinicalWarning {
  code: string;
  count: number;
}

export interface ClinicalCells {
  vitals: Cell<LatestVitals>;
  /** The most recent encounter by start time. */
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
