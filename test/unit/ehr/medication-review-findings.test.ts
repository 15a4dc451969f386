import { describe, expect, it } from 'vitest';
import { medicationGroup } from '../../../contract/medication-groups.js';
import { readMedications, TAKEN_UNKNOWN } from '../../../server/ehr/clinical/medications.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import { shown } from './medication-cell.js';

/**
 * An outside clinical review's findings on medications, each a rule for every record, in DSTU2,
 * STU3 and R4, read as the list shows them (assemblePart → cellsFor → showCell for the tab,
 * cellText for the CSV) or as the details' dosage line (readMedications).
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
const releases: Release[] = ['DSTU2', 'STU3', 'R4'];
const UCUM = 'http://unitsofmeasure.org';
const NOW = Date.parse('2026-06-15T12:00:00Z');

const order = (release: Release, fields: JsonObject): JsonObject => ({
  resourceType: release === 'DSTU2' ? 'MedicationOrder' : 'MedicationRequest',
  status: 'active',
  ...(release === 'DSTU2' ? {} : { intent: 'order' }),
  ...fields,
});

/**
 * 1. A Medication named by its ingredients names each with its strength: DSTU2
 * Medication.product.ingredient[].amount and STU3 Medication.ingredient[].amount (Ratio), R4
 * Medication.ingredient[].strength (Ratio). Two mixtures of other strengths are two items in the
 * cell, never "×2"; the same mixture at the same strength is still counted.
 */
describe.each(releases)('a drug named by its ingredients keeps their strengths (%s)', (release) => {
  const strengthKey = release === 'R4' ? 'strength' : 'amount';
  const ratio = (value: number, unit: string, per: number, perUnit: string) => ({
    numerator: { value, unit, system: UCUM, code: unit },
    denominator: { value: per, unit: perUnit, system: UCUM, code: perUnit },
  });
  const ingredient = (name: string, strength?: JsonObject) => ({
    ...(release === 'DSTU2' ? { item: { display: name } } : { itemCodeableConcept: { text: name } }),
    ...(strength ? { [strengthKey]: strength } : {}),
  });
  const mixture = (ingredients: JsonObject[]): JsonObject =>
    release === 'DSTU2'
      ? { resourceType: 'Medication', id: 'mix', product: { ingredient: ingredients } }
      : { resourceType: 'Medication', id: 'mix', ingredient: ingredients };
  const infusion = (nacl: number) =>
    order(release, {
      contained: [mixture([ingredient('Sodium chloride', ratio(nacl, 'g', 100, 'mL')), ingredient('Potassium chloride', ratio(20, 'mmol', 1, 'L'))])],
      medicationReference: { reference: '#mix' },
    });

  it('names each ingredient with its strength, "Sodium chloride 0.9 g/100 mL + Potassium chloride 20 mmol/L"', () => {
    expect(readMedications([infusion(0.9)], new Map())[0].name).toBe('Sodium chloride 0.9 g/100 mL + Potassium chloride 20 mmol/L');
  });

  it('two strengths of one mixture are two items in the list cell, the tab and the CSV; one strength twice is "×2"', () => {
    expect(shown([infusion(0.9), infusion(0.45)])).toEqual({
      tab: 'Sodium chloride 0.9 g/100 mL + Potassium chloride 20 mmol/L, Sodium chloride 0.45 g/100 mL + Potassium chloride 20 mmol/L',
      csv: 'Sodium chloride 0.9 g/100 mL + Potassium chloride 20 mmol/L; Sodium chloride 0.45 g/100 mL + Potassium chloride 20 mmol/L',
    });
    expect(shown([infusion(0.9), infusion(0.9)]).tab).toBe('Sodium chloride 0.9 g/100 mL + Potassium chloride 20 mmol/L ×2');
  });

  it('an ingredient without a strength is named as before', () => {
    const r = order(release, {
      contained: [mixture([ingredient('Heparin'), ingredient('Dextrose 5%')])],
      medicationReference: { reference: '#mix' },
    });
    expect(shown([r]).tab).toBe('Heparin + Dextrose 5%');
  });
});

