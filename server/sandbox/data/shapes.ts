import type { SandboxVersion } from '../versions.js';

/**
 * How each release spells what the generator writes (fhir-versions.md §1), as data: the writer
 * asks the shape and never which release it is writing.
 */
type Json = Record<string, unknown>;
type CodeableConcept = { coding: { system: string; code: string; display?: string }[]; text?: string };

export interface Shape {
  mrnTypeSystem: string;
  observationCategorySystem: string;
  conditionCategory: CodeableConcept;
  /** HumanName; DSTU2 `family` is an array. */
  name(use: string, prefix: string, given: string[], family: string): Json;
  /** Practitioner.name: one HumanName in DSTU2, an array later. */
  practitionerName(name: Json): Json | Json[];
  pcpField: 'careProvider' | 'generalPractitioner';
  /**
   * Patient.link types between a duplicate record and the one it was merged into: on the duplicate,
   * DSTU2 `replace`, later `replaced-by`; on the record kept, `replaces` (STU3, R4; DSTU2 has no such code).
   */
  mergeLinks: { replacedBy: string; replaces: string | null };
  /** The field that links a resource type to its patient. */
  patientField(resourceType: string): 'patient' | 'subject';
  /** Observation.category / Condition.category: one CodeableConcept in DSTU2, an array later. */
  categories(cc: CodeableConcept): CodeableConcept | CodeableConcept[];
  /** A status that is a plain code before R4 and a CodeableConcept in R4. */
  status(r4System: string, code: string): string | CodeableConcept;
  conditionRecordedField: string;
  encounterClass(inpatient: boolean): unknown;
  allergy(a: { substance: CodeableConcept; criticality: 'high' | 'low'; recorded: string; note: string }): Json;
  medicationType: 'MedicationOrder' | 'MedicationRequest';
  medicationOrder(authored: string, prescriber: Json): Json;
  coverage(c: { payer: string; plan: string; group: string; subscriberId: string }, patient: Json): Json;
}

const cc = (system: string, code: string, display: string): CodeableConcept => ({ coding: [{ system, code, display }], text: display });
const asIs = (c: CodeableConcept) => c;
const asArray = (c: CodeableConcept) => [c];
const coverageClass = (code: string, value: string) => ({ type: cc('http://terminology.hl7.org/CodeSystem/coverage-class', code, code[0].toUpperCase() + code.slice(1)), value, name: value });

const dstu2: Shape = {
  mrnTypeSystem: 'http://hl7.org/fhir/v2/0203',
  observationCategorySystem: 'http://hl7.org/fhir/observation-category',
  conditionCategory: cc('http://hl7.org/fhir/condition-category', 'diagnosis', 'Diagnosis'),
  name: (use, prefix, given, family) => ({ use, prefix: [prefix], given, family: [family] }),
  practitionerName: (name) => name,
  pcpField: 'careProvider',
  mergeLinks: { replacedBy: 'replace', replaces: null },
  patientField: (type) => (type === 'Observation' ? 'subject' : 'patient'),
  categories: asIs,
  status: (_system, code) => code,
  conditionRecordedField: 'dateRecorded',
  encounterClass: (inpatient) => (inpatient ? 'inpatient' : 'outpatient'),
  allergy: (a) => ({
    substance: a.substance,
    status: 'confirmed',
    criticality: a.criticality === 'high' ? 'CRITH' : 'CRITL',
    recordedDate: a.recorded,
    note: { text: a.note },
  }),
  medicationType: 'MedicationOrder',
  medicationOrder: (authored, prescriber) => ({ dateWritten: authored, prescriber }),
  coverage: (c, patient) => ({ issuer: { display: c.payer }, plan: c.plan, group: c.group, subscriberId: { value: c.subscriberId }, subscriber: patient }),
};

const stu3: Shape = {
  mrnTypeSystem: 'http://hl7.org/fhir/v2/0203',
  observationCategorySystem: 'http://hl7.org/fhir/observation-category',
  conditionCategory: cc('http://hl7.org/fhir/condition-category', 'problem-list-item', 'Problem List Item'),
  name: (use, prefix, given, family) => ({ use, prefix: [prefix], given, family }),
  practitionerName: (name) => [name],
  pcpField: 'generalPractitioner',
  mergeLinks: { replacedBy: 'replaced-by', replaces: 'replaces' },
  patientField: (type) => (type === 'AllergyIntolerance' ? 'patient' : 'subject'),
  categories: asArray,
  status: (_system, code) => code,
  conditionRecordedField: 'assertedDate',
  encounterClass: (inpatient) => (inpatient ? { system: 'http://hl7.org/fhir/v3/ActCode', code: 'IMP', display: 'inpatient encounter' } : { system: 'http://hl7.org/fhir/v3/ActCode', code: 'AMB', display: 'ambulatory' }),
  allergy: (a) => ({ code: a.substance, clinicalStatus: 'active', verificationStatus: 'confirmed', criticality: a.criticality, assertedDate: a.recorded, note: [{ text: a.note }] }),
  medicationType: 'MedicationRequest',
  medicationOrder: (authored, prescriber) => ({ intent: 'order', authoredOn: authored, requester: { agent: prescriber } }),
  coverage: (c, patient) => ({
    status: 'active',
    beneficiary: patient,
    subscriber: patient,
    subscriberId: c.subscriberId,
    payor: [{ display: c.payer }],
    grouping: { group: c.group, groupDisplay: c.group, plan: c.plan, planDisplay: c.plan },
  }),
};

const r4: Shape = {
  ...stu3,
  mrnTypeSystem: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  observationCategorySystem: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionCategory: cc('http://terminology.hl7.org/CodeSystem/condition-category', 'problem-list-item', 'Problem List Item'),
  status: (system, code) => ({ coding: [{ system, code }] }),
  conditionRecordedField: 'recordedDate',
  encounterClass: (inpatient) =>
    inpatient
      ? { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP', display: 'inpatient encounter' }
      : { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
  allergy: (a) => ({
    code: a.substance,
    clinicalStatus: cc('http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', 'active', 'Active'),
    verificationStatus: cc('http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', 'confirmed', 'Confirmed'),
    criticality: a.criticality,
    recordedDate: a.recorded,
    note: [{ text: a.note }],
  }),
  medicationOrder: (authored, prescriber) => ({ intent: 'order', authoredOn: authored, requester: prescriber }),
  coverage: (c, patient) => ({
    status: 'active',
    beneficiary: patient,
    subscriber: patient,
    subscriberId: c.subscriberId,
    payor: [{ display: c.payer }],
    class: [coverageClass('group', c.group), coverageClass('plan', c.plan)],
  }),
};

export const shapes: Record<SandboxVersion, Shape> = { dstu2, stu3, r4 };
export { cc };
