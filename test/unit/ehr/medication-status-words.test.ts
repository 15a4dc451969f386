import { describe, expect, it } from 'vitest';
import { medicationGroup, prohibitionEnded } from '../../../contract/medication-groups.js';
import { readMedications } from '../../../server/ehr/clinical/medications.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import type { Release } from './clinical-records.js';
import { shown } from './medication-cell.js';

/**
 * A medication order's or statement's status (a `code` in DSTU2, STU3 and R4, a modifier) stated
 * but none of its value set's codes: written "Active" or "ON HOLD", or in the EHR's own system only
 * (`urn:oid:…` display "Active"). It made the record not current: the drug silently dropped out of
 * the list cell. It is read by its words; one that still cannot be read stays listed, marked
 * "check in EHR". So is STU3 MedicationStatement.taken ("N" was read as taken). And an order not to give a drug that has been stopped, completed, cancelled or
 * has ended no longer sat apart from one in force: the details listed it under "do not give".
 */
const OWN = 'urn:oid:1.2.840.114350.1.13.0.1.7.4.698084.10';
const DO_NOT_PERFORM = 'http://hl7.org/fhir/StructureDefinition/request-doNotPerform';

const order = (release: Release, status: unknown, extra: JsonObject = {}): JsonObject => ({
  resourceType: release === 'DSTU2' ? 'MedicationOrder' : 'MedicationRequest',
  id: 'o1',
  status,
  ...(release === 'DSTU2' ? { dateWritten: '2026-12-01' } : { intent: 'order', authoredOn: '2026-12-01' }),
  medicationCodeableConcept: { text: 'Enoxaparin 40 mg' },
  ...extra,
});
const statement = (release: Release, status: unknown): JsonObject => ({
  resourceType: 'MedicationStatement',
  id: 's1',
  status,
  ...(release === 'DSTU2' ? { patient: { reference: 'Patient/p1' } } : { subject: { reference: 'Patient/p1' } }),
  effectiveDateTime: '2026-11-20',
  medicationCodeableConcept: { text: 'Metformin 500 mg' },
});
/** An order not to give warfarin, as each version writes it. */
const doNotGive = (release: Release, status: unknown, extra: JsonObject = {}): JsonObject =>
  order(release, status, {
    medicationCodeableConcept: { text: 'Warfarin 5 mg' },
    ...(release === 'R4' ? { doNotPerform: true } : { modifierExtension: [{ url: DO_NOT_PERFORM, valueBoolean: true }] }),
    ...extra,
  });
/** A status in the EHR's own code system, with words (invalid for a `code`, yet sent). */
const own = (code: string, display?: string) => ({ coding: [{ system: OWN, code, ...(display ? { display } : {}) }] });

describe.each(['DSTU2', 'STU3', 'R4'] as Release[])('a medication status in words or in the EHR’s own code (%s)', (release) => {
  it.each<[string, unknown, string]>([
    ['"Active"', 'Active', 'Enoxaparin 40 mg'],
    ['"ACTIVE"', 'ACTIVE', 'Enoxaparin 40 mg'],
    ['"On Hold"', 'On Hold', 'Enoxaparin 40 mg (on hold)'],
    ['an own code shown "Active"', own('1', 'Active'), 'Enoxaparin 40 mg'],
  ])('an order whose status is %s is listed as its code says', (_, status, text) => {
    expect(shown([order(release, status)])).toEqual({ tab: text, csv: text });
    expect(readMedications([order(release, status)], new Map())[0].qualified).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['"Active"', 'Active'],
    ['an own code shown "Active"', own('1', 'Active')],
  ])('a statement whose status is %s is listed plainly', (_, status) => {
    expect(shown([statement(release, status)])).toEqual({ tab: 'Metformin 500 mg', csv: 'Metformin 500 mg' });
  });

  it('one read as history by its words is history: "Completed", "Entered in error"', () => {
    for (const status of ['Completed', 'COMPLETED', 'Entered in error', own('3', 'Completed')]) {
      expect(shown([order(release, status)]).tab).toBe('None recorded');
      expect(shown([statement(release, status)]).tab).toBe('None recorded');
    }
    expect(medicationGroup(readMedications([order(release, 'Entered In Error')], new Map())[0])).toBe('entered-in-error');
  });

  it.each<[string, unknown]>([
    ['an unknown local code', 'verified-by-pharmacy'],
    ['an own code without words', own('7')],
    ['an own code with words the app does not know', own('9', 'Dispensed')],
  ])('%s: still listed, marked "check in EHR" in the tab and the CSV, never hidden', (_, status) => {
    expect(shown([order(release, status)])).toEqual({ tab: 'Enoxaparin 40 mg (check in EHR)', csv: 'Enoxaparin 40 mg (check in EHR)' });
    expect(shown([statement(release, status)])).toEqual({ tab: 'Metformin 500 mg (check in EHR)', csv: 'Metformin 500 mg (check in EHR)' });
    expect(readMedications([order(release, status)], new Map())[0]).toMatchObject({ current: true, qualified: true, status: null });
  });

  it('an order not to give the drug whose status cannot be read is still no drug the patient is on, and still forbids it', () => {
    const [view] = readMedications([doNotGive(release, own('7'))], new Map());
    expect(view.current).toBe(false);
    expect(medicationGroup(view)).toBe('do-not-perform');
    // The same drug ordered beside it: one of the two is wrong.
    const given = order(release, 'active', { id: 'o2', medicationCodeableConcept: { text: 'Warfarin 5 mg' } });
    expect(shown([given, doNotGive(release, own('7'))]).tab).toBe('Warfarin 5 mg (check in EHR)');
  });
});

