import type { Resource } from '../engine/types.js';
import type { Person, VitalKind } from './people.js';
import { cc, type Shape } from './shapes.js';
import { lookupTable } from '../../../contract/lookup-table.js';

const loinc: Record<VitalKind, { code: string; display: string; unit: string; ucum: string }> = {
  heartRate: { code: '8867-4', display: 'Heart rate', unit: 'beats/minute', ucum: '/min' },
  respiratoryRate: { code: '9279-1', display: 'Respiratory rate', unit: 'breaths/minute', ucum: '/min' },
  temperature: { code: '8310-5', display: 'Body temperature', unit: 'Cel', ucum: 'Cel' },
  spo2: { code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', unit: '%', ucum: '%' },
  weight: { code: '29463-7', display: 'Body weight', unit: 'kg', ucum: 'kg' },
  height: { code: '8302-2', display: 'Body height', unit: 'cm', ucum: 'cm' },
  bmi: { code: '39156-5', display: 'Body mass index', unit: 'kg/m2', ucum: 'kg/m2' },
  bloodPressure: { code: '85354-9', display: 'Blood pressure panel with all children optional', unit: 'mmHg', ucum: 'mm[Hg]' },
};

/** The more specific codes some people's readings carry (people.ts), with LOINC's display. */
const specificDisplay: Record<string, string> = lookupTable({ '8331-1': 'Oral temperature', '3141-9': 'Body weight Measured' });

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
/** The sandbox hospital's MRN namespace. */
const MRN_SYSTEM = 'urn:oid:2.16.840.1.113883.3.9999.1';
/** The sandbox EHR's own modifier extension (a name of its own, as a hospital's EHR would have). */
const RULED_OUT_EXTENSION = 'https://sandbox.patients.invalid/fhir/StructureDefinition/condition-ruled-out';
const severityCodes = { mild: '255604002', moderate: '6736007', severe: '24484000' } as const;

const quantity = (value: number, unit: string, code: string) => ({ value, unit, system: 'http://unitsofmeasure.org', code });
const fullName = (p: Person) => [p.prefix, ...p.given, p.family].join(' ');
const practitionerName = (p: Person['practitioner']) => `${p.prefix} ${p.given} ${p.family}`;

/** Patient.link of a duplicate record and of the record it was merged into. */
function mergeLinks(shape: Shape, p: Person): { link?: unknown[] } {
  if (p.replacedBy) return { link: [{ other: { reference: `Patient/${p.replacedBy}`, display: fullName(p) }, type: shape.mergeLinks.replacedBy }] };
  if (p.replaces && shape.mergeLinks.replaces) return { link: [{ other: { reference: `Patient/${p.replaces}` }, type: shape.mergeLinks.replaces }] };
  return {};
}

/** Everything about one person as resources of one FHIR release. */
export function writePerson(shape: Shape, p: Person): Resource[] {
  const patient = { reference: `Patient/${p.id}`, display: fullName(p) };
  const link = (type: string) => ({ [shape.patientField(type)]: patient });
  const doctor = { reference: `Practitioner/${p.practitioner.id}`, display: practitionerName(p.practitioner) };
  const resources: Resource[] = [];

  resources.push({
    resourceType: 'Patient',
    id: p.id,
    identifier: [{ use: 'usual', type: { coding: [{ system: shape.mrnTypeSystem, code: 'MR', display: 'Medical record number' }], text: 'MRN' }, system: MRN_SYSTEM, value: p.mrn }],
    active: !p.replacedBy,
    name: [shape.name('official', p.prefix, p.given, p.family)],
    gender: p.gender,
    birthDate: p.birthDate,
    ...(p.deceased ? { deceasedDateTime: p.deceased } : {}),
    [shape.pcpField]: [doctor],
    ...mergeLinks(shape, p),
  });

  p.vitals.forEach((v, i) => {
    const code = loinc[v.kind];
    const value =
      v.kind === 'bloodPressure'
        ? {
            component: [
              { code: cc(LOINC, '8480-6', 'Systolic blood pressure'), valueQuantity: quantity(v.value, 'mmHg', 'mm[Hg]') },
              { code: cc(LOINC, '8462-4', 'Diastolic blood pressure'), valueQuantity: quantity(v.second!, 'mmHg', 'mm[Hg]') },
            ],
          }
        : { valueQuantity: quantity(v.value, code.unit, code.ucum) };
    resources.push({
      resourceType: 'Observation',
      id: `${p.id}-obs-${i + 1}`,
      status: 'final',
      category: shape.categories(cc(shape.observationCategorySystem, 'vital-signs', 'Vital Signs')),
      code: v.code ? cc(LOINC, v.code, specificDisplay[v.code] ?? code.display) : cc(LOINC, code.code, code.display),
      ...link('Observation'),
      effectiveDateTime: v.time,
      ...value,
    });
  });

  p.conditions.forEach((c, i) => {
    resources.push({
      resourceType: 'Condition',
      id: `${p.id}-cond-${i + 1}`,
      ...link('Condition'),
      category: shape.categories(shape.conditionCategory),
      code: cc(SNOMED, c.code, c.display),
      severity: cc(SNOMED, severityCodes[c.severity], c.severity[0].toUpperCase() + c.severity.slice(1)),
      onsetDateTime: c.onset,
      [shape.conditionRecordedField]: c.recorded,
      clinicalStatus: shape.status('http://terminology.hl7.org/CodeSystem/condition-clinical', 'active'),
      verificationStatus: shape.status('http://terminology.hl7.org/CodeSystem/condition-ver-status', 'confirmed'),
    });
  });
  if (p.ruledOut) {
    // An EHR's own modifier: it turns "pneumonia" into "pneumonia ruled out". FHIR lets any server define one.
    resources.push({
      resourceType: 'Condition',
      id: `${p.id}-cond-ruled-out`,
      ...link('Condition'),
      modifierExtension: [{ url: RULED_OUT_EXTENSION, valueBoolean: true }],
      category: shape.categories(shape.conditionCategory),
      code: cc(SNOMED, p.ruledOut.code, p.ruledOut.display),
      [shape.conditionRecordedField]: p.ruledOut.recorded,
      clinicalStatus: shape.status('http://terminology.hl7.org/CodeSystem/condition-clinical', 'active'),
      verificationStatus: shape.status('http://terminology.hl7.org/CodeSystem/condition-ver-status', 'confirmed'),
    });
  }

  p.allergies.forEach((a, i) => {
    const substance = cc(/^\d{7,}$/.test(a.code) ? SNOMED : RXNORM, a.code, a.substance);
    resources.push({
      resourceType: 'AllergyIntolerance',
      id: `${p.id}-allergy-${i + 1}`,
      ...link('AllergyIntolerance'),
      ...shape.allergy({ substance, criticality: a.criticality, recorded: a.recorded, note: a.note }),
      reaction: [{ substance, manifestation: [cc(SNOMED, '247472004', a.manifestation)], severity: a.severity }],
    });
  });

  p.medications.forEach((m, i) => {
    resources.push({
      resourceType: shape.medicationType,
      id: `${p.id}-med-${i + 1}`,
      status: 'active',
      ...link(shape.medicationType),
      medicationCodeableConcept: cc(RXNORM, m.code, m.name),
      dosageInstruction: [{ text: m.dosage }],
      ...shape.medicationOrder(m.authored, doctor),
    });
  });

  const c = p.coverage;
  resources.push({ resourceType: 'Coverage', id: `${p.id}-coverage`, period: { start: c.start }, ...shape.coverage(c, patient) });

  for (const e of p.encounters) {
    resources.push({
      resourceType: 'Encounter',
      id: e.id,
      status: e.status,
      class: shape.encounterClass(e.inpatient),
      type: [cc(SNOMED, e.inpatient ? '32485007' : '185349003', e.type)],
      ...link('Encounter'),
      period: { start: e.start, ...(e.end ? { end: e.end } : {}) },
      location: [{ location: { display: e.location }, status: e.status === 'finished' ? 'completed' : 'active' }],
    });
  }
  return resources;
}

export function writePractitioner(shape: Shape, p: Person['practitioner']): Resource {
  return { resourceType: 'Practitioner', id: p.id, active: true, name: shape.practitionerName(shape.name('official', p.prefix, [p.given], p.family)) };
}
