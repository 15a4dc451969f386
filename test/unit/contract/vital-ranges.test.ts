import { describe, expect, it } from 'vitest';
import { STALE_AFTER_MS, VITAL_RANGES, adultRangesApply, isStale, vitalBand, vitalFlag } from '../../../contract/vital-ranges.js';

/** Each edge of the NEWS2 bands (RCP 2017, chart 1): the value on each side and the flag it gets. */
describe('abnormal vital flags (NEWS2 bands)', () => {
  it.each([
    // Respiratory rate: ≤8 3 · 9–11 1 · 12–20 0 · 21–24 2 · ≥25 3
    ['respiratoryRate', 8, '/min', 'criticalLow', 3],
    ['respiratoryRate', 9, '/min', 'low', 1],
    ['respiratoryRate', 11, '/min', 'low', 1],
    ['respiratoryRate', 12, '/min', null, 0],
    ['respiratoryRate', 20, '/min', null, 0],
    ['respiratoryRate', 21, '/min', 'high', 2],
    ['respiratoryRate', 24, '/min', 'high', 2],
    ['respiratoryRate', 25, '/min', 'criticalHigh', 3],
    // SpO2 scale 1: ≤91 3 · 92–93 2 · 94–95 1 · ≥96 0
    ['spo2', 91, '%', 'criticalLow', 3],
    ['spo2', 92, '%', 'low', 2],
    ['spo2', 93, '%', 'low', 2],
    ['spo2', 94, '%', 'low', 1],
    ['spo2', 95, '%', 'low', 1],
    ['spo2', 96, '%', null, 0],
    ['spo2', 100, '%', null, 0],
    // Systolic: ≤90 3 · 91–100 2 · 101–110 1 · 111–219 0 · ≥220 3
    ['systolic', 90, 'mmHg', 'criticalLow', 3],
    ['systolic', 91, 'mmHg', 'low', 2],
    ['systolic', 100, 'mmHg', 'low', 2],
    ['systolic', 101, 'mmHg', 'low', 1],
    ['systolic', 110, 'mmHg', 'low', 1],
    ['systolic', 111, 'mmHg', null, 0],
    ['systolic', 219, 'mmHg', null, 0],
    ['systolic', 220, 'mmHg', 'criticalHigh', 3],
    // Pulse: ≤40 3 · 41–50 1 · 51–90 0 · 91–110 1 · 111–130 2 · ≥131 3
    ['heartRate', 40, '/min', 'criticalLow', 3],
    ['heartRate', 41, '/min', 'low', 1],
    ['heartRate', 50, '/min', 'low', 1],
    ['heartRate', 51, '/min', null, 0],
    ['heartRate', 90, '/min', null, 0],
    ['heartRate', 91, '/min', 'high', 1],
    ['heartRate', 110, '/min', 'high', 1],
    ['heartRate', 111, '/min', 'high', 2],
    ['heartRate', 130, '/min', 'high', 2],
    ['heartRate', 131, '/min', 'criticalHigh', 3],
    // Temperature: ≤35.0 3 · 35.1–36.0 1 · 36.1–38.0 0 · 38.1–39.0 1 · ≥39.1 2
    ['temperature', 35.0, '°C', 'criticalLow', 3],
    ['temperature', 35.1, '°C', 'low', 1],
    ['temperature', 36.0, '°C', 'low', 1],
    ['temperature', 36.1, '°C', null, 0],
    ['temperature', 38.0, '°C', null, 0],
    ['temperature', 38.1, '°C', 'high', 1],
    ['temperature', 39.0, '°C', 'high', 1],
    ['temperature', 39.1, '°C', 'high', 2],
    ['temperature', 41.5, '°C', 'high', 2],
  ] as const)('%s %d %s is %s (NEWS2 %d)', (kind, value, unit, flag, news2) => {
    expect(vitalFlag(kind, value, unit)).toBe(flag);
    expect(vitalBand(kind, value, unit)?.news2).toBe(news2);
  });

  it.each([
    ['temperature', 34, 'K'],
    ['temperature', 34, null],
    ['heartRate', 30, 'beats/s'],
    ['weight', 300, 'kg'],
    ['height', 50, 'cm'],
    ['bmi', 45, 'kg/m²'],
    ['diastolic', 30, 'mmHg'],
    ['constructor', 1, '/min'],
    ['heartRate', Number.NaN, '/min'],
  ] as const)('does not flag %s %d %s (not in the table, or another unit)', (kind, value, unit) => {
    expect(vitalFlag(kind, value, unit)).toBeNull();
  });

  // Quantity.comparator: the real value lies on one side of the value given. A flag only when every
  // value on that side is flagged on it, then the least severe of those bands.
  it.each([
    ['heartRate', 40, '<', 'criticalLow', 3],
    ['heartRate', 41, '<', 'criticalLow', 3],
    ['heartRate', 41, '<=', 'low', 1],
    ['heartRate', 120, '<', null, undefined],
    ['heartRate', 90, '>', null, undefined],
    ['heartRate', 90, '>=', null, undefined],
    ['heartRate', 130, '>', 'high', 2],
    ['heartRate', 131, '>=', 'criticalHigh', 3],
    ['heartRate', 200, '>', 'criticalHigh', 3],
    ['spo2', 96, '<', 'low', 1],
    ['spo2', 96, '<=', null, undefined],
    ['spo2', 92, '<', 'criticalLow', 3],
    ['spo2', 99, '>', null, undefined],
    ['temperature', 35, '<', 'criticalLow', 3],
    ['temperature', 35.1, '<', 'criticalLow', 3],
    ['temperature', 35.1, '<=', 'low', 1],
    ['temperature', 42, '>', 'high', 2],
    ['systolic', 90, '<', 'criticalLow', 3],
    ['systolic', 220, '>=', 'criticalHigh', 3],
    ['respiratoryRate', 8, '<=', 'criticalLow', 3],
    ['respiratoryRate', 30, '>', 'criticalHigh', 3],
  ] as const)('%s %s%d is %s (NEWS2 %s)', (kind, value, comparator, flag, news2) => {
    expect(vitalFlag(kind, value, VITAL_RANGES[kind].unit, comparator)).toBe(flag);
    expect(vitalBand(kind, value, VITAL_RANGES[kind].unit, comparator)?.news2).toBe(news2);
  });

  it('writes every range lowest band first, from -Infinity', () => {
    for (const range of Object.values(VITAL_RANGES)) {
      expect(range.bands[0].from).toBe(-Infinity);
      expect(range.bands.map((b) => b.from)).toEqual([...range.bands.map((b) => b.from)].sort((a, b) => a - b));
    }
  });
});

