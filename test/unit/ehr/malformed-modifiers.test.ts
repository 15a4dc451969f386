import { describe, expect, it } from 'vitest';
import { adapterFor } from '../../../server/ehr/adapters/index.js';
import { readMedications } from '../../../server/ehr/clinical/medications.js';
import { fhirVersions } from '../../../contract/connection.js';

/**
 * A boolean modifier element (Patient.active, Patient.deceased[x], MedicationRequest.doNotPerform,
 * DSTU2 MedicationStatement.wasNotTaken) sent as something other than a JSON boolean says something
 * the app cannot read. It must never fall silently to the reassuring default (alive, active, to be
 * given, taken): the record is shown marked "check in the EHR".
 */
const MALFORMED: unknown[] = ['true', 'false', 1, 0, 'yes', {}, [], null];

describe.each(fhirVersions)('%s: a malformed boolean modifier on the patient', (version) => {
  const read = (extra: Record<string, unknown>) =>
    adapterFor(version).readPatient({ resourceType: 'Patient', id: 'p1', birthDate: '1945-02-02', ...extra })?.summary;

  it.each(MALFORMED)('deceasedBoolean %j marks the record "check in the EHR" instead of reading alive', (value) => {
    const summary = read({ deceasedBoolean: value });
    expect(summary?.recordNotice?.kind).toBe('qualified');
  });

  it.each(MALFORMED)('active %j marks the record "check in the EHR"', (value) => {
    expect(read({ active: value })?.recordNotice?.kind).toBe('qualified');
  });

  it('a JSON boolean reads as it says, with no mark', () => {
    expect(read({ deceasedBoolean: true })).toMatchObject({ deceased: { date: null }, recordNotice: null });
    expect(read({ deceasedBoolean: false })).toMatchObject({ deceased: null, recordNotice: null });
    expect(read({ active: true })?.recordNotice).toBeNull();
    expect(read({ active: false })?.recordNotice?.kind).toBe('inactive');
  });

  it('a record the EHR replaced keeps that notice whatever its other elements say', () => {
    const summary = read({ deceasedBoolean: 'true', link: [{ type: 'replaced-by', other: { reference: 'Patient/p2' } }] });
    expect(summary?.recordNotice).toMatchObject({ kind: 'replaced', replacedById: 'p2' });
  });
});

describe('a malformed boolean modifier on a medication record', () => {
  const order = (resourceType: string, extra: Record<string, unknown>) => ({
    resourceType,
    id: 'm1',
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { text: 'Warfarin 5 mg' },
    ...extra,
  });

  it.each([
    ['MedicationRequest', { doNotPerform: 'true' }],
    ['MedicationRequest', { doNotPerform: 1 }],
    ['MedicationOrder', { doNotPerform: 'true' }],
    ['MedicationStatement', { wasNotTaken: 'true' }],
  ])('%s %j is shown marked "check in the EHR"', (type, extra) => {
    const [view] = readMedications([order(type, extra)], new Map());
    expect(view).toMatchObject({ name: 'Warfarin 5 mg', qualified: true });
  });

  it('JSON booleans read as they say, with no mark', () => {
    // Read apart: an order of the drug beside an order not to give it is marked for that (medication-do-not-give-truth).
    const [given] = readMedications([order('MedicationRequest', { doNotPerform: false })], new Map());
    const [notGiven] = readMedications([order('MedicationRequest', { id: 'm2', doNotPerform: true })], new Map());
    expect(given?.qualified).toBeUndefined();
    expect(notGiven).toMatchObject({ doNotPerform: true });
    expect(notGiven?.qualified).toBeUndefined();
  });
});
