import { describe, expect, it } from 'vitest';
import { medicationGroup } from '../../../contract/medication-groups.js';
import { readMedications } from '../../../server/ehr/clinical/medications.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import type { Release } from './clinical-records.js';
import { shown } from './medication-cell.js';

/**
 * What an order not to give a drug says, and what it no longer says. R4 MedicationRequest.doNotPerform
 * ("the provider is asking for the medication request not to occur"), on STU3 MedicationRequest and
 * DSTU2 MedicationOrder the standard extension request-doNotPerform.
 * - A current order or statement of a drug an order in force says not to give is marked "check in
 *   EHR" in the list cell, the tab and the CSV: one of the two records is wrong.
 * - A record entered in error (medication-order-status, medicationrequest-status,
 *   medication-statement-status) is grouped "entered in error", never "do not give", "not taken"
 *   or "proposal" next to the records that are in force.
 */
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const WARFARIN = { coding: [{ system: RXNORM, code: '855332' }], text: 'Warfarin 5 mg tablet' };
const DO_NOT_PERFORM = 'http://hl7.org/fhir/StructureDefinition/request-doNotPerform';

const order = (release: Release, id: string, drug: JsonObject, extra: JsonObject = {}): JsonObject => ({
  resourceType: release === 'DSTU2' ? 'MedicationOrder' : 'MedicationRequest',
  id,
  status: 'active',
  ...(release === 'DSTU2' ? { dateWritten: '2026-12-01' } : { intent: 'order', authoredOn: '2026-12-01' }),
  medicationCodeableConcept: drug,
  ...extra,
});
/** An order not to give the drug, as each version writes it. */
const doNotGive = (release: Release, id: string, drug: JsonObject, extra: JsonObject = {}): JsonObject =>
  order(release, id, drug, {
    ...(release === 'R4' ? { doNotPerform: true } : { modifierExtension: [{ url: DO_NOT_PERFORM, valueBoolean: true }] }),
    ...extra,
  });
const statement = (release: Release, drug: JsonObject, extra: JsonObject = {}): JsonObject => ({
  resourceType: 'MedicationStatement',
  id: 's1',
  status: 'active',
  ...(release === 'DSTU2' ? { patient: { reference: 'Patient/p1' } } : { subject: { reference: 'Patient/p1' } }),
  ...(release === 'STU3' ? { taken: 'y' } : {}),
  effectiveDateTime: '2026-11-20',
  medicationCodeableConcept: drug,
  ...extra,
});
const groups = (resources: JsonObject[]) => readMedications(resources, new Map()).map((v) => [v.name, medicationGroup(v)]);

describe.each(['DSTU2', 'STU3', 'R4'] as Release[])('an order not to give a drug (%s)', (release) => {
  it('the same drug ordered as well: listed "check in EHR" in the tab and the CSV', () => {
    const records = [order(release, 'o1', WARFARIN), doNotGive(release, 'o2', { ...WARFARIN, text: 'Warfarin' })];
    expect(shown(records)).toEqual({ tab: 'Warfarin 5 mg tablet (check in EHR)', csv: 'Warfarin 5 mg tablet (check in EHR)' });
    expect(groups(records)).toEqual([
      ['Warfarin 5 mg tablet', 'active'],
      ['Warfarin', 'do-not-perform'],
    ]);
  });

  it('a statement that the patient takes it, or an order named by the same words: marked alike', () => {
    expect(shown([statement(release, WARFARIN), doNotGive(release, 'o2', WARFARIN)]).tab).toBe('Warfarin 5 mg tablet (check in EHR)');
    const uncoded = [order(release, 'o1', { text: 'Heparin 5,000 units' }), doNotGive(release, 'o2', { text: 'Heparin' })];
    expect(shown(uncoded).tab).toBe('Heparin 5,000 units (check in EHR)');
    // A coded order and an uncoded "do not give" of the same drug words.
    expect(shown([order(release, 'o1', WARFARIN), doNotGive(release, 'o2', { text: 'Warfarin' })]).tab).toBe('Warfarin 5 mg tablet (check in EHR)');
  });

  it('another drug, or a "do not give" order no longer in force or entered in error: shown plain', () => {
    expect(shown([order(release, 'o1', WARFARIN), doNotGive(release, 'o2', { text: 'Aspirin' })]).tab).toBe('Warfarin 5 mg tablet');
    for (const status of ['stopped', 'completed', 'entered-in-error', ...(release === 'DSTU2' ? [] : ['cancelled'])])
      expect(shown([order(release, 'o1', WARFARIN), doNotGive(release, 'o2', WARFARIN, { status })]).tab).toBe('Warfarin 5 mg tablet');
    const ended =
      release === 'DSTU2' ? { dateEnded: '2026-01-02' } : { dosageInstruction: [{ timing: { repeat: { boundsPeriod: { end: '2026-01-02' } } } }] };
    expect(shown([order(release, 'o1', WARFARIN), doNotGive(release, 'o2', WARFARIN, ended)]).tab).toBe('Warfarin 5 mg tablet');
  });

  it('a "do not give" order entered in error: grouped entered in error, after the records in force', () => {
    const records = [
      doNotGive(release, 'o2', WARFARIN, { status: 'entered-in-error' }),
      order(release, 'o1', { text: 'Aspirin 81 mg' }, { status: 'stopped' }),
    ];
    expect(groups(records)).toEqual([
      ['Aspirin 81 mg', 'stopped'],
      ['Warfarin 5 mg tablet', 'entered-in-error'],
    ]);
  });
});

describe('other records entered in error keep no group of their own', () => {
  it.each([
    ['DSTU2', { wasNotTaken: true }],
    ['STU3', { taken: 'n' }],
  ] as const)('a %s statement "not taken" entered in error', (release, notTaken) => {
    expect(groups([statement(release, WARFARIN, { status: 'entered-in-error', ...notTaken })])).toEqual([
      ['Warfarin 5 mg tablet', 'entered-in-error'],
    ]);
  });

  it.each(['STU3', 'R4'] as const)('a %s proposal or option entered in error', (release) => {
    for (const intent of ['proposal', 'option'])
      expect(groups([order(release, 'o1', WARFARIN, { status: 'entered-in-error', intent })])).toEqual([
        ['Warfarin 5 mg tablet', 'entered-in-error'],
      ]);
  });
});
