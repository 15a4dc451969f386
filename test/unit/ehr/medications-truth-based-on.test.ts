import { describe, expect, it } from 'vitest';
import { showCell } from '../../../client/shared/cells';
import { medicationGroup } from '../../../contract/medication-groups.js';
import { assemblePart, indexMedications } from '../../../server/ehr/clinical/assemble.js';
import { readMedications } from '../../../server/ehr/clinical/medications.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';

/**
 * MedicationRequest.basedOn (STU3 https://hl7.org/fhir/STU3/medicationrequest-definitions.html#MedicationRequest.basedOn,
 * R4 https://hl7.org/fhir/R4/medicationrequest-definitions.html#MedicationRequest.basedOn): "a plan,
 * proposal or order that is fulfilled in whole or in part by this request". It says the request
 * fulfils another, not that it gives the same drug. A request is part of the one it is based on only
 * when both name the same drug: the same Medication, a shared Coding (system + code), or, when
 * neither is coded, the same drug words. Otherwise both stay current: a `reflex-order` of potassium
 * chloride based on an insulin infusion order (medicationrequest-intent, R4
 * https://hl7.org/fhir/R4/valueset-medicationrequest-intent.html) is a second drug the patient gets.
 */
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const INSULIN = {
  coding: [{ system: RXNORM, code: '5856', display: 'Insulin regular, human' }],
  text: 'Insulin regular 100 units/100 mL IV infusion',
};
const POTASSIUM = { coding: [{ system: RXNORM, code: '8591', display: 'Potassium chloride' }], text: 'Potassium chloride 20 mmol IV' };

const request = (id: string, intent: string, drug: JsonObject, extra: JsonObject = {}): JsonObject => ({
  resourceType: 'MedicationRequest',
  id,
  status: 'active',
  intent,
  authoredOn: '2026-05-30T08:00:00Z',
  ...drug,
  ...extra,
});
const basedOn = (id: string) => ({ basedOn: [{ reference: `MedicationRequest/${id}` }] });

function cell(resources: JsonObject[], included: JsonObject[] = []) {
  const cells = assemblePart('medications', { ok: true, set: { resources, included } }, indexMedications(included), new Warnings());
  const clinical = { careProvider: { status: 'none' }, warnings: [], ...cells } as unknown as PatientClinical;
  const shown = cellsFor(['medications'], clinical, undefined).medications;
  return showCell('medications', shown).full ?? showCell('medications', shown).text;
}

describe('a current request based on another current request of ANOTHER drug (rule: merged only for the same drug)', () => {
  it('coded: a reflex-order of potassium chloride based on an insulin infusion stays current, beside it', () => {
    const resources = [
      request('ins', 'original-order', { medicationCodeableConcept: INSULIN }),
      request('k', 'reflex-order', { medicationCodeableConcept: POTASSIUM }, basedOn('ins')),
    ];
    const views = readMedications(resources, new Map());
    for (const name of [INSULIN.text, POTASSIUM.text]) {
      const view = views.find((v) => v.name === name);
      expect(view, name).toMatchObject({ current: true });
      expect(view?.partOf, name).toBeUndefined();
    }
    expect(cell(resources)).toContain(POTASSIUM.text);
    expect(cell(resources)).toContain(INSULIN.text);
  });

  it('uncoded, two drugs in words: both current', () => {
    const resources = [
      request('ins', 'order', { medicationCodeableConcept: { text: INSULIN.text } }),
      request('k', 'reflex-order', { medicationCodeableConcept: { text: POTASSIUM.text } }, basedOn('ins')),
    ];
    expect(readMedications(resources, new Map()).every((v) => v.current && v.partOf === undefined)).toBe(true);
  });

  it('two different Medications by reference: both current', () => {
    const included = [
      { resourceType: 'Medication', id: 'ins', code: INSULIN },
      { resourceType: 'Medication', id: 'k', code: POTASSIUM },
    ];
    const resources = [
      request('o1', 'order', { medicationReference: { reference: 'Medication/ins' } }),
      request('o2', 'reflex-order', { medicationReference: { reference: 'Medication/k' } }, basedOn('o1')),
    ];
    expect(readMedications(resources, indexMedications(included)).every((v) => v.current && v.partOf === undefined)).toBe(true);
  });

  it('one coded, the other not: not known to be the same drug, both current (shown twice rather than one hidden)', () => {
    const resources = [
      request('o1', 'order', { medicationCodeableConcept: INSULIN }),
      request('f1', 'filler-order', { medicationCodeableConcept: { text: 'Insulin regular 100 units in NS 100 mL' } }, basedOn('o1')),
    ];
    expect(readMedications(resources, new Map()).every((v) => v.current)).toBe(true);
  });

  it('an order based on a current plan of another drug does not carry it out: the plan stays current, marked plan', () => {
    const resources = [
      request('p1', 'plan', { medicationCodeableConcept: { text: 'Warfarin 5 mg PO daily' } }),
      request('o1', 'order', { medicationCodeableConcept: { text: 'Enoxaparin 80 mg SC every 12 h' } }, basedOn('p1')),
    ];
    const views = readMedications(resources, new Map());
    expect(views.find((v) => v.intent === 'plan')).toMatchObject({ current: true });
    expect(medicationGroup(views.find((v) => v.intent === 'plan')!)).toBe('plan');
    expect(views.find((v) => v.intent === 'order')).toMatchObject({ current: true });
  });
});

describe('a current request based on another current request of the SAME drug is still part of it', () => {
  it('a shared coding (same system and code), whatever the words', () => {
    const resources = [
      request('o1', 'order', {
        medicationCodeableConcept: { coding: [{ system: RXNORM, code: '11124' }], text: 'Vancomycin 1 g IV every 12 hours' },
      }),
      request(
        'f1',
        'filler-order',
        { medicationCodeableConcept: { coding: [{ system: RXNORM, code: '11124' }], text: 'Vancocin 1,000 mg in NS 250 mL' } },
        basedOn('o1'),
      ),
    ];
    const views = readMedications(resources, new Map());
    expect(views.filter((v) => v.current).map((v) => v.name)).toEqual(['Vancomycin 1 g IV every 12 hours']);
    expect(views.find((v) => v.intent === 'filler-order')).toMatchObject({ current: false, partOf: 'Vancomycin 1 g IV every 12 hours' });
  });

  it('the same Medication reference', () => {
    const included = [{ resourceType: 'Medication', id: 'v', code: { text: 'Vancomycin 1 g vial' } }];
    const resources = [
      request('o1', 'order', { medicationReference: { reference: 'Medication/v' } }),
      request('i1', 'instance-order', { medicationReference: { reference: 'Medication/v' } }, basedOn('o1')),
    ];
    const views = readMedications(resources, indexMedications(included));
    expect(views.filter((v) => v.current)).toHaveLength(1);
    expect(views.find((v) => v.intent === 'instance-order')).toMatchObject({ current: false, partOf: 'Vancomycin 1 g vial' });
  });

  it('uncoded, the same drug words before the dose', () => {
    const resources = [
      request('o1', 'order', { medicationCodeableConcept: { text: 'Vancomycin 1 g IV every 12 hours' } }),
      request('i1', 'instance-order', { medicationCodeableConcept: { text: 'vancomycin  1 g IV (dose due 20:00)' } }, basedOn('o1')),
    ];
    expect(readMedications(resources, new Map()).filter((v) => v.current)).toHaveLength(1);
  });
});
