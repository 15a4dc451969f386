import { fhirTime } from '../../../contract/fhir-time';
import {
  implausibleValue,
  moreSevereOfEhr,
  vitalFlag,
  type Comparator,
  type VitalFlag,
  type VitalInterpretation,
} from '../../../contract/vital-ranges';
import type { VitalKind } from '../../../contract/vitals';
import { boundText, columnLabel, measurementOf as shownMeasurement, oxygenText, unitText, withUnit } from '../../shared/cells';
import { codeLabel, dateTime, fhirTimeText, shortDateTime } from '../../shared/format';
import { currentLocale, t } from '../../shared/i18n/t';

/** The spans a trend can show: the last 24 hours, the last 7 days (both up to now), or every reading. */
export const trendRanges = ['24h', '7d', 'all'] as const;
export type TrendRange = (typeof trendRanges)[number];

const HOUR = 60 * 60 * 1000;
const spanMs: Record<TrendRange, number> = { '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, all: Infinity };

/** One reading on a trend: when, the value, and how it reads (value with unit, flag in words). */
export interface TrendPoint {
  /** Where the reading sits on the time axis (readingPlace). */
  time: number;
  /** Its time in words, as the EHR sent it (fhirTimeText, in full). */
  timeText: string;
  value: number;
  /** The value with its unit as the list shows it, and its notes: "72/min", "36.9 °C (dated in the future: check in EHR)". */
  text: string;
  /** What the value cannot be trusted for, in words (readingNotes): implausible, not final, qualified, dated after death or in the future. */
  notes: string[];
  flag: VitalFlag | null;
  /** The EHR's own flag when it says more than the app's (contract interpretation, moreSevereOfEhr), as the list shows it: "Critical high (EHR)". */
  ehrFlag?: VitalInterpretation;
  /** The supplemental oxygen a saturation was taken on, "On O₂ 2 L/min" (contract supplementalOxygen). */
  oxygen?: string;
}

/** A line of a chart: one per vital kind, two for blood pressure (systolic, diastolic). */
export interface TrendSeries {
  name: string;
  /** The unit as shown ("/min", "mmHg"): the value axis's. */
  unit: string;
  points: TrendPoint[];
}

/** A row of the table beside the chart: one per reading, blood pressure as one "120/80 mmHg". */
export interface TrendRow {
  time: number;
  timeText: string;
  /** The number alone ("72", "120/80"), for the table's value column. */
  value: string;
  /** With its unit and notes ("72/min", "120/80 mmHg"). */
  text: string;
  /** As TrendPoint.notes: the table says them in its flag column (rowFlagText). */
  notes: string[];
  unit: string;
  flag: VitalFlag | null;
  ehrFlag?: VitalInterpretation;
  oxygen?: string;
}

export interface Trend {
  kind: VitalKind;
  series: TrendSeries[];
  rows: TrendRow[];
}

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

type Reading = { value: number; unit: string; comparator?: Comparator };

/** A measurement as the list reads it (a bound keeps its comparator: "<35 °C" is plotted at 35), its unit '' when none. */
function measurementOf(x: unknown): Reading | null {
  const m = shownMeasurement(x);
  return m && { value: m.value, unit: m.unit ?? '', ...(m.comparator ? { comparator: m.comparator } : {}) };
}

/**
 * Where a reading sits on the time axis, whose ticks are the user's local times: a time with a
 * zone at its moment; a zone-less date-time at that clock time in the user's zone, and a day,
 * month or year at its start there, so that the axis agrees with the time as written
 * (contract/fhir-time.ts); with that time in words. Null for a reading without a usable time.
 */
function timeOf(r: Json): Placed | null {
  const w = isObject(r.time) ? r.time : undefined;
  const epochMs = w?.epochMs;
  if (typeof epochMs !== 'number' || !Number.isFinite(epochMs)) return null;
  const text = typeof w?.text === 'string' ? w.text : null;
  const sent = text === null ? null : fhirTime(text);
  if (text === null || sent === null) return { time: epochMs, timeText: trendTime(epochMs) };
  const place =
    sent.precision === 'instant'
      ? epochMs
      : new Date(sent.year, sent.month - 1, sent.day, sent.hour, sent.minute, sent.second, sent.millisecond).getTime();
  return { time: place, timeText: fhirTimeText(text, epochMs, 'full') };
}
type Placed = Pick<TrendPoint, 'time' | 'timeText'>;

/**
 * What a reading's value cannot be trusted for, in words, as the list and the details mark the
 * latest: "implausible value: check in EHR" for a value its kind cannot physically be (contract
 * implausibleValue: it has no flag); "preliminary" and "status unknown" for a result the EHR has not
 * made final or does not know the status of (contract `preliminary`, `statusUnknown`,
 * Observation.status); "check in EHR" for one the EHR qualifies (contract `qualified`); "dated after
 * death: check in EHR" and "dated in the future: check in EHR" for a reading whose date cannot be
 * true (contract `afterDeath`, `future`). A point of the trend is never shown as a plain value when
 * its latest would not be.
 */
function readingNotes(flagged: string, m: Reading | null, r: Json | undefined): string[] {
  return [
    m && implausibleValue(flagged, m.value, m.unit) && t('vital.implausible'),
    r?.preliminary === true && codeLabel('preliminary'),
    r?.statusUnknown === true && t('vital.statusUnknown'),
    r?.qualified === true && t('value.qualified'),
    r?.afterDeath === true && t('vital.afterDeath'),
    r?.future === true && t('vital.future'),
  ].filter((note): note is string => typeof note === 'string');
}
/**
 * The EHR's own flag of a reading (contract interpretation; for blood pressure the most severe of
 * its panel's and halves') when it is more severe than the app's, as the list and the details show
 * the latest: a child's reading, which NEWS2 does not flag, still says "Critical high (EHR)".
 */
function ehrFlagOf(flag: VitalFlag | null, r: Json | undefined): { ehrFlag?: VitalInterpretation } {
  const ehrFlag = moreSevereOfEhr(flag, r?.interpretation);
  return ehrFlag ? { ehrFlag } : {};
}

/** A value with its notes after it: "450/80 mmHg (implausible value: check in EHR)". */
const withNotes = (text: string, notes: string[]) => (notes.length ? `${text} (${notes.join('; ')})` : text);

const point = (flagged: string, { time, timeText }: Placed, m: Reading, adult: boolean, r?: Json): TrendPoint => {
  const oxygen = r && oxygenText(r.oxygen);
  const notes = readingNotes(flagged, m, r);
  const flag = vitalFlag(flagged, m.value, m.unit, m.comparator, adult);
  return {
    time,
    timeText,
    value: m.value,
    text: withNotes(withUnit(boundText(m), unitText(m.unit)), notes),
    notes,
    flag,
    ...ehrFlagOf(flag, r),
    ...(oxygen ? { oxygen: t('vital.onOxygen', { amount: oxygen }) } : {}),
  };
};

/**
 * The trend of one kind from the details' history (another program's JSON, checked here): readings
 * without a time are left out, the rest oldest first. A line keeps the unit of its newest reading,
 * so one axis never mixes units; the table lists every reading with its own unit. Flags by adult
 * ranges for readings taken from `adultFrom` (contract adultFrom): a reading taken in childhood has none.
 */
export function trendOf(kind: VitalKind, history: unknown, adultFrom = -Infinity): Trend {
  const readings = (Array.isArray(history) ? history.filter(isObject) : [])
    .map((r) => ({ r, when: timeOf(r) }))
    .filter((x): x is { r: Json; when: Placed } => x.when !== null)
    .sort((a, b) => a.when.time - b.when.time);
  // Every reading kept has a moment (timeOf): the patient's age then decides.
  const adult = (r: Json) => (r.time as { epochMs: number }).epochMs >= adultFrom;
  const line = (name: string, flagged: string, pick: (r: Json) => unknown): TrendSeries => {
    const all = readings.flatMap(({ r, when }) => {
      const m = measurementOf(pick(r));
      return m ? [{ r, when, m }] : [];
    });
    const unit = all.at(-1)?.m.unit ?? '';
    return { name, unit: unitText(unit), points: all.filter((x) => x.m.unit === unit).map((x) => point(flagged, x.when, x.m, adult(x.r), x.r)) };
  };
  if (kind === 'bloodPressure') {
    const series = [line(t('trend.systolic'), 'systolic', (r) => r.systolic), line(t('trend.diastolic'), 'diastolic', (r) => r.diastolic)];
    const rows = readings.flatMap(({ r, when }) => {
      const [sys, dia] = [measurementOf(r.systolic), measurementOf(r.diastolic)];
      if (!sys && !dia) return [];
      const unit = unitText(sys?.unit ?? dia?.unit);
      const value = `${sys ? boundText(sys) : '?'}/${dia ? boundText(dia) : '?'}`;
      const notes = readingNotes('systolic', sys, r);
      const flag = sys ? vitalFlag('systolic', sys.value, sys.unit, sys.comparator, adult(r)) : null;
      return [
        {
          ...when,
          value,
          text: withNotes(withUnit(value, unit), notes),
          notes,
          unit,
          flag,
          ...ehrFlagOf(flag, r),
        },
      ];
    });
    return { kind, series: series.filter((s) => s.points.length > 0), rows };
  }
  const rows = readings.flatMap(({ r, when }) => {
    const m = measurementOf(r.value);
    if (!m) return [];
    const { text, notes, flag, ehrFlag, oxygen } = point(kind, when, m, adult(r), r);
    return [
      { ...when, value: boundText(m), text, notes, unit: unitText(m.unit), flag, ...(ehrFlag ? { ehrFlag } : {}), ...(oxygen ? { oxygen } : {}) },
    ];
  });
  const series = line(columnLabel(kind), kind, (r) => r.value);
  return { kind, series: series.points.length > 0 ? [series] : [], rows };
}

/** Whether a reading at `time` falls in `range` at `now`. */
export const inRange = (range: TrendRange, time: number, now: number) => time >= now - spanMs[range];

/** The trend narrowed to a range: only the points and rows taken within it. */
export function trendIn(trend: Trend, range: TrendRange, now: number): Trend {
  return {
    ...trend,
    series: trend.series.map((s) => ({ ...s, points: s.points.filter((p) => inRange(range, p.time, now)) })),
    rows: trend.rows.filter((r) => inRange(range, r.time, now)),
  };
}

/** What a trend shows first: the last 7 days when they hold two readings or more (a line), else everything. */
export const defaultRange = (trend: Trend, now: number): TrendRange =>
  trend.rows.filter((r) => inRange('7d', r.time, now)).length >= 2 ? '7d' : 'all';

/**
 * The value axis of a chart: round-numbered ticks (steps of 1, 2, 2.5 or 5 times a power of ten)
 * around the readings with a margin, so a change of a few beats or tenths of a degree shows,
 * rather than an axis from zero that flattens every vital sign into a line.
 */
export function valueAxis(
  series: readonly { points: readonly Pick<TrendPoint, 'value'>[] }[],
  tickCount = 4,
): { min: number; max: number; ticks: number[] } {
  const values = series.flatMap((s) => s.points.map((p) => p.value));
  if (values.length === 0) return { min: 0, max: 1, ticks: [0, 1] };
  const [low, high] = [Math.min(...values), Math.max(...values)];
  // A margin of a fifth of the spread, and at least 5% of the value (or 1), so one value has room too.
  const margin = Math.max((high - low) / 5, Math.abs(high) * 0.05, high === low ? 1 : 0);
  const [from, to] = [low - margin, high + margin];
  const raw = (to - from) / tickCount;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => raw <= m * magnitude) ?? 10) * magnitude;
  // Rounded to the step's decimals, so 0.1 steps do not show as 36.300000000000004.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const round = (v: number) => Number(v.toFixed(decimals));
  // Vital signs are not negative: the axis stops at zero.
  const first = Math.max(0, Math.floor(from / step));
  const last = Math.ceil(to / step);
  const ticks = Array.from({ length: last - first + 1 }, (_, i) => round((first + i) * step));
  return { min: ticks[0], max: ticks.at(-1)!, ticks };
}

