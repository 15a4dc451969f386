import { describe, expect, it } from 'vitest';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import { CLINICAL_PARTS } from '../../../server/ehr/clinical/types.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { adapterFor } from '../../../server/ehr/adapters/index.js';

/**
 * A hostile or broken EHR can put an object where FHIR has a string or a code. An object whose own
 * `toString` is no function (`{"toString":1}`, valid JSON) makes `String(x)` throw; one named
 * `constructor` or `toString` finds Object.prototype's members in a plain lookup table. Either
 * would make the part "not available" for the patient (or, outside the mappers, fail the read).
 * Each record is read as what it says, its odd fields as nothing.
 */
const odd = () => JSON.parse('{"toString":1,"valueOf":1}');
const patient = { reference: 'Patient/p1' };

/** One record of each kind the list reads, with odd values in the fields it reads as strings. */
const records = () => [
  { resourceType: odd(), id: 'x1', subject: patient },
  { resourceType: 'Observation', id: 'o1', status: odd(), subject: patient, code: { coding: [{ system: odd(), code: odd() }] } },
  {
    resourceType: 'Observation',
    id: 'o2',
    status: 'final',
    subject: patient,
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
    effectiveDateTime: '2026-12-01T10:00:00Z',
    valueQuantity: { value: 80, unit: odd(), system: odd(), code: odd() },
    related: [{ type: odd(), target: { reference: odd() } }],
  },
  {
    resourceType: 'MedicationRequest',
    id: 'm1',
    status: 'active',
    intent: 'order',
    subject: patient,
    medicationCodeableConcept: { text: 'Warfarin', coding: [{ system: odd(), code: odd() }] },
    extension: [{ url: odd(), valueBoolean: true }],
    modifierExtension: [{ url: odd(), valueBoolean: true }],
    dosageInstruction: [{ doseAndRate: [{ type: { coding: [{ system: odd(), code: 'ordered' }] } }] }],
  },
  {
    resourceType: 'MedicationOrder',
    id: 'm2',
    status: 'active',
    patient,
    medicationCodeableConcept: { text: 'Heparin' },
    extension: [{ url: odd() }],
  },
  {
    resourceType: 'Coverage',
    id: 'c1',
    status: 'active',
    beneficiary: { reference: odd() },
    payor: [{ reference: odd(), type: odd() }],
    type: { coding: [{ system: odd(), code: 'pay' }] },
  },
  {
    resourceType: 'Condition',
    id: 'd1',
    subject: patient,
    code: { text: 'Asthma' },
    clinicalStatus: odd(),
    category: [{ coding: [{ code: odd() }] }],
  },
  {
    resourceType: 'AllergyIntolerance',
    id: 'a1',
    patient,
    extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/allergyintolerance-substanceExposureRisk', extension: [{ url: odd() }] }],
  },
  {
    resourceType: 'Encounter',
    id: 'e1',
    subject: patient,
    status: odd(),
    class: { system: odd(), code: odd() },
    location: [{ location: { reference: '#x' } }],
    contained: [{ resourceType: odd(), id: 'x' }],
  },
];

describe('records with objects where FHIR has strings', () => {
  it.each(CLINICAL_PARTS)('the %s part reads them, for the list and the details, never as a part that failed', (part) => {
    for (const history of [false, true]) {
      const warnings = new Warnings();
      const cells = assemblePart(part, { ok: true, set: { resources: records(), included: records() } }, new Map(), warnings, { history });
      // A mapper that threw is caught as the last line of defence: the part then reads "not available" (mapping_failed).
      expect(warnings.list().map((w) => w.code)).not.toContain('mapping_failed');
      for (const cell of Object.values(cells)) expect(cell).not.toMatchObject({ status: 'unavailable' });
    }
  });

  it.each(['DSTU2', 'STU3', 'R4'] as const)('a %s Patient with odd name uses and link types is read, its odd parts as nothing', (release) => {
    const summary = adapterFor(release).toPatientSummary({
      resourceType: 'Patient',
      id: 'p1',
      name: [
        { use: odd(), family: 'Odd', given: ['Ann'] },
        { use: 'constructor', family: 'Proto', given: ['Ann'] },
        { use: 'official', family: 'Smith', given: ['Ann'] },
      ],
      link: [{ type: odd(), other: { reference: 'Patient/p2' } }],
    });
    expect(summary).toMatchObject({ id: 'p1', displayName: 'Ann Smith', recordNotice: null });
  });
});

/**
 * An EHR can send, as any code, a name Object.prototype carries (`constructor`, `toString`,
 * `__proto__`…). Every table the app reads codes with finds only its own entries (lookupTable): such
 * a code is read as the unknown code it is, never as a function ("function Object() { [native
 * code] }" in a cell) or a number that is no number.
 */
const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty', 'isPrototypeOf'];
const coded = (code: string) => ({
  coding: [
    { system: code, code },
    { system: 'http://snomed.info/sct', code },
  ],
  text: undefined,
});
const protoRecords = (code: string) => [
  {
    resourceType: 'AllergyIntolerance',
    id: 'a1',
    patient,
    criticality: code,
    code: coded(code),
    substance: coded(code),
    reaction: [{ severity: code, manifestation: [coded(code)], substance: coded(code) }],
  },
  {
    resourceType: 'MedicationRequest',
    id: 'm1',
    status: 'active',
    intent: 'order',
    subject: patient,
    medicationCodeableConcept: { text: 'Heparin' },
    dosageInstruction: [
      {
        timing: {
          repeat: {
            when: [code],
            offset: 30,
            frequency: 1,
            period: 1,
            periodUnit: code,
            duration: 2,
            durationUnit: code,
            boundsDuration: { value: 3, unit: code, code },
          },
        },
        doseQuantity: { value: 5, unit: code },
      },
    ],
    dispenseRequest: { expectedSupplyDuration: { value: 3, unit: code, code } },
  },
  {
    resourceType: 'Observation',
    id: 'o1',
    status: 'final',
    subject: patient,
    code: { coding: [{ system: 'http://loinc.org', code: '59408-5' }] },
    effectiveDateTime: '2026-12-01T10:00:00Z',
    valueQuantity: { value: 93, unit: code, system: 'http://unitsofmeasure.org', code },
    interpretation: [coded(code)],
    component: [{ code: { coding: [{ system: 'http://loinc.org', code: '3151-8' }] }, valueQuantity: { value: 2, unit: code, code } }],
  },
  {
    resourceType: 'Encounter',
    id: 'e1',
    subject: patient,
    status: 'in-progress',
    class: code,
    period: { start: '2026-11-30T10:00:00Z' },
    location: [{ status: code, location: { reference: 'Location/l1', display: 'Ward 5' }, physicalType: coded(code) }],
  },
  { resourceType: 'Condition', id: 'd1', subject: patient, code: { text: 'Asthma' }, clinicalStatus: code, onsetAge: { value: 3, unit: code, code } },
];

describe('records whose codes are the names of Object.prototype members', () => {
  it.each(PROTOTYPE_NAMES)('“%s” is read as an unknown code in every part, never as a function', (code) => {
    for (const part of CLINICAL_PARTS)
      for (const history of [false, true]) {
        const warnings = new Warnings();
        const cells = assemblePart(part, { ok: true, set: { resources: protoRecords(code), included: [] } }, new Map(), warnings, { history });
        expect(warnings.list().map((w) => w.code)).not.toContain('mapping_failed');
        const text = JSON.stringify(cells);
        expect(text, `${part} ${code}`).not.toMatch(/native code|function|NaN/);
      }
  });
});
