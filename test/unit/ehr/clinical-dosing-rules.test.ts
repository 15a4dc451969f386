import { describe, expect, it } from 'vitest';
import { showCell } from '../../../client/shared/cells';
import { assemblePart, indexMedications } from '../../../server/ehr/clinical/assemble.js';
import { readMedications } from '../../../server/ehr/clinical/medications.js';
import type { ClinicalPart } from '../../../server/ehr/clinical/types.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { cellText } from '../../../server/features/lists/cell-text.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';

/**
 * Rules an outside clinical review confirmed, for every record and every FHIR release, read the way
 * the list shows them: assemblePart (the EHR client) → cellsFor (the list's cells) → showCell (the
 * tab) and cellText (the CSV).
 * - A statement of no known allergy keeps its verification mark ("No known allergies (unconfirmed)").
 * - A condition whose verification is `unknown` (DSTU2, STU3) is marked as not confirmed.
 * - An order whose every dosage instruction's schedule bounds (Timing.repeat.bounds[x]) have ended is not current.
 * - Two different orders of one drug are counted ("Heparin ×2"), the same order listed twice is named once.
 * - A dosage instruction without text is read from its structure ("5000 U SC every 8 h").
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
const releases: Release[] = ['DSTU2', 'STU3', 'R4'];
const SCT = 'http://snomed.info/sct';
const DAY = 86_400_000;
const NOW = Date.parse('2026-06-15T12:00:00Z');
/** A date `days` from now (negative: ago), as the pipeline reads it against the clock. */
const dayFromNow = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

/** The list cell, the tab's text and the CSV's text of a part for these resources. */
function shown(part: ClinicalPart & ('conditions' | 'allergies' | 'medications'), resources: JsonObject[]) {
  const cells = assemblePart(part, { ok: true, set: { resources, included: [] } }, indexMedications([], new Map()), new Warnings());
  const clinical = { careProvider: { status: 'none' }, warnings: [], ...cells } as unknown as PatientClinical;
  const cell = cellsFor([part], clinical, undefined)[part];
  const display = showCell(part, cell);
  const row = { patientId: 'p1', displayName: 'Ann Doe', mrn: null, birthDate: null, gender: null, available: true, cells: { [part]: cell } };
  return { cell, tab: display.full ?? display.text, csv: cellText(part, row as unknown as ListRow) };
}

const coded = (release: Release, code: string, system: string) => (release === 'R4' ? { coding: [{ system, code }] } : code);