describe('whom the adult ranges are for (NEWS2: not under 16)', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');
  it.each([
    ['2010-12-03', true],
    ['2010-12-04', false],
    ['2020-05-01', false],
    ['1951-06-15', true],
    // A partial date counts from its latest day: born in 2010 may be 15 still (NEWS2 is not for under-16s).
    ['2010', false],
    ['2010-12', false],
    ['2010-11', true],
    ['2009', true],
    ['2011', false],
    // Unknown or unreadable: an adult, so no flag is ever hidden by a missing birth date.
    [null, true],
    ['', true],
    ['around 2015', true],
  ])('born %s: %s', (birthDate, adult) => {
    expect(adultRangesApply(birthDate, now)).toBe(adult);
  });
});

describe('stale readings', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');
  it.each([
    ['2026-12-02T12:00:00Z', false],
    ['2026-12-02T11:59:59Z', true],
    ['2026-12-03T11:00:00Z', false],
    ['2026-11-01T00:00:00Z', true],
  ])('a reading taken %s is stale: %s', (time, stale) => {
    expect(isStale(Date.parse(time), now)).toBe(stale);
  });
  it('does not judge a reading without a time', () => {
    expect(isStale(null, now)).toBe(false);
    expect(STALE_AFTER_MS).toBe(86_400_000);
  });
});
