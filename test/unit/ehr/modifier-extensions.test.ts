import { describe, expect, it } from 'vitest';
import { readEncounters } from '../../../server/ehr/clinical/encounter.js';
import { readCoverage, readMedications } from '../../../server/ehr/clinical/medications.js';
import { readAllergies, readConditions } from '../../../server/ehr/clinical/records.js';
import { latestVitalsOfSorted, readVitals, latestVitals } from '../../../server/ehr/clinical/vitals.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { qualifiedByEhr } from '../../../server/ehr/modifiers.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import { cellText, csvColumns } from '../../../server/features/lists/cell-text.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';

/**
 * A record whose meaning the EHR changed in a way the app cannot read is never shown as if it
 * meant plainly what it says. FHIR DSTU2, STU3 and R4 (extensibility.html "modifierExtension":
 * applications processing a resource are required to check for modifier extensions; resource.html
 * "implicitRules", a modifier): the app understands none, so it shows such a record marked "check
 * in EHR", on the resource or on an element it reads from it (a component, a reaction, a dosage, a
 * location, a link). Each release writes these elements the same way.
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
const releases: Release[] = ['DSTU2', 'STU3', 'R4'];
const SCT = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
/** A modifier extension of the kind real records carry: it negates what the resource says. */
const negation = [{ url: 'http://example.org/fhir/StructureDefinition/not-present', valueBoolean: true }];

const status = (release: Release, code: string, system: string) => (release === 'R4' ? { coding: [{ system, code }] } : code);

const condition = (release: Release, display: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Condition',
  code: { coding: [{ system: SCT, code: display === 'Asthma' ? '195967001' : '233604007', display }] },
  clinicalStatus: status(release, 'active', 'http://terminology.hl7.org/CodeSystem/condition-clinical'),
  ...extra,
});

const allergy = (release: Release, extra: Record<string, unknown> = {}) => ({
  resourceType: 'AllergyIntolerance',
  [release === 'DSTU2' ? 'substance' : 'code']: { coding: [{ system: SCT, code: '111088007' }], text: 'Latex' },
  ...(release === 'DSTU2'
    ? { status: 'active' }
    : { clinicalStatus: status(release, 'active', 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical') }),
  ...extra,
});

const medication = (release: Release, extra: Record<string, unknown> = {}) => ({
  resourceType: release === 'DSTU2' ? 'MedicationOrder' : 'MedicationRequest',
  status: 'active',
  ...(release === 'DSTU2' ? {} : { intent: 'order' }),
  medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '198211' }], text: 'Simvastatin 40 MG' },
  ...extra,
});

const heartRate = (time: string, value: number, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: LOINC, code: '8867-4' }] },
  effectiveDateTime: time,
  valueQuantity: { value, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  ...extra,
});

const pressure = (code: string, value: number) => ({ code: { coding: [{ system: LOINC, code }] }, valueQuantity: { value, unit: 'mm[Hg]' } });

const row = (cells: Record<string, unknown>) => ({ cells, available: true }) as unknown as ListRow;

function cells(columns: Parameters<typeof cellsFor>[0], clinical: Partial<PatientClinical>) {
  return cellsFor(columns, { careProvider: { status: 'none' }, warnings: [], ...clinical } as PatientClinical, undefined);
}

describe('which resources are qualified', () => {
  it.each([
    { story: 'a modifier extension on the resource', resource: { modifierExtension: negation }, qualified: true },
    { story: 'implicit rules', resource: { implicitRules: 'http://example.org/rules' }, qualified: true },
    { story: 'a modifier extension on an element read', resource: { component: [{}, { modifierExtension: negation }] }, qualified: true },
    { story: 'a modifier extension on a single element read', resource: { hospitalization: { modifierExtension: negation } }, qualified: true },
    { story: 'a modifier extension on an element not read', resource: { contact: [{ modifierExtension: negation }] }, qualified: false },
    { story: 'plain extensions only', resource: { extension: negation, component: [{ extension: negation }] }, qualified: false },
    { story: 'an empty modifierExtension and empty implicitRules', resource: { modifierExtension: [], implicitRules: '' }, qualified: false },
    { story: 'a modifierExtension that is not a list', resource: { modifierExtension: negation[0] }, qualified: true },
  ])('$story: $qualified', ({ resource, qualified }) => {
    expect(qualifiedByEhr(resource, ['component', 'hospitalization'])).toBe(qualified);
  });
});

