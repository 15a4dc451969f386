/** One logical patient record, written in the shape of each FHIR release (synthetic data). */
export type Release = 'DSTU2' | 'STU3' | 'R4';

export interface LogicalRecord {
  id: string;
  family: string;
  given: string;
  mrn: string;
  gp?: string;
  vitals: Array<{ code: string; value: number | [number, number] | null; unit: string; ucum: string; time: string }>;
  encounters: Array<{ inpatient: boolean; type: string; start: string; end?: string; location?: string }>;
  conditions: Array<{ display: string; severity?: string; recorded?: string; onset?: string; status: string }>;
  allergies: Array<{ substance: string; status: string; recorded: string; manifestation?: string; onset?: string; note?: string }>;
  medications: Array<{ name: string; dosage: string; written: string; prescriber: string; byReference?: boolean }>;
  coverage: Array<{ payer: string; plan: string; group: string; subscriberId: string; start: string; end: string }>;
}

type R = Record<string, unknown>;

const v2 = (release: Release) => (release === 'R4' ? 'http://terminology.hl7.org/CodeSystem/v2-0203' : 'http://hl7.org/fhir/v2/0203');
const coding = (code: string, display?: string, system?: string) => ({
  coding: [{ ...(system ? { system } : {}), code, ...(display ? { display } : {}) }],
});

/** Every resource of the record in a release's shape, Patient first. */
export function writeRecord(record: LogicalRecord, release: Release): R[] {
  const d2 = release === 'DSTU2';
  const r4 = release === 'R4';
  const me = { reference: `Patient/${record.id}` };
  const who = d2 ? { patient: me } : { subject: me };
  const out: R[] = [
    {
      resourceType: 'Patient',
      id: record.id,
      name: [{ use: 'official', family: d2 ? [record.family] : record.family, given: [record.given] }],
      gender: 'female',
      birthDate: '1951-08',
      identifier: [{ type: coding('MR', undefined, v2(release)), value: record.mrn }],
      ...(record.gp ? { [d2 ? 'careProvider' : 'generalPractitioner']: [{ display: record.gp }] } : {}),
    },
  ];
  const category = coding(
    'vital-signs',
    undefined,
    r4 ? 'http://terminology.hl7.org/CodeSystem/observation-category' : 'http://hl7.org/fhir/observation-category',
  );
  record.vitals.forEach((v, i) => {
    const quantity = (value: number) => ({ value, unit: v.unit, system: 'http://unitsofmeasure.org', code: v.ucum });
    out.push({
      resourceType: 'Observation',
      id: `${record.id}-obs-${i}`,
      status: 'final',
      category: d2 ? category : [category],
      code: coding(v.code, undefined, 'http://loinc.org'),
      subject: me,
      effectiveDateTime: v.time,
      ...(v.value === null
        ? {}
        : Array.isArray(v.value)
          ? {
              component: [
                { code: coding('8480-6', 'Systolic'), valueQuantity: quantity(v.value[0]) },
                { code: coding('8462-4', 'Diastolic'), valueQuantity: quantity(v.value[1]) },
              ],
            }
          : { valueQuantity: quantity(v.value) }),
    });
  });
  record.encounters.forEach((e, i) => {
    const klass = d2
      ? e.inpatient
        ? 'inpatient'
        : 'outpatient'
      : { system: r4 ? 'http://terminology.hl7.org/CodeSystem/v3-ActCode' : 'http://hl7.org/fhir/v3/ActCode', code: e.inpatient ? 'IMP' : 'AMB' };
    out.push({
      resourceType: 'Encounter',
      id: `${record.id}-enc-${i}`,
      status: e.end ? 'finished' : 'in-progress',
      class: klass,
      type: [{ text: e.type }],
      ...who,
      period: { start: e.start, ...(e.end ? { end: e.end } : {}) },
      ...(e.location ? { location: [{ location: { display: e.location }, status: 'active' }] } : {}),
    });
  });
  record.conditions.forEach((c, i) => {
    out.push({
      resourceType: 'Condition',
      id: `${record.id}-cond-${i}`,
      ...who,
      code: coding('000', c.display, 'http://snomed.info/sct'),
      ...(c.severity ? { severity: { text: c.severity } } : {}),
      clinicalStatus: r4 ? coding(c.status, undefined, 'http://terminology.hl7.org/CodeSystem/condition-clinical') : c.status,
      ...(c.recorded ? { [d2 ? 'dateRecorded' : release === 'STU3' ? 'assertedDate' : 'recordedDate']: c.recorded } : {}),
      ...(c.onset ? { onsetDateTime: c.onset } : {}),
    });
  });
  record.allergies.forEach((a, i) => {
    const reaction = a.manifestation
      ? [{ manifestation: [{ text: a.manifestation }], onset: a.onset, note: d2 ? { text: a.note } : [{ text: a.note }] }]
      : [];
    out.push({
      resourceType: 'AllergyIntolerance',
      id: `${record.id}-alg-${i}`,
      ...who,
      [d2 ? 'substance' : 'code']: { text: a.substance },
      ...(d2 ? { status: a.status } : { clinicalStatus: r4 ? coding(a.status) : a.status }),
      [release === 'STU3' ? 'assertedDate' : 'recordedDate']: a.recorded,
      reaction,
    });
  });
  record.medications.forEach((m, i) => {
    const medicationId = `${record.id}-med-${i}`;
    if (m.byReference) out.push({ resourceType: 'Medication', id: medicationId, code: { text: m.name } });
    out.push({
      resourceType: d2 ? 'MedicationOrder' : 'MedicationRequest',
      id: `${record.id}-rx-${i}`,
      status: 'active',
      ...who,
      ...(m.byReference ? { medicationReference: { reference: `Medication/${medicationId}` } } : { medicationCodeableConcept: coding('1', m.name) }),
      dosageInstruction: [{ text: m.dosage }],
      [d2 ? 'dateWritten' : 'authoredOn']: m.written,
      ...(d2 ? { prescriber: { display: m.prescriber } } : { requester: r4 ? { display: m.prescriber } : { agent: { display: m.prescriber } } }),
    });
  });
  record.coverage.forEach((c, i) => {
    const shape = d2
      ? { issuer: { display: c.payer }, plan: c.plan, group: c.group, subscriberId: { value: c.subscriberId }, subscriber: me }
      : release === 'STU3'
        ? { payor: [{ display: c.payer }], grouping: { planDisplay: c.plan, groupDisplay: c.group }, subscriberId: c.subscriberId, beneficiary: me }
        : {
            payor: [{ display: c.payer }],
            class: [
              { type: coding('plan'), value: 'P-1', name: c.plan },
              { type: coding('group'), value: 'G-1', name: c.group },
            ],
            subscriberId: c.subscriberId,
            beneficiary: me,
          };
    out.push({ resourceType: 'Coverage', id: `${record.id}-cov-${i}`, ...shape, period: { start: c.start, end: c.end } });
  });
  return out;
}