const HOURS = [1, 2, 3, 6, 12];
const DAYS = [1, 2, 7, 14];

/** The local times from `from` to `to` on a step: `hours` from local midnight, or `days` from local midnight, or months from the 1st. */
function stepTicks(from: number, to: number, step: { hours?: number; days?: number; months?: number }, limit: number): number[] {
  const at = new Date(from);
  at.setHours(0, 0, 0, 0);
  if (step.months) at.setDate(1);
  const ticks: number[] = [];
  // Stops one past the limit: enough to know the step is too fine.
  while (at.getTime() <= to && ticks.length <= limit) {
    if (at.getTime() >= from) ticks.push(at.getTime());
    if (step.hours) at.setHours(at.getHours() + step.hours);
    else if (step.days) at.setDate(at.getDate() + step.days);
    else at.setMonth(at.getMonth() + (step.months ?? 1));
  }
  return ticks;
}

/**
 * The time axis's ticks between the first and the last reading: at most `maxCount`, on the finest
 * round local step that fits (1, 2, 3, 6 or 12 hours from midnight; 1, 2, 7 or 14 days; months),
 * so labels never run into each other; the readings' own times when no round time falls between them.
 */
export function timeTicks(from: number, to: number, maxCount: number): number[] {
  const limit = Math.max(1, maxCount);
  const steps = [
    ...HOURS.map((hours) => ({ hours })),
    ...DAYS.map((days) => ({ days })),
    ...[1, 3, 6, 12, 24, 60, 120].map((months) => ({ months })),
  ];
  for (const step of steps) {
    const ticks = stepTicks(from, to, step, limit);
    if (ticks.length <= limit) return ticks.length > 0 ? ticks : [...new Set([from, to])].slice(0, limit);
  }
  return [from];
}