describe.each(releases)('%s records the EHR qualifies', (release) => {
  it('a negated diagnosis is marked beside its name, and does not hide a plain one of the same name', () => {
    const views = readConditions([
      condition(release, 'Pneumonia', { modifierExtension: negation, onsetDateTime: '2026-02-01' }),
      condition(release, 'Pneumonia', { onsetDateTime: '2026-01-01' }),
      condition(release, 'Asthma', { implicitRules: 'http://example.org/rules', onsetDateTime: '2025-01-01' }),
    ]);
    expect(views.map((v) => v.qualified)).toEqual([true, undefined, true]);
    const cell = cells(['conditions'], { conditions: { status: 'ok', value: views } }).conditions;
    expect(cell).toEqual({
      status: 'ok',
      value: [
        { display: 'Pneumonia', clinicalStatus: 'active', qualified: true },
        { display: 'Pneumonia', clinicalStatus: 'active' },
        { display: 'Asthma', clinicalStatus: 'active', qualified: true },
      ],
    });
    expect(cellText('conditions', row({ conditions: cell }))).toBe('Pneumonia (check in EHR); Pneumonia; Asthma (check in EHR)');
  });

  it('an allergy with a qualified reaction is marked; an unconfirmed and qualified one says both', () => {
    const unconfirmed = release === 'DSTU2' ? { status: 'unconfirmed' } : { verificationStatus: status(release, 'unconfirmed', 'x') };
    const views = readAllergies([
      allergy(release, { reaction: [{ modifierExtension: negation, manifestation: [{ text: 'Rash' }] }] }),
      allergy(release, { ...unconfirmed, modifierExtension: negation, [release === 'DSTU2' ? 'substance' : 'code']: { text: 'Penicillin' } }),
    ]);
    expect(views.every((v) => v.qualified === true)).toBe(true);
    const cell = cells(['allergies'], { allergies: { status: 'ok', value: views } }).allergies;
    expect(cellText('allergies', row({ allergies: cell }))).toBe('Latex (check in EHR); Penicillin (unconfirmed, check in EHR)');
  });

  it('a drug order with a qualified dosage is marked', () => {
    const views = readMedications([medication(release, { dosageInstruction: [{ modifierExtension: negation, text: '40 mg at night' }] })], new Map());
    expect(views[0]).toMatchObject({ name: 'Simvastatin 40 MG', current: true, qualified: true });
    const cell = cells(['medications'], { medications: { status: 'ok', value: views } }).medications;
    expect(cell).toEqual({ status: 'ok', value: [{ name: 'Simvastatin 40 MG', status: 'active', qualified: true }] });
    expect(cellText('medications', row({ medications: cell }))).toBe('Simvastatin 40 MG (check in EHR)');
  });

  it('a qualified coverage and a qualified stay are marked, in the list and the export', () => {
    const [coverage] = readCoverage([
      {
        resourceType: 'Coverage',
        status: 'active',
        modifierExtension: negation,
        [release === 'DSTU2' ? 'issuer' : 'payor']: release === 'DSTU2' ? { display: 'Acme' } : [{ display: 'Acme' }],
      },
    ]);
    expect(coverage).toMatchObject({ payer: 'Acme', qualified: true });
    const [encounter] = readEncounters([
      {
        resourceType: 'Encounter',
        status: 'in-progress',
        period: { start: '2026-06-10T08:00:00Z' },
        location: [{ location: { display: 'Ward 3, Room 12' }, modifierExtension: negation }],
      },
    ]);
    expect(encounter).toMatchObject({ location: 'Ward 3, Room 12', qualified: true });
    const shown = cells(['coverage', 'location'], { coverage: { status: 'ok', value: [coverage] }, encounter: { status: 'ok', value: encounter } });
    expect(shown.location).toMatchObject({ status: 'ok', value: { qualified: true } });
    expect(cellText('coverage', row(shown))).toBe('Acme (check in EHR)');
    expect(cellText('location', row(shown))).toBe('Ward 3, Room 12 (check in EHR)');
  });

  it('the latest reading, qualified, is still the latest: marked in the cell and in the export flag column, its value a number', () => {
    const observations = [heartRate('2026-06-02T08:00:00Z', 115, { modifierExtension: negation }), heartRate('2026-06-01T08:00:00Z', 80)];
    const latest = latestVitalsOfSorted(observations, new Warnings());
    expect(latest?.heartRate).toMatchObject({ value: { value: 115 }, qualified: true });
    // The full read (any order) says the same.
    expect(latestVitals(readVitals([...observations].reverse(), new Warnings())).heartRate).toMatchObject({ value: { value: 115 }, qualified: true });
    const shown = cells(['heartRate'], { vitals: { status: 'ok', value: latest! } });
    const [value, , , flag] = csvColumns('heartRate', 'Heart rate', 'UTC');
    expect(value.value(row(shown))).toBe(115);
    expect(flag.value(row(shown))).toBe('High; check in EHR');
  });

  it('blood pressure is qualified by its panel, by a component, or by either standalone half', () => {
    const panel = (extra: Record<string, unknown>, component: Record<string, unknown>[]) => ({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: LOINC, code: '85354-9' }] },
      effectiveDateTime: '2026-06-02T08:00:00Z',
      component,
      ...extra,
    });
    const read = (obs: Record<string, unknown>[]) => latestVitals(readVitals(obs, new Warnings())).bloodPressure;
    expect(read([panel({}, [{ ...pressure('8480-6', 120), modifierExtension: negation }, pressure('8462-4', 80)])])).toMatchObject({
      qualified: true,
    });
    expect(read([panel({ implicitRules: 'http://example.org/rules' }, [pressure('8480-6', 120), pressure('8462-4', 80)])])).toMatchObject({
      qualified: true,
    });
    expect(read([panel({}, [pressure('8480-6', 120), pressure('8462-4', 80)])])?.qualified).toBeUndefined();
    const half = (code: string, value: number, extra: Record<string, unknown> = {}) => ({
      resourceType: 'Observation',
      status: 'final',
      effectiveDateTime: '2026-06-02T08:00:00Z',
      ...pressure(code, value),
      ...extra,
    });
    expect(read([half('8480-6', 120), half('8462-4', 80, { modifierExtension: negation })])).toMatchObject({
      systolic: { value: 120 },
      qualified: true,
    });
    expect(read([half('8480-6', 120), half('8462-4', 80)])?.qualified).toBeUndefined();
  });
});

// Encounter.classHistory is STU3 and R4 only.
describe.each(['STU3', 'R4'] as const)('%s class history the EHR qualifies', () => {
  it('a stay whose class history (which dates the admission) is qualified is marked', () => {
    const [encounter] = readEncounters([
      {
        resourceType: 'Encounter',
        status: 'in-progress',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
        period: { start: '2026-06-10T02:00:00Z' },
        classHistory: [
          { class: { code: 'EMER' }, period: { start: '2026-06-10T02:00:00Z', end: '2026-06-10T08:00:00Z' } },
          { class: { code: 'IMP' }, period: { start: '2026-06-10T08:00:00Z' }, modifierExtension: negation },
        ],
        location: [{ location: { display: 'Ward 3' } }],
      },
    ]);
    expect(encounter).toMatchObject({ location: 'Ward 3', qualified: true });
    expect(cellText('location', row(cells(['location'], { encounter: { status: 'ok', value: encounter } })))).toBe('Ward 3 (check in EHR)');
  });
});