function noKnownAllergy(release: Release, verification: string | null): JsonObject {
  const concept = { coding: [{ system: SCT, code: '716186003', display: 'No known allergy' }] };
  if (release === 'DSTU2') return { resourceType: 'AllergyIntolerance', substance: concept, ...(verification ? { status: verification } : {}) };
  return {
    resourceType: 'AllergyIntolerance',
    code: concept,
    clinicalStatus: coded(release, 'active', 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical'),
    ...(verification
      ? { verificationStatus: coded(release, verification, 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification') }
      : {}),
  };
}

describe.each(releases)('a statement of no known allergy keeps its verification (%s)', (release) => {
  it('reads "No known allergies (unconfirmed)" in the cell, the tab and the CSV when the EHR has not confirmed it', () => {
    const { cell, tab, csv } = shown('allergies', [noKnownAllergy(release, 'unconfirmed')]);
    expect(cell).toEqual({ status: 'ok', value: [{ substance: null, criticality: null, noneKnown: true, verification: 'unconfirmed' }] });
    expect(tab).toBe('No known allergies (unconfirmed)');
    expect(csv).toBe('No known allergies (unconfirmed)');
  });

  it('reads plain "No known allergies" when confirmed, and a confirmed statement outweighs an unconfirmed one', () => {
    const confirmed = noKnownAllergy(release, 'confirmed');
    expect(shown('allergies', [confirmed])).toMatchObject({ tab: 'No known allergies', csv: 'No known allergies' });
    expect(shown('allergies', [noKnownAllergy(release, 'unconfirmed'), confirmed]).tab).toBe('No known allergies');
  });
});

describe.each(['DSTU2', 'STU3'] as Release[])('a condition whose verification is unknown (%s)', (release) => {
  // `unknown` states no verification (DSTU2 requires one; R4 leaves it out instead): unmarked (condition-verification-unknown.test.ts).
  it('is not marked "(unconfirmed)", and gives way to a confirmed record of the same problem', () => {
    const asthma = (code: string) => ({
      resourceType: 'Condition',
      code: { text: 'Asthma' },
      verificationStatus: coded(release, code, 'http://hl7.org/fhir/condition-ver-status'),
    });
    const { cell, tab, csv } = shown('conditions', [asthma('unknown')]);
    expect(cell).toEqual({ status: 'ok', value: [{ display: 'Asthma', clinicalStatus: null }] });
    expect(tab).toBe('Asthma');
    expect(csv).toBe('Asthma');
    expect(shown('conditions', [asthma('unknown'), asthma('confirmed')]).tab).toBe('Asthma');
  });
});

/** An active order of the release (DSTU2 MedicationOrder, STU3/R4 MedicationRequest). */
function order(release: Release, name: string, fields: JsonObject = {}): JsonObject {
  return {
    resourceType: release === 'DSTU2' ? 'MedicationOrder' : 'MedicationRequest',
    status: 'active',
    ...(release === 'DSTU2' ? {} : { intent: 'order' }),
    medicationCodeableConcept: { text: name },
    ...fields,
  };
}
const written = (release: Release, date: string) => (release === 'DSTU2' ? { dateWritten: date } : { authoredOn: date });
const bounded = (bounds: JsonObject, text = '1 g IV q8h') => ({ text, timing: { repeat: bounds } });
/** A Duration: STU3/R4 `boundsDuration`, DSTU2 `boundsQuantity`. */
const lasting = (release: Release, value: number, code: string) => ({
  [release === 'DSTU2' ? 'boundsQuantity' : 'boundsDuration']: { value, unit: code, system: 'http://unitsofmeasure.org', code },
});

describe.each(releases)('an order whose dosing schedule has ended (%s)', (release) => {
  const read = (o: JsonObject) => readMedications([o], new Map(), NOW)[0];

  it.each([
    ['boundsPeriod ended a month ago', [bounded({ boundsPeriod: { start: '2026-05-01', end: '2026-05-15' } })], {}, false],
    ['boundsPeriod ending today (a date lasts its whole day)', [bounded({ boundsPeriod: { end: '2026-06-15' } })], {}, true],
    // A schedule's end says when the last dose was due, not that it was given: current for a day after it (medications.ts DOSING_GRACE_MS).
    [
      'boundsPeriod ended an hour ago (a dateTime): the last dose may be late',
      [bounded({ boundsPeriod: { end: '2026-06-15T11:00:00Z' } })],
      {},
      true,
    ],
    ['boundsPeriod ended a day and an hour ago (a dateTime)', [bounded({ boundsPeriod: { end: '2026-06-14T11:00:00Z' } })], {}, false],
    ['boundsPeriod ending next week', [bounded({ boundsPeriod: { end: '2026-06-22' } })], {}, true],
    ['boundsPeriod with a start only', [bounded({ boundsPeriod: { start: '2026-01-01' } })], {}, true],
    ['one instruction ended, another without bounds', [bounded({ boundsPeriod: { end: '2026-05-15' } }), { text: '1 g IV daily' }], {}, true],
    ['every instruction ended', [bounded({ boundsPeriod: { end: '2026-05-15' } }), bounded({ boundsPeriod: { end: '2026-06-01' } })], {}, false],
    ['no bounds', [{ text: '1 g IV q8h', timing: { repeat: { frequency: 1, period: 8, periodUnit: 'h' } } }], {}, true],
    ['no dosage instruction', [], {}, true],
  ] as [string, JsonObject[], JsonObject, boolean][])('%s', (_, dosageInstruction, extra, current) => {
    const view = read(order(release, 'Cefazolin 1 g', { dosageInstruction, ...extra }));
    expect(view).toMatchObject({ current, status: current ? 'active' : 'ended' });
  });

  it.each([
    ['3 days from a date written 20 days ago', 3, 'd', '2026-05-26', false],
    ['3 days from a date written 2 days ago', 3, 'd', '2026-06-13', true],
    ['3 days from a dateTime written 3 days and an hour ago: a day to be given', 3, 'd', '2026-06-12T11:00:00Z', true],
    ['3 days from a dateTime written 4 days and an hour ago', 3, 'd', '2026-06-11T11:00:00Z', false],
    ['2 weeks from a date written 10 days ago', 2, 'wk', '2026-06-05', true],
    ['1 month from a date written 40 days ago', 1, 'mo', '2026-05-06', false],
  ] as [string, number, string, string, boolean][])(
    'a length (bounds Duration) counted from the date written: %s',
    (_, value, unit, date, current) => {
      const view = read(order(release, 'Oxycodone 5 mg', { ...written(release, date), dosageInstruction: [bounded(lasting(release, value, unit))] }));
      expect(view).toMatchObject({ current, status: current ? 'active' : 'ended' });
    },
  );

  it.each([
    // Timing.repeat.count: the doses in all. 3 doses every 8 h last 24 h; 1 a day, 1 day.
    ['3 doses every 8 h written 23 hours ago', { count: 3, frequency: 1, period: 8, periodUnit: 'h' }, '2026-06-14T13:00:00Z', true],
    [
      '3 doses every 8 h written 25 hours ago: the last may be late',
      { count: 3, frequency: 1, period: 8, periodUnit: 'h' },
      '2026-06-14T11:00:00Z',
      true,
    ],
    ['3 doses every 8 h written 49 hours ago', { count: 3, frequency: 1, period: 8, periodUnit: 'h' }, '2026-06-13T11:00:00Z', false],
    ['one dose, written two days ago', { count: 1, period: 1, periodUnit: 'd' }, '2026-06-13T12:00:00Z', false],
    [
      '2 to 6 doses (the most counts) 2 a day, written 2 days ago',
      { count: 2, countMax: 6, frequency: 2, period: 1, periodUnit: 'd' },
      '2026-06-13T12:00:00Z',
      true,
    ],
    ['a count without a period', { count: 3 }, '2020-01-01T00:00:00Z', true],
    [
      // Not begun (boundsPeriod.start to come): current, and `intended`, as a statement not yet begun (medications-truth-taper).
      '3 doses a day for a course starting next week',
      { count: 3, period: 1, periodUnit: 'd', boundsPeriod: { start: '2026-06-22' } },
      '2026-06-01T00:00:00Z',
      true,
      'intended',
    ],
  ] as [string, JsonObject, string, boolean, string?][])('a number of doses (Timing.repeat.count): %s', (_, repeat, date, current, status) => {
    const view = read(order(release, 'Cefazolin 1 g', { ...written(release, date), dosageInstruction: [{ timing: { repeat } }] }));
    expect(view).toMatchObject({ current, status: status ?? (current ? 'active' : 'ended') });
  });

  it('says the number of doses in the dosage written from its structure', () => {
    const dosage = (repeat: JsonObject) =>
      read(order(release, 'Cefazolin 1 g', { dosageInstruction: [{ route: { text: 'IV' }, timing: { repeat } }] })).dosage;
    expect(dosage({ count: 3, frequency: 1, period: 8, periodUnit: 'h' })).toBe('IV every 8 h, 3 doses');
    expect(dosage({ count: 1, period: 1, periodUnit: 'd' })).toBe('IV every 1 d, 1 dose');
    expect(dosage({ count: 2, countMax: 4 })).toBe('IV 2–4 doses');
  });

  it('a length without a date written, or a date written without bounds, leaves the order current', () => {
    expect(read(order(release, 'Oxycodone 5 mg', { dosageInstruction: [bounded(lasting(release, 3, 'd'))] })).current).toBe(true);
    expect(
      read(order(release, 'Oxycodone 5 mg', { ...written(release, '2020-01-01'), dosageInstruction: [{ text: '5 mg PO q4h PRN' }] })).current,
    ).toBe(true);
  });

  it('an ended order is left out of the list cell and reads "ended" in the details, after the current ones', () => {
    const ended = order(release, 'Cefazolin 1 g', { dosageInstruction: [bounded({ boundsPeriod: { end: dayFromNow(-30) } })] });
    const going = order(release, 'Metoprolol 25 mg', { dosageInstruction: [bounded({ boundsPeriod: { end: dayFromNow(30) } })] });
    expect(shown('medications', [ended]).tab).toBe('None recorded');
    expect(shown('medications', [ended, going]).tab).toBe('Metoprolol 25 mg');
    expect(readMedications([ended, going], new Map()).map((m) => [m.name, m.status])).toEqual([
      ['Metoprolol 25 mg', 'active'],
      ['Cefazolin 1 g', 'ended'],
    ]);
  });
});

describe.each(releases)('different orders of one drug (%s)', (release) => {
  const heparin = (text: string, fields: JsonObject = {}) => order(release, 'Heparin', { dosageInstruction: [{ text }], ...fields });

  it('counts two different orders by the same name: "Heparin ×2", in the cell, the tab and the CSV', () => {
    const { cell, tab, csv } = shown('medications', [heparin('5000 units SC q8h'), heparin('18 units/kg/h IV infusion')]);
    expect(cell).toEqual({ status: 'ok', value: [{ name: 'Heparin', status: 'active', count: 2 }] });
    expect(tab).toBe('Heparin ×2');
    expect(csv).toBe('Heparin ×2');
  });

  it('counts two orders of the same drug and dose as two: a duplicate order is a second dose, never merged by its wording', () => {
    const { cell, tab, csv } = shown('medications', [heparin('5000 units SC q8h'), heparin('5000 Units  SC q8h')]);
    expect(cell).toEqual({ status: 'ok', value: [{ name: 'Heparin', status: 'active', count: 2 }] });
    expect(tab).toBe('Heparin ×2');
    expect(csv).toBe('Heparin ×2');
  });

  it('counts orders of a structured dose alike, the same dose or another', () => {
    const dose = (value: number) =>
      release === 'R4' ? { doseAndRate: [{ doseQuantity: { value, unit: 'U' } }] } : { doseQuantity: { value, unit: 'U' } };
    const structured = (value: number) => order(release, 'Heparin', { dosageInstruction: [{ route: { text: 'SC' }, ...dose(value) }] });
    expect(shown('medications', [structured(5000), structured(5000)]).tab).toBe('Heparin ×2');
    expect(shown('medications', [structured(5000), structured(7500)]).tab).toBe('Heparin ×2');
  });

  it('keeps orders of another status apart, each with its mark, and other drugs in their place', () => {
    const held = heparin('18 units/kg/h IV', { status: 'on-hold' });
    const other = order(release, 'Metformin 500 mg');
    expect(shown('medications', [heparin('5000 units SC q8h'), other, held]).tab).toBe('Heparin, Metformin 500 mg, Heparin (on hold)');
    expect(shown('medications', [heparin('5000 units SC q8h'), other, held]).csv).toBe('Heparin; Metformin 500 mg; Heparin (on hold)');
    expect(shown('medications', [heparin('5000 units SC q8h'), heparin('5000 units SC q12h'), other]).csv).toBe('Heparin ×2; Metformin 500 mg');
  });
});

describe.each(releases)('a dosage given only by its structure (%s)', (release) => {
  /** A Dosage with a dose: R4 `doseAndRate[].doseQuantity`/`doseRange`, STU3 and DSTU2 `doseQuantity`/`doseRange` on the dosage. */
  const withDose = (dose: JsonObject, rest: JsonObject = {}) => (release === 'R4' ? { doseAndRate: [dose], ...rest } : { ...dose, ...rest });
  const dosageOf = (instruction: JsonObject) =>
    readMedications([order(release, 'Heparin', { dosageInstruction: [instruction] })], new Map(), NOW)[0].dosage;

  it.each([
    [
      'dose, route and schedule',
      withDose(
        { doseQuantity: { value: 5000, unit: 'U' } },
        { route: { text: 'SC' }, timing: { repeat: { frequency: 1, period: 8, periodUnit: 'h' } } },
      ),
      '5000 U SC every 8 h',
    ],
    ['a dose with its UCUM code only', withDose({ doseQuantity: { value: 40, system: 'http://unitsofmeasure.org', code: 'mg' } }), '40 mg'],
    [
      'a dose range, as needed for pain',
      withDose(
        { doseRange: { low: { value: 1, unit: 'tablet' }, high: { value: 2, unit: 'tablet' } } },
        { asNeededCodeableConcept: { text: 'pain' }, timing: { repeat: { frequency: 1, periodMax: 6, period: 4, periodUnit: 'h' } } },
      ),
      '1–2 tablet every 4–6 h as needed for pain',
    ],
    [
      'twice a day with meals, as needed',
      withDose(
        { doseQuantity: { value: 500, unit: 'mg' } },
        { timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd', when: ['C'] } }, asNeededBoolean: true },
      ),
      '500 mg 2 times every 1 d with meals as needed',
    ],
    [
      'a coded route without words is not read out as a code',
      withDose({ doseQuantity: { value: 5, unit: 'mg' } }, { route: { coding: [{ system: SCT, code: '26643006' }] } }),
      '5 mg',
    ],
    ['a schedule by its code', { timing: { code: { coding: [{ code: 'BID' }] } }, route: { text: 'PO' } }, 'PO BID'],
  ] as [string, JsonObject, string][])('%s', (_, instruction, text) => {
    expect(dosageOf(instruction)).toBe(text);
  });

  it('keeps the text when there is one, and joins instructions with "; "', () => {
    expect(dosageOf(withDose({ doseQuantity: { value: 5000, unit: 'U' } }, { text: '5,000 units SC every 8 hours' }))).toBe(
      '5,000 units SC every 8 hours',
    );
    const two = readMedications(
      [order(release, 'Heparin', { dosageInstruction: [{ text: 'Loading dose' }, withDose({ doseQuantity: { value: 5000, unit: 'U' } })] })],
      new Map(),
    )[0];
    expect(two.dosage).toBe('Loading dose; 5000 U');
  });

  it('an instruction stating nothing the app reads gives no dosage', () => {
    expect(dosageOf({ sequence: 1 })).toBeNull();
  });

  if (release === 'DSTU2')
    it('a DSTU2 MedicationStatement dosage reads its quantity[x]', () => {
      const statement = {
        resourceType: 'MedicationStatement',
        status: 'active',
        medicationCodeableConcept: { text: 'Ibuprofen' },
        dosage: [
          { quantityQuantity: { value: 400, unit: 'mg' }, route: { text: 'PO' }, timing: { repeat: { frequency: 3, period: 1, periodUnit: 'd' } } },
        ],
      };
      expect(readMedications([statement], new Map(), NOW)[0].dosage).toBe('400 mg PO 3 times every 1 d');
    });
});
