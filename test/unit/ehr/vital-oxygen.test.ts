import { afterEach, describe, expect, it } from 'vitest';
import { showCell } from '../../../client/shared/cells';
import { setLanguage } from '../../../client/shared/i18n/t';
import { trendOf, pointText } from '../../../client/features/patient-details/trend-data';
import { columnCells } from '../../../contract/cells.js';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import type { PatientClinical } from '../../../server/ehr/clinical/types.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { cellText, csvColumns } from '../../../server/features/lists/cell-text.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';
import type { Release } from './clinical-records.js';
import { vitalObservation } from './vital-observations.js';

/**
 * An SpO2 taken on supplemental oxygen is never shown as one on air (NEWS2 scores "air or
 * oxygen?" beside the saturation). The oxygen comes as components of the reading (US Core pulse
 * oximetry on R4: 3151-8 flow, 3150-0 concentration) or, in every release, as Observations of its
 * own taken with it; from Observations through the list cell, the tab, the details' trend and the CSV.
 */
const releases: Release[] = ['DSTU2', 'STU3', 'R4'];
const UCUM = 'http://unitsofmeasure.org';
const NOW = Date.now();
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const TAKEN = NOW - 30 * MIN;
const spo2Code = (release: Release) => (release === 'R4' ? '2708-6' : '59408-5');
const loinc = (code: string) => ({ coding: [{ system: 'http://loinc.org', code }] });
const flow = (value: number, unit = 'L/min') => ({ value, unit, system: UCUM, code: unit });
const percent = (value: number) => ({ value, unit: '%', system: UCUM, code: '%' });

const spo2 = (release: Release, value: number, at = TAKEN, component?: object[]) =>
  vitalObservation(release, spo2Code(release), iso(at), { valueQuantity: percent(value) }, component ? { component } : {});
const oxygenObs = (release: Release, code: '3151-8' | '3150-0', quantity: object, at = TAKEN) =>
  vitalObservation(release, code, iso(at), { valueQuantity: quantity });

/** The list row's SpO2 cell (first-page read and full read, which must agree), as the contract parses it. */
function listedSpo2(resources: object[]) {
  const cells = [false, true].map((history) => {
    const parts = assemblePart('vitals', { ok: true, set: { resources: resources as never, included: [] } }, new Map(), new Warnings(), { history });
    const clinical = { careProvider: { status: 'none' }, warnings: [], ...parts } as unknown as PatientClinical;
    const cell = cellsFor(['spo2'], clinical, undefined).spo2;
    expect(columnCells.spo2.parse(cell)).toEqual(cell);
    return { cell, history: parts.vitalHistory };
  });
  expect(cells[0].cell).toEqual(cells[1].cell);
  return cells[1];
}
const row = (cell: unknown): ListRow => ({
  patientId: 'p1',
  displayName: 'A',
  mrn: null,
  birthDate: '1960-01-01',
  gender: null,
  available: true,
  cells: { spo2: cell as never },
});

