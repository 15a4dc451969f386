import { afterEach, describe, expect, it } from 'vitest';
import {
  axisTime,
  defaultRange,
  pointText,
  timeTicks,
  trendIn,
  trendOf,
  trendTime,
  valueAxis,
} from '../../../client/features/patient-details/trend-data';
import { setLanguage, setLocale } from '../../../client/shared/i18n/t';

/** The details' trend charts read the history the server sends, per kind, with a fixed clock. */
const NOW = Date.parse('2026-12-03T12:00:00Z');
const HOUR = 3_600_000;
const at = (hoursAgo: number) => ({ text: new Date(NOW - hoursAgo * HOUR).toISOString(), epochMs: NOW - hoursAgo * HOUR });
const hr = (hoursAgo: number, value: number, unit = '/min') => ({ kind: 'heartRate', time: at(hoursAgo), value: { value, unit } });
const bp = (hoursAgo: number, systolic: number | null, diastolic: number | null) => ({
  kind: 'bloodPressure',
  time: at(hoursAgo),
  systolic: systolic === null ? null : { value: systolic, unit: 'mmHg' },
  diastolic: diastolic === null ? null : { value: diastolic, unit: 'mmHg' },
});

describe('vital sign trends in the details', () => {
  afterEach(() => setLanguage('en'));

  it("flags no point of a child's trend by the adult ranges", () => {
    const trend = trendOf('heartRate', [hr(2, 135), hr(10, 95)], Infinity);
    expect(trend.series[0].points.map((p) => [p.value, p.flag])).toEqual([
      [95, null],
      [135, null],
    ]);
    expect(trendOf('bloodPressure', [bp(2, 85, 50)], Infinity).rows.map((r) => r.flag)).toEqual([null]);
  });

  it('flags each point by the age the patient had when it was taken: the readings of a childhood stay unflagged', () => {
    // Sixteen five hours ago: the reading of ten hours ago was a child's, the one of two hours ago an adult's.
    const sixteen = NOW - 5 * HOUR;
    const trend = trendOf('heartRate', [hr(2, 135), hr(10, 135)], sixteen);
    expect(trend.series[0].points.map((p) => [p.value, p.flag])).toEqual([
      [135, null],
      [135, 'criticalHigh'],
    ]);
    expect(trendOf('bloodPressure', [bp(10, 85, 50), bp(2, 85, 50)], sixteen).rows.map((r) => r.flag)).toEqual([null, 'criticalLow']);
  });

  it('reads heart rate oldest first, with its unit, value text and flag; readings without a time are left out', () => {
    const trend = trendOf('heartRate', [hr(2, 135), hr(30, 72), { kind: 'heartRate', time: null, value: { value: 80, unit: '/min' } }, hr(10, 95)]);
    expect(trend.series).toHaveLength(1);
    const [line] = trend.series;
    expect(line.name).toBe('Heart rate');
    expect(line.unit).toBe('/min');
    expect(line.points.map((p) => [p.value, p.text, p.flag])).toEqual([
      [72, '72/min', null],
      [95, '95/min', 'high'],
      [135, '135/min', 'criticalHigh'],
    ]);
    expect(trend.rows.map((r) => [r.value, r.unit, r.flag])).toEqual([
      ['72', '/min', null],
      ['95', '/min', 'high'],
      ['135', '/min', 'criticalHigh'],
    ]);
    expect(pointText(line.points[2])).toBe('135/min, Critical high');
  });

  it('plots a bound at its value and writes it as one ("<40/min"), flagged only when every value it allows would be', () => {
    const bound = (hoursAgo: number, value: number, comparator: string) => ({ ...hr(hoursAgo, value), value: { value, unit: '/min', comparator } });
    const trend = trendOf('heartRate', [bound(3, 40, '<'), bound(2, 120, '<'), bound(1, 131, '>='), bound(0, 99, 'ad')]);
    expect(trend.series[0].points.map((p) => [p.value, p.text, p.flag])).toEqual([
      [40, '<40/min', 'criticalLow'],
      [120, '<120/min', null],
      [131, '≥131/min', 'criticalHigh'],
    ]);
    expect(trend.rows.map((r) => r.value)).toEqual(['<40', '<120', '≥131']);
    const pressure = trendOf('bloodPressure', [{ ...bp(1, 70, 40), systolic: { value: 70, unit: 'mmHg', comparator: '<' } }]);
    expect(pressure.rows.map((r) => [r.value, r.flag])).toEqual([['<70/40', 'criticalLow']]);
  });

  it('draws blood pressure as a systolic and a diastolic line, flagged on the systolic as NEWS2 scores it', () => {
    const trend = trendOf('bloodPressure', [bp(20, 88, 50), bp(4, 125, 80), bp(1, null, 70)]);
    expect(trend.series.map((s) => [s.name, s.unit, s.points.map((p) => p.value)])).toEqual([
      ['Systolic', 'mmHg', [88, 125]],
      ['Diastolic', 'mmHg', [50, 80, 70]],
    ]);
    expect(trend.series[0].points[0].flag).toBe('criticalLow');
    expect(trend.series[1].points.every((p) => p.flag === null)).toBe(true);
    expect(trend.rows.map((r) => [r.value, r.unit, r.flag])).toEqual([
      ['88/50', 'mmHg', 'criticalLow'],
      ['125/80', 'mmHg', null],
      ['?/70', 'mmHg', null],
    ]);
  });

  it('keeps one unit on a line (its newest reading’s), while the table lists every reading with its own', () => {
    const trend = trendOf('heartRate', [hr(5, 70, 'beats/s?'), hr(3, 72), hr(1, 75)]);
    expect(trend.series[0].points.map((p) => p.value)).toEqual([72, 75]);
    expect(trend.rows.map((r) => r.unit)).toEqual(['beats/s?', '/min', '/min']);
  });

  it('shows the last 24 hours, the last 7 days or everything, counted back from now', () => {
    const trend = trendOf('heartRate', [hr(24 * 20, 60), hr(24 * 6, 62), hr(30, 64), hr(23, 66), hr(1, 68)]);
    const count = (range: '24h' | '7d' | 'all') => trendIn(trend, range, NOW).series[0].points.length;
    expect([count('24h'), count('7d'), count('all')]).toEqual([2, 4, 5]);
    expect(trendIn(trend, '24h', NOW).rows.map((r) => r.value)).toEqual(['66', '68']);
  });

  it('starts at 7 days when they hold two readings or more, else at everything', () => {
    expect(defaultRange(trendOf('heartRate', [hr(24 * 20, 60), hr(30, 64), hr(1, 68)]), NOW)).toBe('7d');
    expect(defaultRange(trendOf('heartRate', [hr(24 * 20, 60), hr(24 * 10, 64), hr(1, 68)]), NOW)).toBe('all');
    expect(defaultRange(trendOf('heartRate', [hr(24 * 20, 60), hr(24 * 10, 64)]), NOW)).toBe('all');
  });

  it('takes nothing it cannot read from a hostile answer', () => {
    expect(trendOf('heartRate', 'nonsense')).toEqual({ kind: 'heartRate', series: [], rows: [] });
    const odd = trendOf('heartRate', [
      null,
      7,
      { time: at(1), value: { value: 'x', unit: '/min' } },
      { time: { epochMs: Infinity }, value: { value: 1 } },
    ]);
    expect(odd.series).toEqual([]);
    expect(odd.rows).toEqual([]);
  });

  it('writes times, units and flags in the tab’s language', () => {
    setLanguage('ru');
    const trend = trendOf('bloodPressure', [bp(2, 225, 120)]);
    expect(trend.series.map((s) => s.name)).toEqual(['Систолическое', 'Диастолическое']);
    expect(pointText(trend.series[0].points[0])).toBe('225 мм рт. ст., Критически высокое');
    expect(trendTime(Date.UTC(2026, 11, 3, 14, 5))).toMatch(/3 дек\. 2026 г\./);
  });
});

