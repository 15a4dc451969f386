/**
 * Adult reference ranges of the vital signs, and the flag a reading gets: one table, without zod,
 * so the tab reads it without loading the schemas. The tab computes the flags from this table
 * (list cells and the details), on the value it shows (rounded as `server/ehr/clinical/units.ts` says).
 *
 * Source: NEWS2, Royal College of Physicians, "National Early Warning Score (NEWS) 2:
 * Standardising the assessment of acute-illness severity in the NHS", 2017, chart 1 (the scoring
 * bands) — https://www.rcplondon.ac.uk/projects/outputs/national-early-warning-score-news-2.
 * A band scoring 0 is not flagged; 1 or 2 is "low" or "high"; 3 (NEWS2's red score, an urgent
 * review on its own) is "critical low" or "critical high". Temperature ≥ 39.1 °C scores 2, so it
 * is "high", never critical. SpO2 uses scale 1 (scale 2 is for prescribed hypercapnic targets,
 * which a list cannot know). Blood pressure is flagged on the systolic value, as NEWS2 scores it.
 *
 * Not flagged: diastolic pressure (NEWS2 does not score it), weight and height (no adult
 * reference range), BMI (WHO classes describe a person, not an acute abnormality), and any
 * reading in a unit other than the table's (a temperature the EHR sent in an unknown unit).
 * The bands are for adults: NEWS2 is not for under-16s (RCP 2017, "NEWS2 should not be used in
 * children (aged under 16)"), whose normal heart and breathing rates are higher. A patient who may
 * be younger than 16 (adultRangesApply) gets no flag at all rather than an adult's; the EHR's own
 * interpretation of a reading (VITAL_INTERPRETATIONS) is still shown, as the EHR's.
 */

import { latestMs } from './fhir-time.js';
import { lookupTable } from './lookup-table.js';

export type VitalFlag = 'low' | 'high' | 'criticalLow' | 'criticalHigh';

/**
 * Quantity.comparator codes (http://hl7.org/fhir/quantity-comparator, the same in DSTU2, STU3 and
 * R4): the real value is below, at most, at least or above the value given.
 */
export const COMPARATORS = ['<', '<=', '>=', '>'] as const;
export type Comparator = (typeof COMPARATORS)[number];
export const isComparator = (x: unknown): x is Comparator => (COMPARATORS as readonly unknown[]).includes(x);
export type FlaggedVital = 'heartRate' | 'respiratoryRate' | 'systolic' | 'spo2' | 'temperature';

export interface VitalBand {
  /** The band holds values from this one (inclusive) up to the next band's `from`. */
  from: number;
  /** NEWS2 score of the band. */
  news2: number;
  flag: VitalFlag | null;
}

export interface VitalRange {
  /** The unit the bands are written in (the unit the server shows the kind in). */
  unit: string;
  /** Lowest first; the first band starts at -Infinity. */
  bands: readonly VitalBand[];
}

const band = (from: number, news2: number, flag: VitalFlag | null): VitalBand => ({ from, news2, flag });

export const VITAL_RANGES: Readonly<Record<FlaggedVital, VitalRange>> = {
  // ≤8: 3 · 9–11: 1 · 12–20: 0 · 21–24: 2 · ≥25: 3
  respiratoryRate: {
    unit: '/min',
    bands: [band(-Infinity, 3, 'criticalLow'), band(9, 1, 'low'), band(12, 0, null), band(21, 2, 'high'), band(25, 3, 'criticalHigh')],
  },
  // Scale 1: ≤91: 3 · 92–93: 2 · 94–95: 1 · ≥96: 0
  spo2: {
    unit: '%',
    bands: [band(-Infinity, 3, 'criticalLow'), band(92, 2, 'low'), band(94, 1, 'low'), band(96, 0, null)],
  },
  // ≤90: 3 · 91–100: 2 · 101–110: 1 · 111–219: 0 · ≥220: 3
  systolic: {
    unit: 'mmHg',
    bands: [band(-Infinity, 3, 'criticalLow'), band(91, 2, 'low'), band(101, 1, 'low'), band(111, 0, null), band(220, 3, 'criticalHigh')],
  },
  // ≤40: 3 · 41–50: 1 · 51–90: 0 · 91–110: 1 · 111–130: 2 · ≥131: 3
  heartRate: {
    unit: '/min',
    bands: [
      band(-Infinity, 3, 'criticalLow'),
      band(41, 1, 'low'),
      band(51, 0, null),
      band(91, 1, 'high'),
      band(111, 2, 'high'),
      band(131, 3, 'criticalHigh'),
    ],
  },
  // ≤35.0: 3 · 35.1–36.0: 1 · 36.1–38.0: 0 · 38.1–39.0: 1 · ≥39.1: 2
  temperature: {
    unit: '°C',
    bands: [band(-Infinity, 3, 'criticalLow'), band(35.1, 1, 'low'), band(36.1, 0, null), band(38.1, 1, 'high'), band(39.1, 2, 'high')],
  },
};