describe.each(releases)('an SpO2 on supplemental oxygen (%s)', (release) => {
  afterEach(() => setLanguage('en'));

  it('reads the flow and concentration of the oxygen from Observations taken with the reading, and says "On O₂" in the list, the trend and the CSV', () => {
    const { cell, history } = listedSpo2([
      spo2(release, 95),
      oxygenObs(release, '3151-8', flow(4), TAKEN - 2 * MIN),
      oxygenObs(release, '3150-0', percent(36), TAKEN + MIN),
    ]);
    expect(cell).toMatchObject({
      status: 'ok',
      value: { value: { value: 95, unit: '%' }, oxygen: { flow: { value: 4, unit: 'L/min' }, concentration: { value: 36, unit: '%' } } },
    });

    const shown = showCell('spo2', cell, NOW);
    expect(shown.text).toBe('95 %');
    expect(shown.oxygen).toBe('4 L/min, 36 %');
    // The saturation's own band still flags it (scale 1: 94–95 scores 1).
    expect(shown.flag).toBe('low');

    const trend = trendOf('spo2', history?.status === 'ok' ? history.value.spo2 : []);
    expect(trend.rows.map((r) => r.oxygen)).toEqual(['On O₂ 4 L/min, 36 %']);
    expect(pointText(trend.series[0].points[0])).toBe('95 %, On O₂ 4 L/min, 36 %, Low');

    expect(cellText('spo2', row(cell), 'UTC')).toMatch(/^95 % on O2 4 L\/min, 36 % /);
    const oxygenColumn = csvColumns('spo2', 'SpO2', 'UTC').find((c) => c.heading === 'SpO2 oxygen')!;
    expect(oxygenColumn.value(row(cell))).toBe('4 L/min, 36 %');
  });

  it('reads the oxygen from the reading’s own components (the pulse oximetry profile), a fraction of inspired oxygen as a percentage', () => {
    const { cell } = listedSpo2([
      spo2(release, 97, TAKEN, [
        { code: loinc('3151-8'), valueQuantity: flow(2000, 'mL/min') },
        { code: loinc('3150-0'), valueQuantity: { value: 0.28, unit: '1', system: UCUM, code: '1' } },
      ]),
    ]);
    const shown = showCell('spo2', cell, NOW);
    expect(shown.text).toBe('97 %');
    // 97 % is in range on air; on oxygen it is marked, never plain.
    expect(shown.flag).toBeUndefined();
    expect(shown.oxygen).toBe('2 L/min, 28 %');
  });

  it('takes room air (a flow of 0, or 21 % oxygen) as no supplemental oxygen', () => {
    for (const resources of [
      [spo2(release, 97), oxygenObs(release, '3151-8', flow(0))],
      [spo2(release, 97), oxygenObs(release, '3150-0', percent(21))],
      [spo2(release, 97, TAKEN, [{ code: loinc('3150-0'), valueQuantity: percent(21) }])],
    ]) {
      const { cell } = listedSpo2(resources);
      expect(cell).toMatchObject({ status: 'ok', value: { value: { value: 97 } } });
      expect((cell as { value: object }).value).not.toHaveProperty('oxygen');
      expect(showCell('spo2', cell, NOW).oxygen).toBeUndefined();
    }
  });

  it('reads oxygen recorded more than five minutes from the reading, or in a unit it cannot read, as no part of it', () => {
    const { cell } = listedSpo2([
      spo2(release, 96),
      oxygenObs(release, '3151-8', flow(3), TAKEN - 20 * MIN),
      oxygenObs(release, '3150-0', { value: 40, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' }),
    ]);
    expect((cell as { value: object }).value).not.toHaveProperty('oxygen');
  });

  it('reads a neonate’s low flow as oxygen, in mL/min or L/min, never rounded to none', () => {
    for (const [quantity, shown] of [
      [flow(25, 'mL/min'), '0.025 L/min'],
      [flow(0.03), '0.03 L/min'],
      [{ value: 0.5, unit: 'LPM' }, '0.5 L/min'],
    ] as const) {
      const { cell } = listedSpo2([spo2(release, 96), oxygenObs(release, '3151-8', quantity)]);
      expect(showCell('spo2', cell, NOW).oxygen).toBe(shown);
    }
  });

  it('reads a high flow given as a bound (">15 L/min") as oxygen, and a unit in another code system by its words', () => {
    const high = listedSpo2([spo2(release, 94), oxygenObs(release, '3151-8', { ...flow(15), comparator: '>' })]).cell;
    expect(showCell('spo2', high, NOW).oxygen).toBe('>15 L/min');
    expect(cellText('spo2', row(high), 'UTC')).toContain('on O2 >15 L/min');
    const local = listedSpo2([
      spo2(release, 94),
      oxygenObs(release, '3151-8', { value: 2, unit: 'L/min', system: 'urn:oid:1.2.3', code: '27' }),
    ]).cell;
    expect(showCell('spo2', local, NOW).oxygen).toBe('2 L/min');
    // "<2 L/min" may be none at all: it says nothing.
    const below = listedSpo2([spo2(release, 94), oxygenObs(release, '3151-8', { ...flow(2), comparator: '<' })]).cell;
    expect((below as { value: object }).value).not.toHaveProperty('oxygen');
  });

  it('times an oxygen Observation over a period by its end, as a reading is timed', () => {
    const period = vitalObservation(release, '3151-8', undefined, {
      valueQuantity: flow(3),
      effectivePeriod: { start: iso(TAKEN - 120 * MIN), end: iso(TAKEN) },
    });
    const { cell } = listedSpo2([spo2(release, 95), period]);
    expect(showCell('spo2', cell, NOW).oxygen).toBe('3 L/min');
  });

  it('gives each reading of the history the oxygen it was taken on', () => {
    const earlier = TAKEN - 4 * 60 * MIN;
    const { history } = listedSpo2([spo2(release, 94), spo2(release, 92, earlier), oxygenObs(release, '3151-8', flow(6), earlier)]);
    const readings = history?.status === 'ok' ? history.value.spo2 : [];
    expect(readings?.map((r) => ('oxygen' in r ? r.oxygen : undefined))).toEqual([{ flow: { value: 6, unit: 'L/min' } }, undefined]);
  });
});

describe('the oxygen mark in another language', () => {
  afterEach(() => setLanguage('en'));
  it('says the flow with the user’s decimal mark', () => {
    setLanguage('ru');
    const cell = { status: 'ok', value: { time: null, value: { value: 95, unit: '%' }, oxygen: { flow: { value: 4.5, unit: 'L/min' } } } };
    expect(showCell('spo2', cell, NOW).oxygen).toBe('4,5 L/min');
  });
});