describe.each(['DSTU2', 'STU3', 'R4'] as Release[])('an order not to give a drug that no longer applies (%s)', (release) => {
  const ended = { dosageInstruction: [{ text: 'daily', timing: { repeat: { boundsPeriod: { start: '2024-01-01', end: '2024-02-01' } } } }] };
  const view = (r: JsonObject) => readMedications([r], new Map())[0];

  it.each(['stopped', 'completed', 'cancelled'])('%s: in its status group, still read as "do not give"', (status) => {
    const v = view(doNotGive(release, status));
    expect(medicationGroup(v)).toBe(status);
    expect(prohibitionEnded(v)).toBe(true);
    expect(v.current).toBe(false);
  });

  it('an active one whose schedule has ended reads "ended", still a prohibition, not current', () => {
    const v = view(doNotGive(release, 'active', ended));
    expect(v).toMatchObject({ status: 'ended', doNotPerform: true, current: false });
    expect(medicationGroup(v)).toBe('ended');
    expect(prohibitionEnded(v)).toBe(true);
  });

  it('one in force stays under "do not give"', () => {
    for (const status of ['active', 'on-hold', 'Active']) {
      const v = view(doNotGive(release, status));
      expect(medicationGroup(v)).toBe('do-not-perform');
      expect(prohibitionEnded(v)).toBe(false);
    }
  });

  it('an ended prohibition no longer marks the same drug ordered since "check in EHR"', () => {
    const given = order(release, 'active', { id: 'o2', medicationCodeableConcept: { text: 'Warfarin 5 mg' } });
    expect(shown([given, doNotGive(release, 'stopped')]).tab).toBe('Warfarin 5 mg');
    expect(shown([given, doNotGive(release, 'active')]).tab).toBe('Warfarin 5 mg (check in EHR)');
  });
});

describe('STU3 MedicationStatement.taken written in other case, or in words the app cannot read', () => {
  const taken = (value: unknown): JsonObject => ({ ...statement('STU3', 'active'), taken: value });

  it('"N" is a statement that the drug was not taken: never listed as current', () => {
    expect(shown([taken('N')]).tab).toBe('None recorded');
    expect(medicationGroup(readMedications([taken('N')], new Map())[0])).toBe('not-taken');
  });

  it('"Y" is taken, "UNK" not known to be taken: as their codes read', () => {
    expect(shown([taken('Y')])).toEqual(shown([taken('y')]));
    expect(shown([taken('UNK')])).toEqual(shown([taken('unk')]));
    expect(shown([taken('unk')]).tab).not.toBe('Metformin 500 mg');
  });

  it.each(['No', 'maybe'])('%s: listed, marked "check in EHR", never plainly taken nor hidden', (value) => {
    expect(shown([taken(value)])).toEqual({ tab: 'Metformin 500 mg (check in EHR)', csv: 'Metformin 500 mg (check in EHR)' });
  });
});