/** A full record: inpatient now, with vitals over two days (one in °F and lb and in). */
export function sampleRecord(id = 'p1'): LogicalRecord {
  return {
    id,
    family: 'Rivera',
    given: 'Ana',
    mrn: `MRN-${id}`,
    gp: 'Dr. Lee',
    vitals: [
      { code: '8867-4', value: 88, unit: '/min', ucum: '/min', time: '2024-03-01T08:00:00Z' },
      { code: '8867-4', value: 72, unit: '/min', ucum: '/min', time: '2024-03-02T08:00:00+01:00' },
      { code: '85354-9', value: [128, 82], unit: 'mmHg', ucum: 'mm[Hg]', time: '2024-03-02T07:00:00Z' },
      { code: '9279-1', value: 16, unit: '/min', ucum: '/min', time: '2024-03-02T07:00:00Z' },
      { code: '8310-5', value: 98.6, unit: '°F', ucum: '[degF]', time: '2024-03-02T07:00:00Z' },
      { code: '59408-5', value: 97, unit: '%', ucum: '%', time: '2024-03-02T07:00:00Z' },
      { code: '29463-7', value: 154, unit: 'lb', ucum: '[lb_av]', time: '2024-03-01' },
      { code: '8302-2', value: 65, unit: 'in', ucum: '[in_i]', time: '2024-03' },
      { code: '39156-5', value: 25.6, unit: 'kg/m2', ucum: 'kg/m2', time: '2024-03-01' },
    ],
    encounters: [
      { inpatient: false, type: 'Clinic visit', start: '2023-11-05T10:00:00Z', end: '2023-11-05T10:30:00Z' },
      { inpatient: true, type: 'Admission', start: '2024-02-28T22:15:00Z', location: 'Ward 4 West, Room 412, Bed B' },
    ],
    conditions: [
      { display: 'Pneumonia', severity: 'Moderate', recorded: '2024-02-28', status: 'active' },
      { display: 'Hypertension', onset: '2015', status: 'active' },
    ],
    allergies: [
      { substance: 'Penicillin', status: 'active', recorded: '2010-05-01', manifestation: 'Hives', onset: '2010-04', note: 'Rash within hours' },
    ],
    medications: [
      { name: 'Amoxicillin 500 MG', dosage: '500 mg three times a day', written: '2024-02-29', prescriber: 'Dr. Okafor' },
      { name: 'Lisinopril 10 MG', dosage: '10 mg daily', written: '2015-06-01', prescriber: 'Dr. Lee', byReference: true },
    ],
    coverage: [
      { payer: 'Contoso Health', plan: 'Gold PPO', group: 'Northwind staff', subscriberId: 'SUB-1', start: '2024-01-01', end: '2024-12-31' },
    ],
  };
}
