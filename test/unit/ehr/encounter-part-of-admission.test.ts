import { describe, expect, it } from 'vitest';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import { currentEncounter, readEncounters } from '../../../server/ehr/clinical/encounter.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import type { PatientClinical } from '../../../server/ehr/index.js';

/**
 * The admission date of a stay recorded as an encounter with parts. Encounter.partOf (DSTU2, STU3,
 * R4: "Another Encounter this encounter is part of") makes a ward transfer leg part of the hospital
 * stay: the list's admission date is the start of that stay (the top of the partOf chain the read
 * holds), never the start of the leg the patient is in now; the place stays the leg's.
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
type Klass = 'IMP' | 'EMER' | 'AMB';

const klass: Record<Release, (code: Klass) => unknown> = {
  DSTU2: (code) => ({ IMP: 'inpatient', EMER: 'emergency', AMB: 'outpatient' })[code],
  STU3: (code) => ({ system: 'http://hl7.org/fhir/v3/ActCode', code }),
  R4: (code) => ({ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code }),
};

const now = Date.parse('2026-06-15T12:00:00Z');
const daysAgo = (n: number) => new Date(now - n * 86_400_000).toISOString();
const at = (display: string, extra: Record<string, unknown> = {}) => ({ location: { reference: 'Location/x', display }, ...extra });

describe.each(['DSTU2', 'STU3', 'R4'] as const)('the %s admission date of a stay in parts (partOf)', (release) => {
  const encounter = (id: string, code: Klass | null, start: string, extra: Record<string, unknown> = {}) => ({
    resourceType: 'Encounter',
    id,
    status: 'in-progress',
    ...(code ? { class: klass[release](code) } : {}),
    period: { start },
    ...extra,
  });
  const partOf = (reference: string) => ({ partOf: { reference } });
  const current = (resources: Record<string, unknown>[]) => currentEncounter(readEncounters(resources, now), now);
  const row = (resources: Record<string, unknown>[]) => {
    const parts = assemblePart('encounter', { ok: true, set: { resources, included: [] } }, new Map(), new Warnings(), { history: false });
    return cellsFor(['location', 'admissionDate'], { ...parts } as PatientClinical, undefined);
  };
  const stay = () => encounter('stay', 'IMP', daysAgo(5), { location: [at('Ward 5', { status: 'completed' })] });
  const leg = (parent = 'Encounter/stay') =>
    encounter('leg', 'IMP', daysAgo(1), { ...partOf(parent), location: [at('Ward 7, Room 12, Bed 3', { status: 'active' })] });

  it('a ward transfer leg gives the place, its stay the admission date', () => {
    expect(row([leg(), stay()])).toMatchObject({
      location: { status: 'ok', value: { location: 'Ward 7, Room 12, Bed 3', room: '12', bed: '3' } },
      admissionDate: { status: 'ok', value: { text: daysAgo(5) } },
    });
    // The leg keeps its own start; only its admission is the stay's.
    expect(current([leg(), stay()])).toMatchObject({ start: { text: daysAgo(1) }, admission: { text: daysAgo(5) } });
  });

  it('followed to the top of the chain, whatever order the read gives', () => {
    const bed = encounter('bed', 'IMP', daysAgo(0.5), { ...partOf('Encounter/leg'), location: [at('Ward 7, Room 14')] });
    expect(current([stay(), bed, leg()])).toMatchObject({ location: 'Ward 7, Room 14', admission: { text: daysAgo(5) } });
  });

  it('a versioned or absolute-on-nothing reference: the version is dropped, a URL on another server matches nothing', () => {
    expect(current([leg('Encounter/stay/_history/3'), stay()])?.admission?.text).toBe(daysAgo(5));
    expect(current([leg('https://elsewhere.example/fhir/Encounter/stay'), stay()])?.admission?.text).toBe(daysAgo(1));
  });

  it('the stay read from classHistory (emergency, then inpatient) gives its inpatient start', () => {
    const classHistory = [
      { class: klass[release]('EMER'), period: { start: daysAgo(6), end: daysAgo(5) } },
      { class: klass[release]('IMP'), period: { start: daysAgo(5) } },
    ];
    // classHistory is STU3/R4 only; a DSTU2 stay gives its period.start.
    const top = encounter('stay', 'IMP', release === 'DSTU2' ? daysAgo(5) : daysAgo(6), release === 'DSTU2' ? {} : { classHistory });
    expect(current([leg(), top])?.admission?.text).toBe(daysAgo(5));
  });

  it('a stay recorded without a class is the stay its inpatient leg is part of', () => {
    expect(current([leg(), encounter('stay', null, daysAgo(4))])?.admission?.text).toBe(daysAgo(4));
  });

  it('an emergency visit above an inpatient leg is no admission: the leg is', () => {
    expect(current([leg(), encounter('stay', 'EMER', daysAgo(2))])?.admission?.text).toBe(daysAgo(1));
  });

  it('a parent the read does not hold: the earliest admission of the chain it does hold', () => {
    expect(current([leg('Encounter/not-read')])).toMatchObject({ location: 'Ward 7, Room 12, Bed 3', admission: { text: daysAgo(1) } });
    const middle = encounter('stay', 'IMP', daysAgo(3), partOf('Encounter/not-read'));
    expect(current([leg(), middle])?.admission?.text).toBe(daysAgo(3));
  });

  it('a cycle of partOf ends: the earliest admission in it', () => {
    const a = encounter('a', 'IMP', daysAgo(2), partOf('Encounter/b'));
    const b = encounter('b', 'IMP', daysAgo(4), partOf('Encounter/a'));
    const self = encounter('self', 'IMP', daysAgo(1), partOf('Encounter/self'));
    expect(readEncounters([a, b], now).map((e) => e.admission?.text)).toEqual([daysAgo(4), daysAgo(4)]);
    expect(readEncounters([self], now)[0].admission?.text).toBe(daysAgo(1));
  });

  it('an outpatient part of a stay (dialysis) stays no admission, and the stay keeps the row', () => {
    const dialysis = encounter('dialysis', 'AMB', daysAgo(0.1), { ...partOf('Encounter/stay'), location: [at('Dialysis unit')] });
    const inWard = encounter('stay', 'IMP', daysAgo(5), { location: [at('Ward 5')] });
    expect(readEncounters([dialysis, inWard], now)[0].admission).toBeNull();
    expect(current([dialysis, inWard])).toMatchObject({ location: 'Ward 5', admission: { text: daysAgo(5) } });
  });

  it('a reference by the EHR’s own absolute URL is followed (the read’s base)', () => {
    const base = 'https://ehr.example.org/fhir/r4/';
    const parts = assemblePart(
      'encounter',
      { ok: true, set: { resources: [leg(`${base}Encounter/stay`), stay()], included: [] } },
      new Map(),
      new Warnings(),
      { history: false, base },
    );
    expect(cellsFor(['admissionDate'], { ...parts } as PatientClinical, undefined).admissionDate).toMatchObject({
      status: 'ok',
      value: { text: daysAgo(5) },
    });
  });

  it('a stay that did not take place (cancelled, entered in error) dates nothing', () => {
    for (const status of ['cancelled', 'entered-in-error', 'planned']) {
      const void_ = encounter('stay', 'IMP', daysAgo(30), { status });
      expect(current([leg(), void_]), status).toMatchObject({ admission: { text: daysAgo(1) } });
    }
  });
});