/**
 * What each flagged kind can physically be, in the table's unit: a value outside is no measurement
 * of the patient (a fraction sent under `%`, a wrong unit, a typing error). It is shown as sent,
 * never converted by guessing, marked "implausible value: check in EHR", and gets no flag and no
 * NEWS2 score (vitalBand). Bounds are inclusive unless `minExclusive`; chosen well outside any
 * survived extreme, so no real reading, however critical, is ever called implausible:
 * - spo2: a saturation is at most 100 % (the share of haemoglobin carrying oxygen); ≤ 1 % is a
 *   fraction (0.93 for 93 %) sent under `%`: no living patient is read at 1 %.
 * - temperature: 10–50 °C. The lowest survived core temperatures are about 13–14 °C (accidental
 *   hypothermia, Gilbert et al., Lancet 2000; 355:375) and the highest about 46.5 °C (heat stroke,
 *   Willie Jones, 1980, Guinness World Records); below 10 or above 50 is a Fahrenheit value under °C, or a typo.
 * - heartRate: 0–350 /min. Pre-excited atrial fibrillation, the fastest rhythm a monitor counts,
 *   rarely exceeds 300 /min (higher rates are single case reports); 0 is asystole, a real reading.
 * - respiratoryRate: 0–120 /min. Even a newborn in distress breathes under about 100 /min (normal
 *   30–60, WHO IMCI fast breathing ≥ 60); 0 is apnoea, a real reading.
 * - systolic: 0–400 mmHg. The highest pressures ever measured are about 370 mmHg (intra-arterial,
 *   weight lifting: MacDougall et al., J Appl Physiol 1985; 58:785).
 * Not judged: a value in another unit than the table's (it is not flagged anyway: unitBlocksFlag).
 */
export const PLAUSIBLE_VALUES: Readonly<Record<FlaggedVital, { min: number; max: number; minExclusive?: true }>> = {
  spo2: { min: 1, minExclusive: true, max: 100 },
  temperature: { min: 10, max: 50 },
  heartRate: { min: 0, max: 350 },
  respiratoryRate: { min: 0, max: 120 },
  systolic: { min: 0, max: 400 },
};

/** Whether a value of a flagged kind, in the table's unit, is outside what the kind can physically be (PLAUSIBLE_VALUES). */
export function implausibleValue(kind: string, value: number, unit: string | null | undefined): boolean {
  if (!Object.hasOwn(PLAUSIBLE_VALUES, kind) || asTableUnit(unit) !== VITAL_RANGES[kind as FlaggedVital].unit) return false;
  const { min, max, minExclusive } = PLAUSIBLE_VALUES[kind as FlaggedVital];
  return !Number.isFinite(value) || value > max || (minExclusive ? value <= min : value < min);
}

/**
 * Other spellings of a table's unit that older servers (and stored answers) send for the very same
 * unit: UCUM codes (`mm[Hg]`, `Cel`, https://ucum.org/ucum) and the words of rates. Nothing here is
 * converted; a unit that needs a conversion is the server's to convert (server/ehr/clinical/units.ts).
 */
