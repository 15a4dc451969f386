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