/** A time axis label in the user's locale: the day alone at midnight ("19 Nov"), else day and time ("19 Nov, 08:00"). */
export function axisTime(date: Date, now = new Date()): string {
  if (date.getHours() !== 0 || date.getMinutes() !== 0) return shortDateTime(date, now);
  const options: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short' };
  if (date.getFullYear() !== now.getFullYear()) options.year = 'numeric';
  return new Intl.DateTimeFormat(currentLocale(), options).format(date);
}

/** A reading's time in full, in the user's locale: "3 Dec 2026, 14:05" (en-GB). */
export const trendTime = (time: number) => dateTime(time);

/** A flag in words ("High", "Critical low"), or '' when the reading is in range or not flagged. */
export const flagText = (flag: VitalFlag | null) => (flag ? t(`vital.flag.${flag}`) : '');

/** The EHR's flag in words, "Critical high (EHR)"; '' without one. */
const ehrFlagText = (ehrFlag: VitalInterpretation | undefined) => (ehrFlag ? t(`vital.ehrFlag.${ehrFlag}`) : '');

/**
 * The table's flag column: the app's flag, the EHR's when it says more, and the reading's notes,
 * "High; Critical high (EHR); dated after death: check in EHR" (as the CSV's flag column).
 */
export const rowFlagText = (row: Pick<TrendRow, 'flag' | 'ehrFlag' | 'notes'>) =>
  [flagText(row.flag), ehrFlagText(row.ehrFlag), ...row.notes].filter(Boolean).join('; ');

/** How a point reads on hover, focus and to a screen reader: value with unit, the oxygen it was taken on, then its flags (the app's, the EHR's). */
export const pointText = (p: Pick<TrendPoint, 'text' | 'flag' | 'ehrFlag' | 'oxygen'>) =>
  [p.text, p.oxygen, flagText(p.flag), ehrFlagText(p.ehrFlag)].filter(Boolean).join(', ');
