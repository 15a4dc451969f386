import { describe, expect, it } from 'vitest';
import { readEncounters } from '../../../server/ehr/clinical/encounter.js';

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
