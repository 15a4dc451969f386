import { describe, expect, it } from 'vitest';
import { generatePeople, prng } from '../../../server/sandbox/data/people';
import { shapes } from '../../../server/sandbox/data/shapes';
import { writePerson, writePractitioner } from '../../../server/sandbox/data/write-fhir';
import type { Resource } from '../../../server/sandbox/engine/types';

const tenantA = '7d3f0c3e-1c1a-4d7e-9a55-0c0a8d1e2b01';
const tenantB = 'b2e4a9f1-5d2c-4b8e-8f31-6a7c9e0d4c02';
const people = generatePeople(tenantA, 200, 42);
const ofType = (resources: Resource[], type: string) => resources.filter((r) => r.resourceType === type);

describe('the seeded generator', () => {
  it('gives the same people for the same seed and tenant, and other people to another tenant or seed', () => {
    expect(generatePeople(tenantA, 200, 42)).toEqual(people);
    const other = generatePeople(tenantB, 200, 42);
    expect(other.map((p) => p.mrn)).not.toEqual(people.map((p) => p.mrn));
    expect(other.filter((p) => people.some((q) => q.id === p.id))).toEqual([]);
    expect(generatePeople(tenantA, 200, 43).map((p) => p.mrn)).not.toEqual(people.map((p) => p.mrn));
  });

  it('draws from a PRNG that repeats for a seed and stays in [0, 1)', () => {
    const a = prng(7);
    const b = prng(7);
    const draws = Array.from({ length: 1000 }, () => a.next());
    expect(draws).toEqual(Array.from({ length: 1000 }, () => b.next()));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
  });

  it('makes 200 people with unique MRNs, prefixes, and names in Chinese and Russian among them', () => {
    expect(people).toHaveLength(200);
    expect(new Set(people.map((p) => p.mrn)).size).toBe(200);
    expect(new Set(people.map((p) => p.id)).size).toBe(200);
    expect(people.every((p) => p.prefix && p.given.length && p.family && /^\d{4}-\d{2}-\d{2}$/.test(p.birthDate))).toBe(true);
    expect(people.some((p) => /\p{Script=Han}/u.test(p.family))).toBe(true);
    expect(people.some((p) => /\p{Script=Cyrillic}/u.test(p.family))).toBe(true);
  });

  it('gives everyone several readings of every vital sign over time and an inpatient stay with room and bed', () => {
    for (const p of people.slice(0, 20)) {
      const kinds = new Map<string, Set<string>>();
      for (const v of p.vitals) kinds.set(v.kind, (kinds.get(v.kind) ?? new Set()).add(v.time));
      expect([...kinds.keys()].sort()).toEqual(['bloodPressure', 'bmi', 'heartRate', 'height', 'respiratoryRate', 'spo2', 'temperature', 'weight']);
      expect(kinds.get('heartRate')!.size).toBeGreaterThanOrEqual(3);
      expect(kinds.get('weight')!.size).toBeGreaterThanOrEqual(2);
      const stay = p.encounters.at(-1)!;
      expect(stay).toMatchObject({ inpatient: true, status: 'in-progress' });
      expect(stay.location).toMatch(/^Room \d+, Bed [A-D]$/);
    }
    expect(people.some((p) => p.conditions.length && p.allergies.length && p.medications.length)).toBe(true);
  });
});

