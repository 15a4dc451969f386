import { describe, expect, it } from 'vitest';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import { currentEncounter, readEncounters } from '../../../server/ehr/clinical/encounter.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import type { PatientClinical } from '../../../server/ehr/index.js';

/**
 * Encounter classes of the EHR's own code system. STU3/R4 Encounter.class is a Coding bound to
 * ActEncounterCode with an extensible binding (hl7.org/fhir/R4/encounter-definitions.html#Encounter.class,
 * STU3 the same), so a class such as an ADT patient class `{system: "urn:oid:…", code: "1",
 * display: "Inpatient"}` is valid. Only a v3 ActCode Coding (or one without a system whose code is an
 * ActEncounterCode) is read as a class; any other is read as no class, and `hospitalization.admitSource`
 * says whether the encounter is an admission. DSTU2 `class` is a code of its own value set.
 */
type Release = 'STU3' | 'R4';
const ACT_CODE: Record<Release, string> = {
  STU3: 'http://hl7.org/fhir/v3/ActCode',
  R4: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
};
const LOCAL = 'urn:oid:1.2.840.114350.1.72.1.7.7.10.696784.13260';
const local = (code: string, display: string) => ({ system: LOCAL, code, display });

const now = Date.parse('2026-06-15T12:00:00Z');
const daysAgo = (n: number) => new Date(now - n * 86_400_000).toISOString();
const admitSource = { hospitalization: { admitSource: { text: 'Emergency department' } } };

function cells(resources: Record<string, unknown>[]) {
  const parts = assemblePart('encounter', { ok: true, set: { resources, included: [] } }, new Map(), new Warnings(), { history: false });
  return cellsFor(['location', 'admissionDate'], { ...parts } as PatientClinical, undefined);
}
const read = (resources: Record<string, unknown>[]) => readEncounters(resources, now);
const encounter = (id: string, klass: unknown, start: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Encounter',
  id,
  status: 'in-progress',
  ...(klass === undefined ? {} : { class: klass }),
  period: { start },
  ...extra,
});

