import { describe, expect, it } from 'vitest';
import { showCell, sortValue } from '../../../client/shared/cells';
import { columnCells } from '../../../contract/cells.js';
import { unitBlocksFlag, vitalFlag } from '../../../contract/vital-ranges.js';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import type { PatientClinical } from '../../../server/ehr/clinical/types.js';
import { normaliseUnit } from '../../../server/ehr/clinical/units.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { csvColumns } from '../../../server/features/lists/cell-text.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';
import { vitalObservation } from './vital-observations.js';

/**
 * Every UCUM unit commensurable with a kind's shown unit that a ward uses is converted (one table,
 * server/ehr/clinical/units.ts), so the reading is flagged and sorted as any other; a unit that is
 * not converted is shown as sent and says, in the list, the details and the CSV, that it is not
 * flagged because of its unit: it never looks normal.
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
const UCUM = 'http://unitsofmeasure.org';
const panelCode = (release: Release) => (release === 'DSTU2' ? '55284-4' : '85354-9');
const q = (value: number, code: string, unit = code) => ({ value, unit, system: UCUM, code });
const time = new Date(Date.now() - 20 * 60_000).toISOString();

type Column = 'bloodPressure' | 'heartRate' | 'respiratoryRate' | 'spo2' | 'temperature';
function listed(column: Column, resources: object[]) {
  const parts = assemblePart('vitals', { ok: true, set: { resources: resources as never, included: [] } }, new Map(), new Warnings(), {
    history: false,
  });
  const clinical = { careProvider: { status: 'none' }, warnings: [], ...parts } as unknown as PatientClinical;
  const cell = cellsFor([column], clinical, undefined)[column];
  expect(columnCells[column].parse(cell)).toEqual(cell);
  const row: ListRow = {
    patientId: 'p1',
    displayName: 'A',
    mrn: null,
    birthDate: '1950-01-01',
    gender: null,
    available: true,
    cells: { [column]: cell },
  };
  const heading = 'V';
  const csv = Object.fromEntries(csvColumns(column, heading, 'UTC').map((c) => [c.heading, c.value(row)]));
  return { cell, shown: showCell(column, cell), sort: sortValue(column, cell), csv };
}
const bpPanel = (release: Release, sys: object, dia: object) =>
  vitalObservation(release, panelCode(release), time, {
    component: [
      { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: sys },
      { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: dia },
    ],
  });

describe.each(['DSTU2', 'STU3', 'R4'] as const)('UCUM units through %s', (release) => {
  it('a blood pressure in kPa (10.7/6.0) is 80/45 mmHg, critical low, and sorts as 80', () => {
    const { shown, sort, csv } = listed('bloodPressure', [bpPanel(release, q(10.7, 'kPa'), q(6.0, 'kPa'))]);
    expect(shown).toMatchObject({ text: '80/45 mmHg', flag: 'criticalLow', source: '10.7/6 kPa' });
    expect(sort).toBe(80);
    expect(csv).toMatchObject({ 'V systolic': 80, 'V diastolic': 45, 'V unit': 'mmHg', 'V flag': 'Critical low' });
  });

  it('a blood pressure in Pa is converted too', () => {
    const { shown } = listed('bloodPressure', [bpPanel(release, q(16000, 'Pa'), q(10666, 'Pa'))]);
    expect(shown).toMatchObject({ text: '120/80 mmHg' });
    expect(shown.flag).toBeUndefined();
  });

  it('SpO2 as a UCUM unity fraction (0.86 "1") is 86 %, critical low', () => {
    const { shown, csv } = listed('spo2', [vitalObservation(release, '59408-5', time, { valueQuantity: q(0.86, '1') })]);
    expect(shown).toMatchObject({ text: '86 %', flag: 'criticalLow' });
    expect(csv).toMatchObject({ V: 86, 'V unit': '%', 'V flag': 'Critical low' });
  });

  it('SpO2 in 10*-2 (UCUM %) is read as %', () => {
    const { shown } = listed('spo2', [vitalObservation(release, '59408-5', time, { valueQuantity: q(90, '10*-2') })]);
    expect(shown).toMatchObject({ text: '90 %', flag: 'criticalLow' });
  });

  it('a heart rate per second is per minute', () => {
    const { shown } = listed('heartRate', [vitalObservation(release, '8867-4', time, { valueQuantity: q(2.5, '/s') })]);
    expect(shown).toMatchObject({ text: '150/min', flag: 'criticalHigh' });
  });

  it.each([
    ['bloodPressure', () => bpPanel(release, q(80, 'cm[H2O]'), q(40, 'cm[H2O]')), '80/40 cm[H2O] (not flagged: unit not recognised)'],
    ['spo2', () => vitalObservation(release, '59408-5', time, { valueQuantity: q(86, '1') }), '86 1 (not flagged: unit not recognised)'],
    [
      'spo2',
      () => vitalObservation(release, '59408-5', time, { valueQuantity: q(0.86, '{ratio}') }),
      '0.86 {ratio} (not flagged: unit not recognised)',
    ],
    ['heartRate', () => vitalObservation(release, '8867-4', time, { valueQuantity: q(30, 'Hz') }), '30 Hz (not flagged: unit not recognised)'],
    [
      'temperature',
      () => vitalObservation(release, '8310-5', time, { valueQuantity: q(30, '[degRe]') }),
      '30 [degRe] (not flagged: unit not recognised)',
    ],
  ] as const)('%s in a unit not converted is shown as sent and says it is not flagged, in the list and the CSV', (column, obs, text) => {
    const { shown, sort, csv } = listed(column, [obs()]);
    expect(shown).toMatchObject({ text, unitNotFlagged: true });
    expect(shown.flag).toBeUndefined();
    // Not ordered among the numbers of the kind's own unit.
    expect(sort).toBeNull();
    expect(csv['V flag']).toBe('Not flagged: unit not recognised');
  });
});

describe('the UCUM conversion table', () => {
  it.each([
    ['bloodPressure', 10.7, 'kPa', 80],
    ['bloodPressure', 6, 'kPa', 45],
    ['bloodPressure', 13332.2, 'Pa', 100],
    ['spo2', 0.86, '1', 86],
    ['spo2', 1, '1', 100],
    ['spo2', 97, '10*-2', 97],
    ['heartRate', 1.2, '/s', 72],
    ['heartRate', 4320, '/h', 72],
    ['respiratoryRate', 0.25, '1/s', 15],
    ['respiratoryRate', 900, '/h', 15],
    ['temperature', 98.6, '[degF]', 37],
  ] as const)('%s %d %s → %d', (kind, value, code, shown) => {
    const unit = { bloodPressure: 'mmHg', spo2: '%', heartRate: '/min', respiratoryRate: '/min', temperature: '°C' }[kind];
    expect(normaliseUnit(kind, value, code, code, undefined, { system: UCUM })).toMatchObject({ value: shown, unit });
  });

  it('a bound keeps its side when converted ("<0.9" unity is "<90 %")', () => {
    expect(normaliseUnit('spo2', 0.9, '1', '1', '<')).toMatchObject({ value: 90, unit: '%', comparator: '<' });
  });

  it('a unity SpO2 outside 0 to 1 is no fraction: kept as sent', () => {
    expect(normaliseUnit('spo2', 86, '1', '1')).toEqual({ value: 86, unit: '1' });
  });

  it('the contract says which readings go unflagged because of their unit: only flagged kinds, only adults', () => {
    expect(unitBlocksFlag('spo2', '1')).toBe(true);
    expect(unitBlocksFlag('spo2', '%')).toBe(false);
    expect(unitBlocksFlag('systolic', 'mm[Hg]')).toBe(false);
    expect(unitBlocksFlag('weight', 'stone')).toBe(false);
    expect(unitBlocksFlag('spo2', '1', false)).toBe(false);
    // The same unit spelled in UCUM is the table's: flagged.
    expect(vitalFlag('systolic', 80, 'mm[Hg]')).toBe('criticalLow');
  });
});