/**
 * 2. Dosage instructions in words say their order and their bounds. Dosage.sequence (STU3, R4:
 * "the order in which the dosage instructions should be applied or interpreted"): steps of later
 * numbers follow ("; then "), steps of the same number are given together. Timing.repeat.bounds[x]
 * (DSTU2 boundsQuantity/boundsRange/boundsPeriod, STU3 and R4 boundsDuration/boundsRange/
 * boundsPeriod): "for 3 days", "from 2026-12-07 until 2026-12-14". Timing.repeat.offset (STU3, R4:
 * minutes from the event in `when`): "30 min before breakfast".
 */
const dosageOf = (release: Release, instructions: JsonObject[]) =>
  readMedications([order(release, { medicationCodeableConcept: { text: 'Prednisone' }, dosageInstruction: instructions })], new Map(), NOW)[0].dosage;
const dose = (release: Release, value: number) =>
  release === 'R4' ? { doseAndRate: [{ doseQuantity: { value, unit: 'mg' } }] } : { doseQuantity: { value, unit: 'mg' } };
const step = (release: Release, value: number, repeat: JsonObject, extra: JsonObject = {}) => ({
  ...dose(release, value),
  timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd', ...repeat } },
  ...extra,
});
const lasting = (release: Release, value: number) => ({
  [release === 'DSTU2' ? 'boundsQuantity' : 'boundsDuration']: { value, unit: 'days', system: UCUM, code: 'd' },
});

describe.each(['STU3', 'R4'] as Release[])('a taper in sequenced steps reads in order (%s)', (release) => {
  it('"40 mg every 1 d for 3 days; then 20 mg every 1 d for 3 days", whatever order the steps are listed in', () => {
    const first = step(release, 40, lasting(release, 3), { sequence: 1 });
    const second = step(release, 20, lasting(release, 3), { sequence: 2 });
    expect(dosageOf(release, [first, second])).toBe('40 mg every 1 d for 3 days; then 20 mg every 1 d for 3 days');
    expect(dosageOf(release, [second, first])).toBe('40 mg every 1 d for 3 days; then 20 mg every 1 d for 3 days');
  });

  it('steps of the same sequence are given together: no "then" between them', () => {
    const a = step(release, 40, {}, { sequence: 1 });
    const b = step(release, 20, {}, { sequence: 1 });
    const c = step(release, 10, {}, { sequence: 2 });
    expect(dosageOf(release, [a, b])).toBe('40 mg every 1 d; 20 mg every 1 d');
    expect(dosageOf(release, [a, b, c])).toBe('40 mg every 1 d; 20 mg every 1 d; then 10 mg every 1 d');
  });

  it('a step in words is ordered too, and a step already saying "then" is not said twice', () => {
    expect(
      dosageOf(release, [
        { sequence: 2, text: 'then 20 mg daily for 5 days' },
        { sequence: 1, text: '40 mg daily for 5 days' },
      ]),
    ).toBe('40 mg daily for 5 days; then 20 mg daily for 5 days');
    expect(
      dosageOf(release, [
        { sequence: 1, text: '40 mg daily' },
        { sequence: 2, text: '20 mg daily' },
      ]),
    ).toBe('40 mg daily; then 20 mg daily');
  });

  it('instructions without sequence (order not known) keep "; " and their listed order', () => {
    expect(dosageOf(release, [step(release, 40, {}, { sequence: 1 }), step(release, 20, {})])).toBe('40 mg every 1 d; 20 mg every 1 d');
  });

  it('Timing.repeat.offset: minutes before or after the event in `when`', () => {
    expect(dosageOf(release, [step(release, 40, { when: ['ACM'], offset: 30 })])).toBe('40 mg every 1 d 30 min before breakfast');
    expect(dosageOf(release, [step(release, 40, { when: ['PCV'], offset: 60 })])).toBe('40 mg every 1 d 60 min after dinner');
    // HS is "prior to beginning a regular period of extended sleep" (v3 TimingEvent): its offset counts back.
    expect(dosageOf(release, [step(release, 40, { when: ['HS'], offset: 30 })])).toBe('40 mg every 1 d 30 min before bedtime');
    // An event that does not say before or after: the offset is after it (Timing.repeat.offset).
    expect(dosageOf(release, [step(release, 40, { when: ['WAKE'], offset: 15 })])).toBe('40 mg every 1 d 15 min after waking');
    expect(dosageOf(release, [step(release, 40, { when: ['ACM'], offset: 0 })])).toBe('40 mg every 1 d before breakfast');
  });

  it('a statement’s dosage (Dosage, STU3 and R4) reads in order as well', () => {
    const statement = {
      resourceType: 'MedicationStatement',
      status: 'active',
      ...(release === 'STU3' ? { taken: 'y' } : {}),
      medicationCodeableConcept: { text: 'Prednisone' },
      dosage: [step(release, 20, lasting(release, 3), { sequence: 2 }), step(release, 40, lasting(release, 3), { sequence: 1 })],
    };
    expect(readMedications([statement], new Map(), NOW)[0].dosage).toBe('40 mg every 1 d for 3 days; then 20 mg every 1 d for 3 days');
  });
});

