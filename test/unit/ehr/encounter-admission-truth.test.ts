import { describe, expect, it } from 'vitest';
import { readEncounters } from '../../../server/ehr/clinical/encounter.js';

/**
 * The admission date of a stay that began in the emergency department. Encounter.classHistory
 * (STU3 and R4; https://hl7.org/fhir/R4/encounter-definitions.html#Encounter.classHistory) "would be
 * used for a case where an admission starts of as an emergency encounter, then transitions into an
 * inpatient scenario", in one Encounter whose period.start is the emergency arrival. The admission
 * date is the start of the inpatient stay: the earliest start of an inpatient-class (v3 ActCode
 * IMP, ACUTE, NONAC) classHistory period; without one, period.start as before.
 */
const now = Date.parse('2026-06-15T12:00:00Z');
const systems = { STU3: 'http://hl7.org/fhir/v3/ActCode', R4: 'http://terminology.hl7.org/CodeSystem/v3-ActCode' };

describe.each(['STU3', 'R4'] as const)('the %s admission date with classHistory', (release) => {
  const coding = (code: string) => ({ system: systems[release], code });
  const read = (extra: Record<string, unknown>) =>
    readEncounters(
      [{ resourceType: 'Encounter', status: 'in-progress', class: coding('IMP'), period: { start: '2026-06-13T22:30:00Z' }, ...extra }],
      now,
    )[0];

  it('an admission from the emergency department is dated from the inpatient class, not the arrival', () => {
    const encounter = read({
      classHistory: [
        { class: coding('EMER'), period: { start: '2026-06-13T22:30:00Z', end: '2026-06-14T06:10:00Z' } },
        { class: coding('IMP'), period: { start: '2026-06-14T06:10:00Z' } },
      ],
    });
    expect(encounter.admission?.text).toBe('2026-06-14T06:10:00Z');
    // The encounter itself still starts at the arrival.
    expect(encounter.start?.text).toBe('2026-06-13T22:30:00Z');
  });

  it('the earliest inpatient period counts, whatever the order (acute is inpatient too)', () => {
    const encounter = read({
      classHistory: [
        { class: coding('IMP'), period: { start: '2026-06-14T09:00:00Z' } },
        { class: coding('EMER'), period: { start: '2026-06-13T22:30:00Z', end: '2026-06-14T06:10:00Z' } },
        { class: coding('ACUTE'), period: { start: '2026-06-14T06:10:00Z', end: '2026-06-14T09:00:00Z' } },
      ],
    });
    expect(encounter.admission?.text).toBe('2026-06-14T06:10:00Z');
  });

  it('without an inpatient classHistory period, period.start stays the admission date', () => {
    expect(read({}).admission?.text).toBe('2026-06-13T22:30:00Z');
    expect(read({ classHistory: [{ class: coding('EMER'), period: { start: '2026-06-13T20:00:00Z' } }] }).admission?.text).toBe(
      '2026-06-13T22:30:00Z',
    );
  });
});