describe('writing a person in each release', () => {
  const person = people.find((p) => p.conditions.length && p.allergies.length && p.medications.length)!;
  const [dstu2, stu3, r4] = (['dstu2', 'stu3', 'r4'] as const).map((v) => writePerson(shapes[v], person));

  it('writes the same patient, MRN and values in every release', () => {
    for (const resources of [dstu2, stu3, r4]) {
      const patient = ofType(resources, 'Patient')[0];
      expect(patient.identifier[0]).toMatchObject({ value: person.mrn, type: { coding: [{ code: 'MR' }] } });
      expect(patient.name[0].given).toEqual(person.given);
      expect(patient.name[0].prefix).toEqual([person.prefix]);
      expect(patient.birthDate).toBe(person.birthDate);
      expect(ofType(resources, 'Observation').map((o) => o.valueQuantity?.value ?? o.component[0].valueQuantity.value)).toEqual(
        person.vitals.map((v) => v.value),
      );
    }
    expect(ofType(dstu2, 'Patient')[0].identifier[0].type.coding[0].system).toBe('http://hl7.org/fhir/v2/0203');
    expect(ofType(stu3, 'Patient')[0].identifier[0].type.coding[0].system).toBe('http://hl7.org/fhir/v2/0203');
    expect(ofType(r4, 'Patient')[0].identifier[0].type.coding[0].system).toBe('http://terminology.hl7.org/CodeSystem/v2-0203');
  });

  it('writes DSTU2 shapes: family array, careProvider, single category, MedicationOrder, dateRecorded, substance, plan and issuer', () => {
    const patient = ofType(dstu2, 'Patient')[0];
    expect(patient.name[0].family).toEqual([person.family]);
    expect(patient.careProvider[0].display).toMatch(/^Dr\. /);
    expect(patient.generalPractitioner).toBeUndefined();
    const obs = ofType(dstu2, 'Observation')[0];
    expect(obs.category).toMatchObject({ coding: [{ system: 'http://hl7.org/fhir/observation-category', code: 'vital-signs' }] });
    expect(ofType(dstu2, 'MedicationRequest')).toEqual([]);
    const order = ofType(dstu2, 'MedicationOrder')[0];
    expect(order).toMatchObject({
      patient: { reference: `Patient/${person.id}` },
      dateWritten: person.medications[0].authored,
      prescriber: { display: patient.careProvider[0].display },
      dosageInstruction: [{ text: person.medications[0].dosage }],
    });
    expect(ofType(dstu2, 'Condition')[0]).toMatchObject({
      patient: { reference: `Patient/${person.id}` },
      dateRecorded: person.conditions[0].recorded,
      clinicalStatus: 'active',
      severity: { text: expect.any(String) },
    });
    const allergy = ofType(dstu2, 'AllergyIntolerance')[0];
    expect(allergy).toMatchObject({
      substance: { text: person.allergies[0].substance },
      status: 'confirmed',
      criticality: expect.stringMatching(/^CRIT[LH]$/),
    });
    expect(allergy.reaction[0].manifestation[0].text).toBe(person.allergies[0].manifestation);
    expect(ofType(dstu2, 'Coverage')[0]).toMatchObject({
      plan: person.coverage.plan,
      issuer: { display: person.coverage.payer },
      subscriberId: { value: person.coverage.subscriberId },
      period: { start: '2026-01-01' },
    });
    expect(ofType(dstu2, 'Encounter').at(-1)).toMatchObject({
      patient: { reference: `Patient/${person.id}` },
      class: 'inpatient',
      location: [{ location: { display: person.encounters.at(-1)!.location } }],
    });
    const doctor = writePractitioner(shapes.dstu2, person.practitioner);
    expect(Array.isArray(doctor.name)).toBe(false);
    expect(doctor.name.family).toEqual([person.practitioner.family]);
  });

  it('writes STU3 shapes: category array, assertedDate, requester.agent, grouping and payor', () => {
    expect(ofType(stu3, 'Patient')[0].name[0].family).toBe(person.family);
    expect(ofType(stu3, 'Patient')[0].generalPractitioner).toHaveLength(1);
    expect(ofType(stu3, 'Observation')[0].category).toEqual([
      expect.objectContaining({ coding: [expect.objectContaining({ system: 'http://hl7.org/fhir/observation-category' })] }),
    ]);
    expect(ofType(stu3, 'Condition')[0]).toMatchObject({
      subject: { reference: `Patient/${person.id}` },
      assertedDate: person.conditions[0].recorded,
    });
    expect(ofType(stu3, 'MedicationRequest')[0]).toMatchObject({
      authoredOn: person.medications[0].authored,
      requester: { agent: { reference: `Practitioner/${person.practitioner.id}` } },
    });
    expect(ofType(stu3, 'AllergyIntolerance')[0]).toMatchObject({
      code: { text: person.allergies[0].substance },
      clinicalStatus: 'active',
      verificationStatus: 'confirmed',
    });
    expect(ofType(stu3, 'Coverage')[0]).toMatchObject({
      grouping: { groupDisplay: person.coverage.group, planDisplay: person.coverage.plan },
      payor: [{ display: person.coverage.payer }],
      subscriberId: person.coverage.subscriberId,
    });
    expect(Array.isArray(writePractitioner(shapes.stu3, person.practitioner).name)).toBe(true);
  });

  it('writes R4 shapes: terminology systems, recordedDate, requester, class[] and CodeableConcept statuses', () => {
    expect(ofType(r4, 'Observation')[0].category[0].coding[0].system).toBe('http://terminology.hl7.org/CodeSystem/observation-category');
    expect(ofType(r4, 'Condition')[0]).toMatchObject({
      recordedDate: person.conditions[0].recorded,
      clinicalStatus: { coding: [{ code: 'active' }] },
    });
    expect(ofType(r4, 'Condition')[0].assertedDate).toBeUndefined();
    expect(ofType(r4, 'MedicationRequest')[0].requester).toMatchObject({ reference: `Practitioner/${person.practitioner.id}` });
    const coverage = ofType(r4, 'Coverage')[0];
    expect(coverage.class.map((c: { type: { coding: { code: string }[] }; value: string }) => [c.type.coding[0].code, c.value])).toEqual([
      ['group', person.coverage.group],
      ['plan', person.coverage.plan],
    ]);
    expect(coverage.beneficiary.reference).toBe(`Patient/${person.id}`);
    const bp = ofType(r4, 'Observation').find((o) => o.code.coding[0].code === '85354-9')!;
    expect(bp.component.map((c: { code: { coding: { code: string }[] } }) => c.code.coding[0].code)).toEqual(['8480-6', '8462-4']);
  });
});