describe.each(['STU3', 'R4'] as const)("%s Encounter.class of the EHR's own code system", (release) => {
  const act = (code: string) => ({ system: ACT_CODE[release], code });

  it('with hospitalization.admitSource, the stay is an admission dated from period.start', () => {
    const stay = encounter('e1', local('1', 'Inpatient'), daysAgo(3), {
      ...admitSource,
      location: [{ location: { reference: 'Location/w5', display: 'Ward 5' }, status: 'active' }],
    });
    expect(cells([stay])).toMatchObject({
      location: { status: 'ok', value: { location: 'Ward 5' } },
      admissionDate: { status: 'ok', value: { text: daysAgo(3) } },
    });
    expect(read([stay])[0]).toMatchObject({ class: null, admission: { text: daysAgo(3) } });
  });

  it('such an admission holds the bed: a newer ambulatory visit does not take its place', () => {
    const stay = encounter('stay', local('1', 'Inpatient'), daysAgo(5), { ...admitSource, location: [{ location: { display: 'Ward 7, Room 3' } }] });
    const visit = encounter('visit', act('AMB'), daysAgo(0.05), { location: [{ location: { display: 'Dialysis Unit' } }] });
    expect(currentEncounter(read([visit, stay]), now)).toMatchObject({ location: 'Ward 7, Room 3', admission: { text: daysAgo(5) } });
  });

  it('without admission details it is no admission: neither its code nor its display is read for a meaning', () => {
    expect(read([encounter('e1', local('1', 'Inpatient'), daysAgo(3))])[0]).toMatchObject({ class: null, admission: null });
    expect(cells([encounter('e1', local('1', 'Inpatient'), daysAgo(3))]).admissionDate.status).not.toBe('ok');
  });

  it('an ActEncounterCode sent with the value set as its system is still read: an inpatient stay is an admission', () => {
    const valueSet =
      release === 'R4' ? 'http://terminology.hl7.org/ValueSet/v3-ActEncounterCode' : 'http://hl7.org/fhir/ValueSet/v3-ActEncounterCode';
    expect(read([encounter('e1', { system: valueSet, code: 'IMP' }, daysAgo(2))])[0]).toMatchObject({
      class: 'IMP',
      admission: { text: daysAgo(2) },
    });
    expect(read([encounter('e1', { system: valueSet, code: '1' }, daysAgo(2))])[0]).toMatchObject({ class: null, admission: null });
  });

  it('a local code that spells an ActCode is not one', () => {
    expect(read([encounter('e1', local('IMP', 'Imaging procedure'), daysAgo(1))])[0]).toMatchObject({ class: null, admission: null });
    expect(read([encounter('e1', local('EMER', 'Emergency transport'), daysAgo(1), admitSource)])[0]).toMatchObject({
      class: null,
      admission: { text: daysAgo(1) },
    });
  });

  it('the first readable class of several codings (R5-style CodeableConcept) counts', () => {
    const klass = [{ coding: [local('1', 'Inpatient'), act('IMP')] }];
    expect(read([encounter('e1', klass, daysAgo(2))])[0]).toMatchObject({ class: 'IMP', admission: { text: daysAgo(2) } });
  });

  it('v3 ActCode by its URI (http or https, with a trailing slash) or its OID is read as before', () => {
    for (const system of [ACT_CODE[release], ACT_CODE[release].replace('http:', 'https:') + '/', 'urn:oid:2.16.840.1.113883.5.4']) {
      expect(read([encounter('e1', { system, code: 'IMP' }, daysAgo(2))])[0]).toMatchObject({ class: 'IMP', admission: { text: daysAgo(2) } });
    }
    // A class that says what the stay is decides, admission details or not.
    expect(read([encounter('e1', act('AMB'), daysAgo(2), admitSource)])[0]).toMatchObject({ class: 'AMB', admission: null });
  });

  it('a Coding without a system is read when its code is an ActEncounterCode, else as no class', () => {
    expect(read([encounter('e1', { code: 'IMP' }, daysAgo(2))])[0]).toMatchObject({ class: 'IMP', admission: { text: daysAgo(2) } });
    expect(read([encounter('e1', { code: 'OBSENC' }, daysAgo(2))])[0]).toMatchObject({ class: 'OBSENC', admission: null });
    expect(read([encounter('e1', { code: '1', display: 'Inpatient' }, daysAgo(2), admitSource)])[0]).toMatchObject({
      class: null,
      admission: { text: daysAgo(2) },
    });
  });

  it("DSTU2's encounter-class system sent as a Coding reads as its ActCode", () => {
    const klass = { system: 'http://hl7.org/fhir/encounter-class', code: 'inpatient' };
    expect(read([encounter('e1', klass, daysAgo(2))])[0]).toMatchObject({ class: 'IMP', admission: { text: daysAgo(2) } });
  });

  it('classHistory reads its classes by the same rule: a local class is no inpatient period', () => {
    const classHistory = [
      { class: local('IMP', 'Imaging procedure'), period: { start: daysAgo(4), end: daysAgo(3) } },
      { class: act('IMP'), period: { start: daysAgo(3) } },
    ];
    expect(read([encounter('e1', act('IMP'), daysAgo(4), { classHistory })])[0].admission?.text).toBe(daysAgo(3));
  });

  it('partOf: a stay of a local class with admission details dates its leg; one without is passed over', () => {
    const leg = encounter('leg', act('IMP'), daysAgo(1), { partOf: { reference: 'Encounter/stay' } });
    const admitted = encounter('stay', local('1', 'Inpatient'), daysAgo(5), admitSource);
    const visit = encounter('stay', local('3', 'Emergency'), daysAgo(5));
    expect(read([leg, admitted]).find((e) => e.start?.text === daysAgo(1))?.admission?.text).toBe(daysAgo(5));
    expect(read([leg, visit]).find((e) => e.start?.text === daysAgo(1))?.admission?.text).toBe(daysAgo(1));
  });
});

describe('DSTU2 Encounter.class (a code of its own value set)', () => {
  it('reads its codes as ActCode: inpatient is an admission, outpatient is none whatever its admission details', () => {
    expect(read([encounter('e1', 'inpatient', daysAgo(2))])[0]).toMatchObject({ class: 'IMP', admission: { text: daysAgo(2) } });
    expect(read([encounter('e1', 'outpatient', daysAgo(2), admitSource)])[0]).toMatchObject({ class: 'AMB', admission: null });
    expect(read([encounter('e1', 'daytime', daysAgo(2))])[0]).toMatchObject({ class: 'SS', admission: null });
    expect(read([encounter('e1', 'other', daysAgo(2))])[0]).toMatchObject({ class: 'OTHER', admission: null });
  });

  it('without a class, admission details make the encounter an admission', () => {
    expect(read([encounter('e1', undefined, daysAgo(2), admitSource)])[0]).toMatchObject({ class: null, admission: { text: daysAgo(2) } });
  });

  it('a code named like an object property is no mapped class', () => {
    expect(read([encounter('e1', 'constructor', daysAgo(2))])[0]).toMatchObject({ class: 'CONSTRUCTOR', admission: null });
  });
});
