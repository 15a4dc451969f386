import { describe, expect, it } from 'vitest';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import { currentEncounter, encounterOver, readEncounters } from '../../../server/ehr/clinical/encounter.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import type { PatientClinical } from '../../../server/ehr/index.js';

/**
 * A stay is over when its period.end has passed (judged by the latest moment the end can mean,
 * contract/fhir-time.ts latestMs), whatever its stale status says, or it carries
 * hospitalization.dischargeDisposition and its status is not ongoing; status `unknown` ("a value of last resort") says nothing about the present,
 * so such an encounter is never the stay a list row speaks of.
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
type Klass = 'IMP' | 'EMER';

const klass: Record<Release, (code: Klass) => unknown> = {
  DSTU2: (code) => ({ IMP: 'inpatient', EMER: 'emergency' })[code],
  STU3: (code) => ({ system: 'http://hl7.org/fhir/v3/ActCode', code }),
  R4: (code) => ({ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code }),
};
/** hospitalization.dischargeDisposition: a CodeableConcept in DSTU2, STU3 and R4 alike. */
const home = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'home', display: 'Home' }],
};

// The list route reads with the clock's now; direct calls take a fixed one.
const realNow = Date.now();
const ago = (days: number, from = realNow) => new Date(from - days * 86_400_000).toISOString();
const fixedNow = Date.parse('2026-06-15T12:00:00Z');
const at = (display: string) => ({ location: { reference: 'Location/x', display } });

describe.each(['DSTU2', 'STU3', 'R4'] as const)('the %s encounter', (release) => {
  const stay = (extra: Record<string, unknown> = {}, code: Klass = 'IMP') => ({
    resourceType: 'Encounter',
    status: 'in-progress',
    class: klass[release](code),
    period: { start: ago(20) },
    location: [at('Ward 3, Room 8, Bed 2')],
    ...extra,
  });
  const row = (resources: Record<string, unknown>[]) => {
    const parts = assemblePart('encounter', { ok: true, set: { resources, included: [] } }, new Map(), new Warnings(), { history: false });
    return { cells: cellsFor(['location', 'admissionDate'], { ...parts } as PatientClinical, undefined), encounters: parts.encounters };
  };
  const nothing = { location: { status: 'none' }, admissionDate: { status: 'none' } };

  describe('a stay that is over gives no bed and no admission date, whatever its status says', () => {
    it.each(['in-progress', 'arrived', 'onleave', ...(release === 'DSTU2' ? [] : ['triaged'])])(
      'status %s with a period.end in the past and a discharge disposition',
      (status) => {
        const ended = stay({ status, period: { start: ago(20), end: ago(3) }, hospitalization: { dischargeDisposition: home } });
        expect(row([ended]).cells).toEqual(nothing);
      },
    );

    it('an ongoing status with a period that ended weeks ago, and no discharge disposition', () => {
      expect(row([stay({ period: { start: ago(40), end: ago(21) } })]).cells).toEqual(nothing);
    });

    // A disposition on an ongoing stay without a past end is the planned destination: the stay keeps its bed (encounter-discharge-planned.test.ts).
    it('a finished status with a discharge disposition and no end', () => {
      expect(row([stay({ status: 'finished', hospitalization: { dischargeDisposition: home } })]).cells).toEqual(nothing);
    });

    it('the ended stay still shows in the details, with its dates', () => {
      const { encounters } = row([stay({ period: { start: ago(40), end: ago(21) } })]);
      expect(encounters).toMatchObject({ status: 'ok', value: [{ status: 'in-progress', end: { text: ago(21) } }] });
    });

    it('an ended stay does not hold the bed against an ongoing emergency stay', () => {
      const stale = stay({ period: { start: ago(10, fixedNow), end: ago(5, fixedNow) } });
      const emergency = stay({ period: { start: ago(12, fixedNow) }, location: [at('ED Bay 4')] }, 'EMER');
      const current = currentEncounter(readEncounters([stale, emergency], fixedNow), fixedNow);
      expect(current?.location).toBe('ED Bay 4');
      expect(encounterOver(current!, fixedNow)).toBe(false);
    });
  });

  describe('the end is judged by the latest moment it can mean', () => {
    const over = (end: string) => encounterOver(readEncounters([stay({ period: { start: '2026-06-01', end } })], fixedNow)[0], fixedNow);

    it.each([
      // A date alone is zone-less: "2026-06-14" lasts until 2026-06-15T14:00Z (UTC-14:00).
      { end: '2026-06-14', ended: false },
      { end: '2026-06-13', ended: true },
      // A date-time without a zone may be 14 hours behind UTC.
      { end: '2026-06-15T00:00:00', ended: false },
      { end: '2026-06-14T20:00:00', ended: true },
      { end: '2026-06-15T11:00:00Z', ended: true },
      { end: '2026-06-15T13:00:00Z', ended: false },
      { end: 'not a date', ended: false },
    ])('period.end $end: over $ended', ({ end, ended }) => {
      expect(over(end)).toBe(ended);
    });

    it('a finished stay is over; an ongoing one without end or disposition is not', () => {
      const read = (extra: Record<string, unknown>) => readEncounters([stay(extra)], fixedNow)[0];
      expect(encounterOver(read({ status: 'finished' }), fixedNow)).toBe(true);
      expect(encounterOver(read({}), fixedNow)).toBe(false);
      expect(encounterOver(read({ period: { start: '2026-06-01', end: '2026-06-20' } }), fixedNow)).toBe(false);
    });
  });

  describe('status unknown is never the current stay', () => {
    const unknown = (extra: Record<string, unknown> = {}) => stay({ status: 'unknown', period: { start: '2023-02-01T08:00:00Z' }, ...extra });

    it('an unknown-status inpatient encounter started in 2023 with no end gives no bed and no admission date', () => {
      expect(row([unknown()]).cells).toEqual(nothing);
      expect(currentEncounter(readEncounters([unknown()], fixedNow), fixedNow)).toBeUndefined();
    });

    it('a newer unknown-status encounter does not stand in for the newest that took place', () => {
      const finished = stay({ status: 'finished', period: { start: '2022-01-01', end: '2022-01-09' }, location: [at('Ward 9')] });
      expect(currentEncounter(readEncounters([unknown(), finished], fixedNow), fixedNow)?.status).toBe('finished');
      expect(row([unknown(), finished]).cells).toEqual(nothing);
    });

    it('it still shows in the details among the encounters', () => {
      expect(row([unknown()]).encounters).toMatchObject({ status: 'ok', value: [{ status: 'unknown', location: 'Ward 3, Room 8, Bed 2' }] });
    });
  });

  describe('an encounter without a status (required, and a modifier) is never the current stay', () => {
    const statusless = () => {
      const { status: _status, ...rest } = stay({ period: { start: '2023-02-01T08:00:00Z' } });
      return rest;
    };

    it('gives no bed and no admission date, and does not stand in for the newest that took place', () => {
      expect(row([statusless()]).cells).toEqual(nothing);
      expect(currentEncounter(readEncounters([statusless()], fixedNow), fixedNow)).toBeUndefined();
      const finished = stay({ status: 'finished', period: { start: '2022-01-01', end: '2022-01-09' }, location: [at('Ward 9')] });
      expect(currentEncounter(readEncounters([statusless(), finished], fixedNow), fixedNow)?.status).toBe('finished');
    });

    it('still shows in the details among the encounters', () => {
      expect(row([statusless()]).encounters).toMatchObject({ status: 'ok', value: [{ status: null, location: 'Ward 3, Room 8, Bed 2' }] });
    });
  });
});