describe('the value axis of a trend chart', () => {
  const line = (...values: number[]) => [{ name: 'x', unit: '', points: values.map((value, i) => ({ time: i, value, text: '', flag: null })) }];

  it.each([
    [[61, 115], 40, 140, [40, 60, 80, 100, 120, 140]],
    [[36.3, 37.5], 34, 40],
    [[60, 170], 0, 200, [0, 50, 100, 150, 200]],
    [[98, 98], 92.5, 105],
    [[0.4, 0.6], 0.3, 0.7, [0.3, 0.4, 0.5, 0.6, 0.7]],
  ])('puts readings %j on round ticks from %d to %d', (values, min, max, ticks?: number[]) => {
    const axis = valueAxis(line(...values));
    expect([axis.min, axis.max]).toEqual([min, max]);
    if (ticks) expect(axis.ticks).toEqual(ticks);
    // Round numbers, evenly spaced, the readings inside with room to spare.
    const steps = new Set(axis.ticks.slice(1).map((v, i) => Number((v - axis.ticks[i]).toFixed(6))));
    expect(steps.size).toBe(1);
    const [step] = steps;
    expect(axis.ticks.every((v) => Number.isInteger(Number((v / step).toFixed(6))))).toBe(true);
    expect(axis.min).toBeLessThan(Math.min(...values));
    expect(axis.max).toBeGreaterThan(Math.max(...values));
  });
});