const SAME_UNIT: Readonly<Record<string, string>> = lookupTable({
  'mm[Hg]': 'mmHg',
  Cel: '°C',
  'beats/minute': '/min',
  'beats/min': '/min',
  'breaths/minute': '/min',
  'breaths/min': '/min',
});
/** A unit as the table writes it, when it is one of the table's units spelled another way. */
const asTableUnit = (unit: string | null | undefined) => (typeof unit === 'string' && Object.hasOwn(SAME_UNIT, unit) ? SAME_UNIT[unit] : unit);

/**
 * The band a value falls in, or null when the kind is not flagged or the unit is not the table's
 * (SAME_UNIT spellings are the table's).
 * With a comparator the real value is only known to lie on one side of `value`: it gets a flag
 * only when every value there would be flagged on that side (low below, high above), and then the
 * least severe of those bands ("<40 /min" is critical low; "<96 %" at least low; "<120 /min" none).
 * None at all when `adult` is false: the ranges are not for the patient (see adultRangesApply),
 * nor for a value the kind cannot physically be (implausibleValue): it is no measurement to score.
 */
export function vitalBand(
  kind: string,
  value: number,
  unit: string | null | undefined,
  comparator?: Comparator | null,
  adult = true,
): VitalBand | null {
  if (!adult) return null;
  const range = Object.hasOwn(VITAL_RANGES, kind) ? VITAL_RANGES[kind as FlaggedVital] : undefined;
  if (!range || asTableUnit(unit) !== range.unit || !Number.isFinite(value) || implausibleValue(kind, value, unit)) return null;
  const at = (v: number) => {
    let found: VitalBand | null = null;
    for (const b of range.bands) if (v >= b.from) found = b;
    return found;
  };
  if (!comparator) return at(value);
  const { bands } = range;
  const index = bands.indexOf(at(value)!);
  // The bands the real value may fall in: those below the value (and its own, unless "<" and the
  // value starts it), or above it (and its own).
  const below = comparator === '<' || comparator === '<=';
  const own = !(comparator === '<' && bands[index].from === value);
  const possible = below ? bands.slice(0, own ? index + 1 : index) : bands.slice(index);
  const side: readonly (VitalFlag | null)[] = below ? ['low', 'criticalLow'] : ['high', 'criticalHigh'];
  if (possible.length === 0 || !possible.every((b) => side.includes(b.flag))) return null;
  // The least severe: the band nearest the value.
  return below ? possible[possible.length - 1] : possible[0];
}

/**
 * Whether a reading of a flagged kind goes without a flag because of its unit alone: the server
 * converts every unit it knows to the table's (server/ehr/clinical/units.ts, from UCUM), so a
 * reading still in another unit (one it does not convert, or the EHR's `code` and `unit`
 * contradicting each other) is shown as sent and must say it was not checked, never look normal.
 * False for kinds never flagged (weight, height, BMI, diastolic) and for a patient the adult ranges
 * are not for (nothing of theirs is flagged).
 */
export function unitBlocksFlag(kind: string, unit: string | null | undefined, adult = true): boolean {
  if (!adult || !Object.hasOwn(VITAL_RANGES, kind)) return false;
  return asTableUnit(unit) !== VITAL_RANGES[kind as FlaggedVital].unit;
}

/**
 * Whether a blood pressure's two halves are in different units: one the server did not convert to
 * mmHg (server/ehr/clinical/units.ts converts kPa and Pa; `cm[H2O]` is left out on purpose), or the
 * halves of a standalone systolic and diastolic Observation pair (each its own Quantity.unit/code,
 * DSTU2, STU3 and R4). Such a pair is never shown as one value under one unit ("120/10 mmHg"): each
 * half keeps its unit, the cell says the units differ, and the app gives no flag.
 */
export function pressureUnitsDiffer(systolic: { unit?: unknown } | null | undefined, diastolic: { unit?: unknown } | null | undefined): boolean {
  if (!systolic || !diastolic) return false;
  return (
    asTableUnit(typeof systolic.unit === 'string' ? systolic.unit : null) !== asTableUnit(typeof diastolic.unit === 'string' ? diastolic.unit : null)
  );
}

