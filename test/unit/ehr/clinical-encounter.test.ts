import { describe, expect, it } from 'vitest';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import { currentEncounter, encounterOver, readEncounters } from '../../../server/ehr/clinical/encounter.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import type { PatientClinical } from '../../../server/ehr/index.js';

type Release = 'DSTU2' | 'STU3' | 'R4';

/** How each release writes an encounter's class (DSTU2 a code of its own, STU3/R4 a v3 ActCode Coding). */
const klass: Record<Release, (code: 'IMP' | 'AMB') => unknown> = {
  DSTU2: (code) => (code === 'IMP' ? 'inpatient' : 'outpatient'),
  STU3: (code) => ({ system: 'http://hl7.org/fhir/v3/ActCode', code }),
  R4: (code) => ({ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code }),
};

const now = Date.parse('2026-06-15T12:00:00Z');
const at = (display: string, extra: Record<string, unknown> = {}) => ({ location: { reference: 'Location/x', display }, ...extra });
const read = (encounter: Record<string, unknown>) =>
  readEncounters([{ resourceType: 'Encounter', status: 'in-progress', period: { start: '2026-06-10T08:00:00Z' }, ...encounter }], now)[0];

describe.each(['DSTU2', 'STU3', 'R4'] as const)('the %s encounter', (release) => {
  it.each([
    {
      story: 'a location whose period has ended is history: the current one is shown',
      location: [
        at('Ward 3, Room 12', { period: { start: '2026-06-10', end: '2026-06-12T10:00:00Z' } }),
        at('ICU, Room 4', { period: { start: '2026-06-12T10:00:00Z' } }),
      ],
      expected: { location: 'ICU, Room 4', room: '4' },
    },
    {
      story: 'a period ending in the future is still current',
      location: [at('Ward 5', { status: 'active', period: { start: '2026-06-10', end: '2026-07-01' } })],
      expected: { location: 'Ward 5' },
    },
    {
      story: 'completed entries are history and planned or reserved ones are not there yet',
      location: [
        at('Ward 3', { status: 'completed' }),
        at('Ward 9', { status: 'planned' }),
        at('Ward 7', { status: 'reserved' }),
        at('Ward 5', { status: 'active' }),
      ],
      expected: { location: 'Ward 5' },
    },
    {
      story: 'with nothing current there is no location (the history stays in the details)',
      location: [at('Ward 3', { status: 'completed' }), at('Ward 9', { status: 'planned' }), at('Ward 4', { period: { end: '2026-06-11' } })],
      expected: { location: null, room: null, bed: null },
    },
  ])('$story (Encounter.location[].period and status)', ({ location, expected }) => {
    expect(read({ class: klass[release]('IMP'), location })).toMatchObject(expected);
  });

  it('the row speaks of the stay the patient is in: a planned follow-up or a cancelled visit that sorts first by date does not stand in for it', () => {
    const stays = readEncounters(
      [
        { resourceType: 'Encounter', id: 'follow-up', status: 'planned', class: klass[release]('AMB'), period: { start: '2026-07-20T09:00:00Z' } },
        { resourceType: 'Encounter', id: 'cancelled', status: 'cancelled', class: klass[release]('AMB'), period: { start: '2026-06-14T09:00:00Z' } },
        { resourceType: 'Encounter', id: 'clinic', status: 'finished', class: klass[release]('AMB'), period: { start: '2026-06-12T09:00:00Z' } },
        {
          resourceType: 'Encounter',
          id: 'stay',
          status: 'in-progress',
          class: klass[release]('IMP'),
          period: { start: '2026-06-10T08:00:00Z' },
          location: [at('Ward 5, Bed 2')],
        },
      ],
      now,
    );
    const current = currentEncounter(stays, now)!;
    expect(current).toMatchObject({ location: 'Ward 5, Bed 2', bed: '2', admission: { text: '2026-06-10T08:00:00Z' } });
    expect(encounterOver(current)).toBe(false);
  });

  it('without an ongoing stay the newest encounter that took place is the one, and a finished one is over (its place is history)', () => {
    const stays = readEncounters(
      [
        { resourceType: 'Encounter', status: 'planned', period: { start: '2026-07-01T09:00:00Z' } },
        {
          resourceType: 'Encounter',
          status: 'finished',
          class: klass[release]('IMP'),
          period: { start: '2026-05-01T08:00:00Z', end: '2026-05-04T08:00:00Z' },
          location: [at('Ward 3')],
        },
      ],
      now,
    );
    const current = currentEncounter(stays, now)!;
    expect(current.status).toBe('finished');
    expect(encounterOver(current)).toBe(true);
    // Only planned or cancelled: no encounter has taken place.
    expect(
      currentEncounter(readEncounters([{ resourceType: 'Encounter', status: 'planned', period: { start: '2026-07-01T09:00:00Z' } }], now), now),
    ).toBeUndefined();
  });

  it('a list row reads location and admission from the ongoing stay, not from a visit planned for later, and no place from a finished stay', () => {
    const row = (resources: Record<string, unknown>[]) => {
      const parts = assemblePart('encounter', { ok: true, set: { resources, included: [] } }, new Map(), new Warnings(), { history: false });
      return cellsFor(['location', 'admissionDate'], { ...parts } as PatientClinical, undefined);
    };
    const future = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const planned = {
      resourceType: 'Encounter',
      status: 'planned',
      class: klass[release]('AMB'),
      period: { start: future },
      location: [at('Outpatient clinic 2')],
    };
    const stay = {
      resourceType: 'Encounter',
      status: 'in-progress',
      class: klass[release]('IMP'),
      period: { start: '2026-06-10T08:00:00Z' },
      location: [at('Ward 5, Bed 2')],
    };
    expect(row([planned, stay])).toMatchObject({
      location: { status: 'ok', value: { location: 'Ward 5, Bed 2', bed: '2' } },
      admissionDate: { status: 'ok', value: { text: '2026-06-10T08:00:00Z' } },
    });
    const discharged = { ...stay, status: 'finished', period: { start: '2026-06-01T08:00:00Z', end: '2026-06-05T08:00:00Z' } };
    expect(row([discharged]).location).toEqual({ status: 'none' });
    // A stay that is over has no admission on the list: the details keep its dates.
    expect(row([discharged]).admissionDate).toEqual({ status: 'none' });
    // Status unknown (STU3/R4; DSTU2 has no such code, yet records carry it) with a period that has ended: over too.
    const ended = {
      ...stay,
      status: 'unknown',
      period: { start: '2015-03-01T08:00:00Z', end: '2015-03-09T08:00:00Z' },
      location: [at('Room 4, Bed 2')],
    };
    expect(row([ended])).toEqual({ location: { status: 'none' }, admissionDate: { status: 'none' } });
    // Unknown with no end says nothing of now either ("a value of last resort"): never the current stay.
    expect(row([{ ...ended, period: { start: '2026-06-10T08:00:00Z' } }])).toEqual({
      location: { status: 'none' },
      admissionDate: { status: 'none' },
    });
  });

  it('an ongoing stay whose start is a date alone (no zone) is the current one on its first day, east of UTC too', () => {
    // 08:30 in Sydney on 2 May is 22:30 UTC on 1 May: "2024-05-02" read as midnight UTC is still to come.
    const sydneyMorning = Date.parse('2024-05-01T22:30:00Z');
    const stays = readEncounters(
      [
        { resourceType: 'Encounter', status: 'in-progress', class: klass[release]('IMP'), period: { start: '2024-05-02' }, location: [at('Ward 7')] },
        { resourceType: 'Encounter', status: 'finished', class: klass[release]('IMP'), period: { start: '2024-02-01', end: '2024-02-04' } },
      ],
      sydneyMorning,
    );
    const current = currentEncounter(stays, sydneyMorning)!;
    expect(current).toMatchObject({ location: 'Ward 7', admission: { text: '2024-05-02' } });
    expect(encounterOver(current, sydneyMorning)).toBe(false);
  });

  it('the admission date is the start of the inpatient stay (class inpatient / IMP)', () => {
    expect(read({ class: klass[release]('IMP') }).admission?.text).toBe('2026-06-10T08:00:00Z');
    expect(read({ class: klass[release]('AMB') }).admission).toBeNull();
  });

  it('an encounter without a class but with hospitalization admission details is an admission', () => {
    expect(read({ hospitalization: { admitSource: { coding: [{ code: 'emd' }] } } }).admission?.text).toBe('2026-06-10T08:00:00Z');
    expect(read({}).admission).toBeNull();
  });

  it('without period.start the first location period start stands in for the admission', () => {
    const view = read({
      class: klass[release]('IMP'),
      period: {},
      location: [at('ICU', { period: { start: '2026-06-12' } }), at('Ward 3', { period: { start: '2026-06-09', end: '2026-06-12' } })],
    });
    expect(view.admission?.text).toBe('2026-06-09');
    expect(view.location).toBe('ICU');
  });
});
