import { describe, expect, it } from 'vitest';
import { readMedications } from '../../../server/ehr/clinical/medications.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import { shown } from './medication-cell.js';

/**
 * Dosage.sequence (STU3 https://hl7.org/fhir/STU3/dosage-definitions.html#Dosage.sequence, R4
 * https://hl7.org/fhir/R4/dosage-definitions.html#Dosage.sequence): instructions of different
 * numbers run one after another, of the same number together. A length (boundsDuration, or count at
 * frequency per period) is timed from authoredOn only for the first group; each later group starts
 * when the one before ends (its longest instruction). When that order is not known (several
 * instructions, some without sequence; every DSTU2 MedicationOrder, which has no sequence), only an
 * absolute boundsPeriod.end ends an instruction. And an order whose schedule starts later
 * (Timing.repeat.boundsPeriod.start to come) reads `intended`, "Warfarin (intended)", as an active
 * statement not yet begun does.
 */
const DAY = 86_400_000;
const UCUM = 'http://unitsofmeasure.org';
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const day = (days: number) => at(days).slice(0, 10);

type Release = 'DSTU2' | 'STU3' | 'R4';
const order = (release: Release, name: string, written: string, dosageInstruction: JsonObject[]): JsonObject => ({
  resourceType: release === 'DSTU2' ? 'MedicationOrder' : 'MedicationRequest',
  status: 'active',
  ...(release === 'DSTU2' ? { dateWritten: written } : { intent: 'order', authoredOn: written }),
  medicationCodeableConcept: { text: name },
  dosageInstruction,
});
const daily = (extra: JsonObject) => ({ timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd', ...extra } } });
const days = (release: Release, value: number) => ({
  [release === 'DSTU2' ? 'boundsQuantity' : 'boundsDuration']: { value, unit: 'days', system: UCUM, code: 'd' },
});

describe.each(['STU3', 'R4'] as Release[])('a taper in sequenced steps (%s)', (release) => {
  const taper = (writtenDaysAgo: number, bound: (n: number) => JsonObject, extra: JsonObject[] = []) =>
    order(release, 'Prednisone', at(-writtenDaysAgo), [
      { sequence: 1, text: '40 mg daily for 5 days', ...daily(bound(5)) },
      { sequence: 2, text: 'then 20 mg daily for 5 days', ...daily(bound(5)) },
      ...extra,
    ]);
  const byDuration = (n: number) => days(release, n);
  const byCount = (n: number) => ({ count: n });

  it.each([
    ['boundsDuration', byDuration],
    ['count', byCount],
  ])('by %s: on day 7 of 5 + 5 days it is current, and the list names it', (_, bound) => {
    const o = taper(7, bound);
    expect(readMedications([o], new Map())[0]).toMatchObject({ status: 'active', current: true });
    expect(shown([o])).toEqual({ tab: 'Prednisone', csv: 'Prednisone' });
  });

  it.each([
    ['boundsDuration', byDuration],
    ['count', byCount],
  ])('by %s: on day 11 it has ended (both steps over)', (_, bound) => {
    const o = taper(11, bound);
    expect(readMedications([o], new Map())[0]).toMatchObject({ status: 'ended', current: false });
    expect(shown([o]).tab).toBe('None recorded');
  });

  it('instructions of one sequence number run together: the longest counts, the next step starts after it', () => {
    // Step 1: 5 days and, alongside, 3 days; step 2: 5 days. Day 9: step 2 runs (5 + 5), not over (3 + 5 = 8); over a day after day 10 (medications.ts DOSING_GRACE_MS).
    const o = taper(9, byDuration, []);
    (o.dosageInstruction as JsonObject[]).splice(1, 0, { sequence: 1, text: 'omeprazole cover 3 days', ...daily(days(release, 3)) });
    expect(readMedications([o], new Map())[0].current).toBe(true);
    expect(readMedications([{ ...o, authoredOn: at(-11.5) }], new Map())[0].current).toBe(false);
  });

  it('a step without an end leaves the steps after it running', () => {
    const o = order(release, 'Prednisone', at(-30), [
      { sequence: 1, text: '40 mg daily', ...daily({}) },
      { sequence: 2, text: 'then 20 mg daily for 5 days', ...daily(days(release, 5)) },
    ]);
    expect(readMedications([o], new Map())[0].current).toBe(true);
  });

  it('an instruction without sequence makes the order unknown: lengths never end it, an absolute end still does', () => {
    const unsequenced = order(release, 'Prednisone', at(-30), [
      { sequence: 1, text: '40 mg daily for 5 days', ...daily(days(release, 5)) },
      { text: 'then 20 mg daily for 5 days', ...daily(days(release, 5)) },
    ]);
    expect(readMedications([unsequenced], new Map())[0].current).toBe(true);
    const dated = order(release, 'Prednisone', at(-30), [
      { sequence: 1, ...daily({ boundsPeriod: { end: day(-20) } }) },
      { ...daily({ boundsPeriod: { end: day(-10) } }) },
    ]);
    expect(readMedications([dated], new Map())[0]).toMatchObject({ status: 'ended', current: false });
  });
});

describe('a DSTU2 MedicationOrder of several instructions (DSTU2 has no Dosage.sequence)', () => {
  it('two counted steps are not both timed from dateWritten: current on day 7 and still after 30 days', () => {
    for (const writtenDaysAgo of [7, 30]) {
      const o = order('DSTU2', 'Prednisone', at(-writtenDaysAgo), [
        { text: '40 mg daily x5', ...daily({ count: 5 }) },
        { text: 'then 20 mg daily x5', ...daily({ count: 5 }) },
      ]);
      expect(readMedications([o], new Map())[0]).toMatchObject({ status: 'active', current: true });
      expect(shown([o]).tab).toBe('Prednisone');
    }
  });

  it('ends when every instruction has an absolute boundsPeriod.end that has passed', () => {
    const o = order('DSTU2', 'Prednisone', at(-30), [daily({ boundsPeriod: { end: day(-20) } }), daily({ boundsPeriod: { end: day(-10) } })]);
    expect(readMedications([o], new Map())[0]).toMatchObject({ status: 'ended', current: false });
  });
});

describe.each(['DSTU2', 'STU3', 'R4'] as Release[])('an order whose schedule has not begun (%s)', (release) => {
  const starting = (start: string, extra: JsonObject = {}) =>
    order(release, 'Warfarin', at(-1), [{ text: '5 mg daily', timing: { repeat: { boundsPeriod: { start }, ...extra } } }]);

  it('starting in 7 days: current, status intended, "Warfarin (intended)" in the tab and the CSV', () => {
    const o = starting(day(7));
    expect(readMedications([o], new Map())[0]).toMatchObject({ status: 'intended', current: true });
    expect(shown([o])).toEqual({ tab: 'Warfarin (intended)', csv: 'Warfarin (intended)' });
  });

  it('begun yesterday, or an instruction already going beside it: a drug being given, unmarked', () => {
    expect(shown([starting(day(-1))]).tab).toBe('Warfarin');
    const mixed = order(release, 'Warfarin', at(-1), [
      { text: '5 mg daily', timing: { repeat: { boundsPeriod: { start: day(7) } } } },
      { text: '2 mg daily', timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } } },
    ]);
    expect(shown([mixed]).tab).toBe('Warfarin');
  });

  it('an order on hold keeps its own mark', () => {
    expect(shown([{ ...starting(day(7)), status: 'on-hold' }]).tab).toBe('Warfarin (on hold)');
  });
});
