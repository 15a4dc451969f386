import type { ParamKind } from '../types.js';

/**
 * Search parameters per resource type, one table per release: names and the fields they index
 * follow that release's spec (CORE-D2 / CORE-S3 `SP_*` definitions). A path is dot-separated and
 * walks through arrays; choice fields list each variant.
 */
export interface ParamDef {
  kind: ParamKind;
  paths: string[];
  /** For references given as a bare id: the type it names. */
  target?: string;
}

export type ParamTable = Record<string, Record<string, ParamDef>>;

const p = (kind: ParamKind, ...paths: string[]): ParamDef => ({ kind, paths });
const toPatient = (...paths: string[]): ParamDef => ({ kind: 'reference', paths, target: 'Patient' });

const personNames = {
  name: p('string', 'name'),
  family: p('string', 'name.family'),
  given: p('string', 'name.given'),
  identifier: p('token', 'identifier'),
};
const patientCommon = { ...personNames, gender: p('token', 'gender'), birthdate: p('date', 'birthDate') };
const observationCommon = {
  category: p('token', 'category'),
  code: p('token', 'code'),
  date: p('date', 'effectiveDateTime', 'effectivePeriod.start', 'effectiveInstant'),
  status: p('token', 'status'),
};

/** List in DSTU2 and STU3 alike: `patient` and `subject` are its subject. */
const listParams = {
  patient: toPatient('subject'),
  subject: toPatient('subject'),
  code: p('token', 'code'),
  status: p('token', 'status'),
  'empty-reason': p('token', 'emptyReason'),
};

/** DSTU2 (1.0.2): patient links are `patient` on most clinical resources. */
export const dstu2Params: ParamTable = {
  Patient: { ...patientCommon, careprovider: p('reference', 'careProvider') },
  Practitioner: personNames,
  Observation: { ...observationCommon, patient: toPatient('subject'), subject: toPatient('subject') },
  Condition: {
    patient: toPatient('patient'),
    code: p('token', 'code'),
    clinicalstatus: p('token', 'clinicalStatus'),
    'date-recorded': p('date', 'dateRecorded'),
  },
  Encounter: { patient: toPatient('patient'), date: p('date', 'period.start'), status: p('token', 'status'), type: p('token', 'type') },
  AllergyIntolerance: { patient: toPatient('patient'), status: p('token', 'status'), date: p('date', 'recordedDate') },
  MedicationOrder: { patient: toPatient('patient'), datewritten: p('date', 'dateWritten'), status: p('token', 'status') },
  Medication: { code: p('token', 'code') },
  List: listParams,
  // DSTU2 Coverage has no patient parameter; the Patients contract asks for one: the subscriber.
  Coverage: { patient: toPatient('subscriber'), subscriber: toPatient('subscriber') },
};

/** STU3 (3.0.x): `subject` replaces `patient` on Observation, Condition, Encounter and medication requests. */
export const stu3Params: ParamTable = {
  Patient: { ...patientCommon, 'general-practitioner': p('reference', 'generalPractitioner') },
  Practitioner: personNames,
  Observation: { ...observationCommon, patient: toPatient('subject'), subject: toPatient('subject') },
  Condition: {
    patient: toPatient('subject'),
    subject: toPatient('subject'),
    code: p('token', 'code'),
    category: p('token', 'category'),
    'clinical-status': p('token', 'clinicalStatus'),
    'asserted-date': p('date', 'assertedDate'),
  },
  Encounter: {
    patient: toPatient('subject'),
    subject: toPatient('subject'),
    date: p('date', 'period.start'),
    status: p('token', 'status'),
    type: p('token', 'type'),
    class: p('token', 'class'),
  },
  AllergyIntolerance: {
    patient: toPatient('patient'),
    'clinical-status': p('token', 'clinicalStatus'),
    'verification-status': p('token', 'verificationStatus'),
    date: p('date', 'assertedDate'),
  },
  MedicationRequest: {
    patient: toPatient('subject'),
    subject: toPatient('subject'),
    authoredon: p('date', 'authoredOn'),
    status: p('token', 'status'),
    intent: p('token', 'intent'),
  },
  Medication: { code: p('token', 'code') },
  List: listParams,
  // STU3 Coverage searches by beneficiary; `patient` is the contract's name for the same link.
  Coverage: {
    beneficiary: toPatient('beneficiary'),
    patient: toPatient('beneficiary'),
    subscriber: toPatient('subscriber'),
    payor: p('reference', 'payor'),
  },
};
