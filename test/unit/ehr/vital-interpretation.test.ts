import { afterEach, describe, expect, it } from 'vitest';
import { cellText, showCell } from '../../../client/shared/cells';
import { setLanguage, t } from '../../../client/shared/i18n/t';
import { columnCells } from '../../../contract/cells.js';
import { adultFrom } from '../../../contract/vital-ranges.js';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import type { PatientClinical } from '../../../server/ehr/clinical/types.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { csvColumns } from '../../../server/features/lists/cell-text.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import { vitalObservation } from './vital-observations.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';

/**
 * The EHR's own interpretation of a vital sign (Observation.interpretation, v2-0078 codes), per
 * FHIR release, from Observations through the list cell (assemblePart → cellsFor → showCell), the
 * details' reading and the CSV's flag column: shown as the EHR's when the app's NEWS2 flag gives
 * none (a child's reading) or a less severe one; the app's flag stays as it is.
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
const releases: Release[] = ['DSTU2', 'STU3', 'R4'];
const UCUM = 'http://unitsofmeasure.org';
const HOUR = 3_600_000;
const YEAR = 365.25 * 24 * HOUR;
const now = Date.now();
const taken = new Date(now - HOUR).toISOString();
const birth = (years: number) => new Date(now - years * YEAR).toISOString().slice(0, 10);
const CHILD = birth(10);
const ADULT = birth(40);

/** The interpretation code system of the release (v2 table 0078; R4 the v3 ObservationInterpretation code system). */
const system = (release: Release) =>
  release === 'R4' ? 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation' : 'http://hl7.org/fhir/v2/0078';
const concept = (release: Release, code: string, withSystem = true) => ({ coding: [{ ...(withSystem ? { system: system(release) } : {}), code }] });
/** Observation.interpretation as the release writes it: one CodeableConcept (DSTU2, STU3), an array (R4). */
const interpretation = (release: Release, ...codes: string[]) => {
  const concepts = codes.map((code) => concept(release, code));
  return { interpretation: release === 'R4' ? concepts : concepts[0] };
};