describe.each(releases)('a step’s bounds are part of its words (%s)', (release) => {
  it('a length: "for 3 days"; a range of lengths: "for 3–5 days"', () => {
    expect(dosageOf(release, [step(release, 40, lasting(release, 3))])).toBe('40 mg every 1 d for 3 days');
    const range = { boundsRange: { low: { value: 3, unit: 'days' }, high: { value: 5, unit: 'days' } } };
    expect(dosageOf(release, [step(release, 40, range)])).toBe('40 mg every 1 d for 3–5 days');
  });

  it('a period: "from 2026-12-07", "until 2026-12-14", or both, as Timing.event dates are written', () => {
    expect(dosageOf(release, [step(release, 40, { boundsPeriod: { start: '2026-12-07' } })])).toBe('40 mg every 1 d from 2026-12-07');
    expect(dosageOf(release, [step(release, 40, { boundsPeriod: { end: '2026-12-14' } })])).toBe('40 mg every 1 d until 2026-12-14');
    expect(dosageOf(release, [step(release, 40, { boundsPeriod: { start: '2026-12-07T08:00:00Z', end: '2026-12-14' } })])).toBe(
      '40 mg every 1 d from 2026-12-07 08:00 UTC until 2026-12-14',
    );
  });

  it('a taper dated step by step reads each step with its dates', () => {
    const steps = [
      step(release, 40, { boundsPeriod: { start: '2026-12-07', end: '2026-12-09' } }),
      step(release, 20, { boundsPeriod: { start: '2026-12-10', end: '2026-12-12' } }),
    ];
    expect(dosageOf(release, steps)).toBe('40 mg every 1 d from 2026-12-07 until 2026-12-09; 20 mg every 1 d from 2026-12-10 until 2026-12-12');
  });

  it('bounds come before the number of doses', () => {
    expect(dosageOf(release, [step(release, 40, { ...lasting(release, 3), count: 3 })])).toBe('40 mg every 1 d for 3 days, 3 doses');
  });
});

/**
 * 3. STU3 MedicationStatement.taken `na` ("Not Applicable": patient reporting does not apply,
 * https://hl7.org/fhir/STU3/valueset-medication-statement-taken.html) asserts neither that the drug
 * was taken (`y`) nor that it was not (`n`): listed as `unk` is, marked TAKEN_UNKNOWN, never as a
 * drug plainly being taken, nor hidden as one not taken.
 */
describe('STU3 MedicationStatement.taken = na', () => {
  const statement: JsonObject = {
    resourceType: 'MedicationStatement',
    status: 'active',
    subject: { reference: 'Patient/p' },
    taken: 'na',
    medicationCodeableConcept: { text: 'Warfarin 5 mg' },
  };

  it('is current, marked not known whether taken, in the view, the details group, the tab and the CSV', () => {
    const [view] = readMedications([statement], new Map(), NOW);
    expect(view).toMatchObject({ name: 'Warfarin 5 mg', current: true, status: TAKEN_UNKNOWN });
    expect(view.notTaken).toBeUndefined();
    expect(medicationGroup(view)).toBe('taken-unknown');
    expect(shown([statement])).toEqual({ tab: 'Warfarin 5 mg (not known if taken)', csv: 'Warfarin 5 mg (not known if taken)' });
  });
});