describe('the time axis of a trend chart', () => {
  afterEach(() => setLanguage('en'));
  const from = Date.parse('2026-11-18T08:00:00Z');

  it.each([
    [24 * HOUR, 3],
    [24 * HOUR, 8],
    [7 * 24 * HOUR, 4],
    [60 * 24 * HOUR, 3],
    [3 * HOUR, 5],
  ])('over %d ms puts at most %d labels on round local times inside the readings', (span, maxCount) => {
    const ticks = timeTicks(from, from + span, maxCount);
    expect(ticks.length).toBeGreaterThan(0);
    expect(ticks.length).toBeLessThanOrEqual(maxCount);
    for (const tick of ticks) {
      expect(tick).toBeGreaterThanOrEqual(from);
      expect(tick).toBeLessThanOrEqual(from + span);
      const local = new Date(tick);
      expect([local.getMinutes(), local.getSeconds()]).toEqual([0, 0]);
    }
    expect([...ticks].sort((a, b) => a - b)).toEqual(ticks);
  });

  it('takes the finest step that fits: hours over a day with room, days over a week', () => {
    const day = timeTicks(from, from + 24 * HOUR, 8);
    expect(day.length).toBeGreaterThan(3);
    expect(new Set(day.slice(1).map((t, i) => t - day[i])).size).toBe(1);
    const week = timeTicks(from, from + 7 * 24 * HOUR, 4);
    expect(week.every((t) => new Date(t).getHours() === 0)).toBe(true);
  });

  it('falls back to the readings’ own times when no round time lies between them', () => {
    const at = Date.parse('2026-11-18T08:10:00Z');
    expect(timeTicks(at, at + 20 * 60_000, 3)).toEqual([at, at + 20 * 60_000]);
  });

  it('labels midnight with the day alone, other times with day and time, in the user’s locale', () => {
    setLocale('en-GB');
    const midnight = new Date(2026, 10, 19, 0, 0);
    const morning = new Date(2026, 10, 19, 8, 0);
    const now = new Date(2026, 11, 3, 12, 0);
    expect(axisTime(midnight, now)).toBe('19 Nov');
    expect(axisTime(morning, now)).toBe('19 Nov, 08:00');
    expect(axisTime(new Date(2025, 10, 19, 0, 0), now)).toBe('19 Nov 2025');
  });
});