const observation = (release: Release, code: string, value: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  vitalObservation(release, code, taken, value, extra);
const heartRate = (release: Release, value: number, extra?: Record<string, unknown>) =>
  observation(release, '8867-4', { valueQuantity: { value, unit: '/min', system: UCUM, code: '/min' } }, extra);
const mmHg = (value: number) => ({ value, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' });
const half = (release: Release, code: string, value: number, extra?: Record<string, unknown>) =>
  observation(release, code, { valueQuantity: mmHg(value) }, extra);
function panel(release: Release, sys: number, dia: number, extra?: Record<string, unknown>, sysExtra: Record<string, unknown> = {}) {
  const component = [
    { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: mmHg(sys), ...sysExtra },
    { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: mmHg(dia) },
  ];
  return observation(release, release === 'DSTU2' ? '55284-4' : '85354-9', { component }, extra);
}

/** A list row's cell, the tab's display of it, the details' display of the reading, and the CSV flag column, for a patient born on `birthDate`. */
function listed(column: 'heartRate' | 'bloodPressure', resources: object[], birthDate = ADULT) {
  const adult = adultFrom(birthDate);
  const rows = [false, true].map((history) => {
    const parts = assemblePart('vitals', { ok: true, set: { resources: resources as never, included: [] } }, new Map(), new Warnings(), { history });
    const clinical = { careProvider: { status: 'none' }, warnings: [], ...parts } as unknown as PatientClinical;
    const cell = cellsFor([column], clinical, undefined)[column];
    expect(columnCells[column].parse(cell)).toEqual(cell);
    const reading = parts.vitals?.status === 'ok' ? parts.vitals.value[column] : undefined;
    return { cell, reading };
  });
  // The list row's read and the full read agree.
  expect(rows[0].cell).toEqual(rows[1].cell);
  const { cell, reading } = rows[1];
  const shown = showCell(column, cell, now, adult);
  // The details show the reading as the list does.
  const details = cellText(column, { status: 'ok', value: reading }, now, adult);
  expect([details.flag, details.ehrFlag]).toEqual([shown.flag, shown.ehrFlag]);
  const row: ListRow = { patientId: 'p1', displayName: 'A', mrn: null, birthDate, gender: null, available: true, cells: { [column]: cell } };
  const heading = column === 'heartRate' ? 'Heart rate' : 'Blood pressure';
  const csvFlag = csvColumns(column, heading, 'UTC')
    .find((c) => c.heading === `${heading} flag`)!
    .value(row);
  // The words the marks show (VitalMarks: `vital.flag.*`, then `vital.ehrFlag.*`).
  const words = [shown.flag && t(`vital.flag.${shown.flag}`), shown.ehrFlag && t(`vital.ehrFlag.${shown.ehrFlag}`)].filter(Boolean);
  return { cell, shown, csvFlag, words };
}

describe.each(releases)('the EHR interpretation of a vital sign through %s', (release) => {
  afterEach(() => setLanguage('en'));

  it("shows a child's heart rate the EHR marks critical high (HH) as the EHR's, where NEWS2 gives no flag", () => {
    const { cell, shown, csvFlag, words } = listed('heartRate', [heartRate(release, 70, interpretation(release, 'HH'))], CHILD);
    expect(cell).toMatchObject({ status: 'ok', value: { value: { value: 70 }, interpretation: 'criticalHigh' } });
    expect(shown).toMatchObject({ text: '70/min', ehrFlag: 'criticalHigh' });
    expect(shown.flag).toBeUndefined();
    expect(words).toEqual(['Critical high (EHR)']);
    expect(csvFlag).toBe('Critical high (EHR)');
    setLanguage('ru');
    expect(t(`vital.ehrFlag.${shown.ehrFlag!}`)).toBe('Критически высокое (ЭМК)');
  });

  it("keeps the app's NEWS2 flag, adding the EHR's only when it is more severe", () => {
    // 135/min: NEWS2 critical high; the EHR's H says less.
    const same = listed('heartRate', [heartRate(release, 135, interpretation(release, 'H'))]);
    expect(same.shown).toMatchObject({ flag: 'criticalHigh', news2: 3 });
    expect(same.shown.ehrFlag).toBeUndefined();
    expect(same.words).toEqual(['Critical high']);
    expect(same.csvFlag).toBe('Critical high');
    // 95/min: NEWS2 high; the EHR's HH is more.
    const more = listed('heartRate', [heartRate(release, 95, interpretation(release, 'HH'))]);
    expect(more.shown).toMatchObject({ flag: 'high', ehrFlag: 'criticalHigh' });
    expect(more.words).toEqual(['High', 'Critical high (EHR)']);
    expect(more.csvFlag).toBe('High; Critical high (EHR)');
  });

  it('shows nothing for N (normal), nor for a code of another system, nor for off-scale > (left to the comparator)', () => {
    for (const extra of [
      interpretation(release, 'N'),
      interpretation(release, '>'),
      {
        interpretation:
          release === 'R4'
            ? [{ coding: [{ system: 'http://example.org/flags', code: 'HH' }] }]
            : { coding: [{ system: 'http://example.org/flags', code: 'HH' }] },
      },
      { interpretation: { text: 'very high' } },
    ]) {
      const { cell, shown, csvFlag } = listed('heartRate', [heartRate(release, 70, extra)], CHILD);
      expect(cell.status === 'ok' && 'interpretation' in (cell.value as object)).toBe(false);
      expect(shown.flag).toBeUndefined();
      expect(shown.ehrFlag).toBeUndefined();
      expect(csvFlag).toBe('');
    }
  });

  it('reads a code without a system, HU as high, LL as critical low, AA as critical abnormal', () => {
    const code = (c: string, withSystem = true) =>
      listed(
        'heartRate',
        [heartRate(release, 70, { interpretation: release === 'R4' ? [concept(release, c, withSystem)] : concept(release, c, withSystem) })],
        CHILD,
      );
    expect(code('HH', false).shown.ehrFlag).toBe('criticalHigh');
    expect(code('HU').shown.ehrFlag).toBe('high');
    expect(code('LL').words).toEqual(['Critical low (EHR)']);
    expect(code('A').csvFlag).toBe('Abnormal (EHR)');
    expect(code('AA').words).toEqual(['Critical abnormal (EHR)']);
  });

  it('takes the most severe of several interpretations (R4 0..*; in DSTU2 and STU3 the codings of the one)', () => {
    const several =
      release === 'R4'
        ? interpretation(release, 'H', 'LL', 'N')
        : {
            interpretation: {
              coding: [
                { system: system(release), code: 'H' },
                { system: system(release), code: 'LL' },
              ],
            },
          };
    const { shown, csvFlag } = listed('heartRate', [heartRate(release, 70, several)], CHILD);
    expect(shown.ehrFlag).toBe('criticalLow');
    expect(csvFlag).toBe('Critical low (EHR)');
  });

  it("gives a blood pressure the more severe of its halves' and its panel's interpretation", () => {
    // Standalone halves: the diastolic's LL outweighs the systolic's H.
    const halves = listed(
      'bloodPressure',
      [half(release, '8480-6', 120, interpretation(release, 'H')), half(release, '8462-4', 30, interpretation(release, 'LL'))],
      CHILD,
    );
    expect(halves.cell).toMatchObject({ value: { interpretation: 'criticalLow' } });
    expect(halves.shown).toMatchObject({ text: '120/30 mmHg', ehrFlag: 'criticalLow' });
    expect(halves.csvFlag).toBe('Critical low (EHR)');
    // A panel marked on the panel: the app's systolic flag (low, 105) stays, the EHR's AA beside it.
    const marked = listed('bloodPressure', [panel(release, 105, 40, interpretation(release, 'AA'))]);
    expect(marked.shown).toMatchObject({ flag: 'low', ehrFlag: 'criticalAbnormal' });
    expect(marked.csvFlag).toBe('Low; Critical abnormal (EHR)');
    // A component's interpretation (STU3 and R4: DSTU2 components have none, but are read alike).
    const component = listed('bloodPressure', [panel(release, 125, 80, interpretation(release, 'H'), interpretation(release, 'HH'))], CHILD);
    expect(component.shown.ehrFlag).toBe('criticalHigh');
  });
});