/** The flag of a value: low, high, critical low, critical high, or null (in range, or not flagged). */
export const vitalFlag = (
  kind: string,
  value: number,
  unit: string | null | undefined,
  comparator?: Comparator | null,
  adult = true,
): VitalFlag | null => vitalBand(kind, value, unit, comparator, adult)?.flag ?? null;

/**
 * The EHR's own interpretation of a reading (Observation.interpretation, read on the server:
 * server/ehr/clinical/interpretation.ts), as the cell carries it. It is shown beside the app's
 * flag only when it says more: the app's flag gives none or a less severe one (moreSevereOfEhr).
 * Severity: critical (low, high, abnormal) > low, high, abnormal > none.
 */
export const VITAL_INTERPRETATIONS = ['low', 'high', 'criticalLow', 'criticalHigh', 'abnormal', 'criticalAbnormal'] as const;
export type VitalInterpretation = (typeof VITAL_INTERPRETATIONS)[number];
export const isVitalInterpretation = (x: unknown): x is VitalInterpretation => (VITAL_INTERPRETATIONS as readonly unknown[]).includes(x);

/** 2 for a critical mark, 1 for low, high or abnormal, 0 for none. */
export const markSeverity = (mark: VitalFlag | VitalInterpretation | null | undefined): number => (!mark ? 0 : mark.startsWith('critical') ? 2 : 1);

/** The EHR's interpretation when it is more severe than the app's flag (which stays as it is); else null. */
export const moreSevereOfEhr = (flag: VitalFlag | null | undefined, interpretation: unknown): VitalInterpretation | null =>
  isVitalInterpretation(interpretation) && markSeverity(interpretation) > markSeverity(flag) ? interpretation : null;

/** The age from which the adult ranges (NEWS2) apply. */
export const ADULT_FROM_YEARS = 16;

/**
 * The instant from which the adult ranges apply to a patient born on `birthDate` (FHIR date: a
 * year, year-month or day): when the patient is surely 16, counted from the latest day the date
 * allows (the end of its year or month: "2010" is 16 only from 2026-12-31), as NEWS2 is not for
 * under-16s and a patient who may be 15 gets no adult flag rather than a false one. -Infinity when
 * the birth date is unknown or unreadable (a list's patients are adults unless known otherwise: an
 * unknown age never hides a flag). A reading is flagged by the patient's age when it was taken
 * (its time at or after this instant), not today's: a child's readings stay a child's.
 */
export function adultFrom(birthDate: string | null | undefined): number {
  const parts = typeof birthDate === 'string' ? /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(birthDate) : null;
  if (!parts) return -Infinity;
  const year = Number(parts[1]);
  const month = Number(parts[2] ?? 12);
  // Day 0 of the next month is the month's last day (29 for a February of a leap year).
  const day = parts[3] !== undefined ? Number(parts[3]) : new Date(Date.UTC(year, month, 0)).getUTCDate();
  return Date.UTC(year + ADULT_FROM_YEARS, month - 1, day);
}

/** Whether the adult ranges apply to a patient born on `birthDate` at the instant `at` (see adultFrom). */
export const adultRangesApply = (birthDate: string | null | undefined, at: number): boolean => at >= adultFrom(birthDate);

/** A reading older than this is stale: it may no longer say how the patient is. */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Whether a reading is stale at `now`: even the latest moment its time can mean is more than
 * STALE_AFTER_MS ago (latestMs, contract/fhir-time.ts). A time with a zone is that moment; a
 * zone-less date-time is allowed the widest offset (-14:00: up to 14 hours after its clock time
 * read as UTC); a day, month or year lasts to its end, zone-less too ("2026-12-04" is stale only
 * after 2026-12-06T14:00Z). So a reading is never called stale wrongly, at the cost of calling one
 * stale up to 14 hours late. A bare number is a moment; a reading without a usable time is not judged.
 */
export function isStale(time: { text: string; epochMs: number | null } | number | null | undefined, now: number): boolean {
  const latest = typeof time === 'number' || time == null ? time : (latestMs(time.text) ?? time.epochMs);
  return typeof latest === 'number' && Number.isFinite(latest) && now - latest > STALE_AFTER_MS;
}
