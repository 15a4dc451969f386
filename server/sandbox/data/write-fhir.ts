import type { Resource } from '../search-params.js';
import type { VersionSpec } from '../versions.js';
import type { Person, VitalSample } from './people.js';

const loinc: Record<VitalSample['kind'], { code: string; display: string; unit: string; ucum: string }> = {
  heartRate: { code: '8867-4', display: 'Heart rate', unit: 'beats/minute', ucum: '/min' },
  respiratoryRate: { code: '9279-1', display: 'Respiratory rate', unit: 'breaths/minute', ucum: '/min' },
  temperature: { code: '8310-5', display: 'Body temperature', unit: 'Cel', ucum: 'Cel' },
  spo2: { code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', unit: '%', ucum: '%' },
  weight: { code: '29463-7', display: 'Body weight', unit: 'kg', ucum: 'kg' },
  height: { code: '8302-2', display: 'Body height', unit: 'cm', ucum: 'cm' },
  bmi: { code: '39156-5', display: 'Body mass index', unit: 'kg/m2', ucum: 'kg/m2' },
  bloodPressure: { code: '85354-9', display: 'Blood pressure panel', unit: 'mmHg', ucum: 'mm[Hg]' },
};

const cc = (system: string, code: string, display: string) => ({ coding: [{ system, code, display }], text: display });
const quantity = (value: number, unit: string, code: string) => ({ value, unit, system: 'http://unitsofmeasure.org', code });
const patientRef = (p: Person) => ({ reference: `Patient/${p.id}`, display: [p.prefix, ...p.given, p.family].join(' ') });
const snomed = 'http://snomed.info/sct';
const rxnorm = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** Everything about one person as resources of one FHIR release. */
export function writePerson(spec: VersionSpec, p: Person): Resource[] {
  const dstu2 = spec.key === 'dstu2';
  const r4 = spec.key === 'r4';
  const subject = dstu2 ? { patient: patientRef(p) } : { subject: patientRef(p) };
  const status = (system: string, code: string) => (r4 ? { coding: [{ system, code }] } : code);
  const resources: Resource[] = [];

  resources.push({
    resourceType: 'Patient',
    id: p.id,
    identifier: [{ use: 'usual', type: { coding: [{ system: spec.v2_0203, code: 'MR', display: 'Medical record number' }] }, system: 'urn:oid:2.16.840.1.113883.3.9999.1', value: p.mrn }],
    name: [{ use: 'official', prefix: [p.prefix], given: p.given, family: dstu2 ? [p.family] : p.family }],
    gender: p.gender,
    birthDate: p.birthDate,
    [dstu2 ? 'careProvider' : 'generalPractitioner']: [{ reference: `Practitioner/${p.practitioner.id}`, display: p.practitioner.name }],
  });

  p.vitals.forEach((v, i) => {
    const code = loinc[v.kind];
    const category = cc(spec.observationCategory, 'vital-signs', 'Vital Signs');
    const value =
      v.kind === 'bloodPressure'
        ? {
            component: [
              { code: cc('http://loinc.org', '8480-6', 'Systolic blood pressure'), valueQuantity: quantity(v.value, 'mmHg', 'mm[Hg]') },
              { code: cc('http://loinc.org', '8462-4', 'Diastolic blood pressure'), valueQuantity: quantity(v.second!, 'mmHg', 'mm[Hg]') },
            ],
          }
        : { valueQuantity: quantity(v.value, code.unit, code.ucum) };
    resources.push({
      resourceType: 'Observation',
      id: `${p.id}-obs-${i + 1}`,
      status: 'final',
      category: dstu2 ? category : [category],
      code: cc('http://loinc.org', code.code, code.display),
      ...(dstu2 ? { subject: patientRef(p) } : { subject: patientRef(p) }),
      effectiveDateTime: v.time,
      ...value,
    });
  });

  p.conditions.forEach((c, i) => {
    resources.push({
      resourceType: 'Condition',
      id: `${p.id}-cond-${i + 1}`,
      ...subject,
      code: cc(snomed, c.code, c.display),
      severity: cc(snomed, { mild: '255604002', moderate: '6736007', severe: '24484000' }[c.severity]!, c.severity[0].toUpperCase() + c.severity.slice(1)),
      onsetDateTime: c.onset,
      [dstu2 ? 'dateRecorded' : r4 ? 'recordedDate' : 'assertedDate']: c.recorded,
      clinicalStatus: status('http://terminology.hl7.org/CodeSystem/condition-clinical', 'active'),
      verificationStatus: status('http://terminology.hl7.org/CodeSystem/condition-ver-status', 'confirmed'),
    });
  });

  p.allergies.forEach((a, i) => {
    const substance = cc(a.code.length > 6 ? snomed : rxnorm, a.code, a.substance);
    resources.push({
      resourceType: 'AllergyIntolerance',
      id: `${p.id}-allergy-${i + 1}`,
      patient: patientRef(p),
      ...(dstu2 ? { substance, status: 'active', criticality: a.criticality === 'high' ? 'CRITH' : 'CRITL', recordedDate: a.recorded, note: { text: a.note } } : {
        code: substance,
        clinicalStatus: status('http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', 'active'),
        verificationStatus: status('http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', 'confirmed'),
        criticality: a.criticality,
        [r4 ? 'recordedDate' : 'assertedDate']: a.recorded,
        note: [{ text: a.note }],
      }),
      reaction: [{ manifestation: [cc(snomed, '247472004', a.manifestation)], severity: a.severity }],
    });
  });

  p.medications.forEach((m, i) => {
    const prescriber = { reference: `Practitioner/${p.practitioner.id}`, display: p.practitioner.name };
    resources.push({
      resourceType: spec.medicationType,
      id: `${p.id}-med-${i + 1}`,
      status: 'active',
      medicationCodeableConcept: cc(rxnorm, m.code, m.name),
      dosageInstruction: [{ text: m.dosage }],
      ...(dstu2
        ? { patient: patientRef(p), dateWritten: m.authored, prescriber }
        : { subject: patientRef(p), intent: 'order', authoredOn: m.authored, requester: r4 ? prescriber : { agent: prescriber } }),
    });
  });

  const c = p.coverage;
  const period = { start: c.start, end: c.end };
  resources.push({
    resourceType: 'Coverage',
    id: `${p.id}-coverage`,
    period,
    ...(dstu2
      ? { issuer: { display: c.payer }, plan: c.plan, group: c.group, subscriberId: { value: c.subscriberId }, subscriber: patientRef(p) }
      : r4
        ? {
            status: 'active',
            beneficiary: patientRef(p),
            subscriberId: c.subscriberId,
            payor: [{ display: c.payer }],
            class: [
              { type: cc('http://terminology.hl7.org/CodeSystem/coverage-class', 'group', 'Group'), value: c.group, name: c.group },
              { type: cc('http://terminology.hl7.org/CodeSystem/coverage-class', 'plan', 'Plan'), value: c.plan, name: c.plan },
            ],
          }
        : { status: 'active', beneficiary: patientRef(p), subscriberId: c.subscriberId, payor: [{ display: c.payer }], grouping: { group: c.group, groupDisplay: c.group, plan: c.plan, planDisplay: c.plan } }),
  });

  const e = p.encounter;
  resources.push({
    resourceType: 'Encounter',
    id: e.id,
    status: dstu2 ? 'in-progress' : 'in-progress',
    class: dstu2 ? 'inpatient' : { system: r4 ? 'http://terminology.hl7.org/CodeSystem/v3-ActCode' : 'http://hl7.org/fhir/v3/ActCode', code: 'IMP', display: 'inpatient encounter' },
    type: [cc(snomed, '32485007', e.type)],
    ...subject,
    period: { start: e.start },
    location: [{ location: { display: e.location }, status: 'active' }],
  });
  return resources;
}

export function writePractitioners(spec: VersionSpec, people: Person[]): Resource[] {
  const seen = new Map<string, string>();
  for (const p of people) seen.set(p.practitioner.id, p.practitioner.name);
  return [...seen].map(([id, name]) => {
    const [prefix, given, family] = name.split(' ');
    return { resourceType: 'Practitioner', id, name: [{ prefix: [prefix], given: [given], family: spec.key === 'dstu2' ? [family] : family }] };
  });
}
