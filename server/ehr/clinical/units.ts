import type { Comparator } from '../../../contract/vital-ranges.js';
import type { Measurement, VitalKind } from './types.js';

interface Conversion {
  /** UCUM codes and free-text units, compared case-insensitively without spaces. */
  from: string[];
  convert: (value: number) => number;
}

interface UnitRule {
  /** The unit as a clinician writes it, and how the EHR may spell it (UCUM code, display text). */
  unit: string;
  aliases: string[];
  conversions: Conversion[];
  /** Decimals shown: the precision a ward chart records. */
  digits: number;
}

const perMinute = ['/min', '1/min', 'min-1', '/minute'];

/**
 * The unit and precision each kind is shown in, one table. UCUM annotations in braces
 * (`{beats}/min`, `{breaths}/min`) are for people and say no more than "/min" (UCUM §2.1.1.4,
 * https://ucum.org/ucum#para-curly); `kg/m2` is written kg/m², `Cel` °C, `mm[Hg]` mmHg.
 * Precision: heart rate, respiratory rate, blood pressure and SpO2 as integers; temperature,
 * weight and BMI to one decimal; height in whole centimetres. What the EHR sent is kept as
 * `original` whenever the value shown differs from it (rounded or converted). A value in a unit the
 * table does not know keeps at least UNKNOWN_UNIT_DIGITS decimals: a kind's precision is chosen
 * for its own unit, and SpO2 sent as the fraction 0.97 must not read 1.
 */
const RULES: Record<VitalKind, UnitRule> = {
  heartRate: {
    unit: '/min',
    aliases: [...perMinute, '{beats}/min', '{beat}/min', 'beats/min', 'beats/minute', 'beat/min', 'bpm', '{bpm}'],
    conversions: [],
    digits: 0,
  },
  respiratoryRate: {
    unit: '/min',
    aliases: [...perMinute, '{breaths}/min', '{breath}/min', 'breaths/min', 'breaths/minute', 'breath/min', '{resp}/min'],
    conversions: [],
    digits: 0,
  },
  bloodPressure: { unit: 'mmHg', aliases: ['mm[hg]', 'mmhg', 'mmofhg'], conversions: [], digits: 0 },
  spo2: { unit: '%', aliases: ['%', 'percent', '{percent}', '%{oxygen}'], conversions: [], digits: 0 },
  temperature: {
    unit: '°C',
    aliases: ['cel', '°c', 'c', 'degc', 'celsius', '[degc]'],
    conversions: [{ from: ['[degf]', '°f', 'f', 'degf', 'fahrenheit'], convert: (f) => ((f - 32) * 5) / 9 }],
    digits: 1,
  },
  weight: {
    unit: 'kg',
    aliases: ['kg', 'kilogram', 'kilograms'],
    conversions: [
      { from: ['[lb_av]', 'lb', 'lbs', 'pound', 'pounds'], convert: (lb) => lb * 0.45359237 },
      { from: ['g', 'gram', 'grams'], convert: (g) => g / 1000 },
      { from: ['[oz_av]', 'oz'], convert: (oz) => oz * 0.028349523125 },
    ],
    digits: 1,
  },
  height: {
    unit: 'cm',
    aliases: ['cm', 'centimeter', 'centimeters', 'centimetre', 'centimetres'],
    conversions: [
      { from: ['[in_i]', '[in_us]', 'in', 'inch', 'inches'], convert: (inch) => inch * 2.54 },
      { from: ['m', 'meter', 'meters', 'metre', 'metres'], convert: (m) => m * 100 },
      { from: ['mm'], convert: (mm) => mm / 10 },
      { from: ['[ft_i]', 'ft', 'feet'], convert: (ft) => ft * 30.48 },
    ],
    digits: 0,
  },
  bmi: { unit: 'kg/m²', aliases: ['kg/m2', 'kg/m²', 'kg/m^2', 'kg/(m2)', 'kg/m.m'], conversions: [], digits: 1 },
};

/** The unit each kind is shown in (what a reference range of `contract/vital-ranges.ts` is written in). */
export const shownUnit = (kind: VitalKind) => RULES[kind].unit;

/** A value to a number of decimals, half away from zero; never "-0". */
export function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  // The small nudge keeps 36.85 (36.8499999… in binary) rounding to 36.9 as written.
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * factor + 1e-9)) / factor;
  return rounded === 0 ? 0 : rounded;
}

/**
 * A bound rounded so that what its comparator says stays true: up for "<" and "<=" ("<35.04"
 * reads "<35.1"), down for ">" and ">=". Without a comparator, as roundTo. Every conversion of the
 * table grows with its input, so a converted bound keeps its side.
 */
export function roundBound(value: number, digits: number, comparator: Comparator | undefined): number {
  if (!comparator) return roundTo(value, digits);
  const factor = 10 ** digits;
  // The nudge keeps a bound that is already round (96 as 95.99999… in binary) where it is.
  const rounded = comparator[0] === '<' ? Math.ceil(value * factor - 1e-9) / factor : Math.floor(value * factor + 1e-9) / factor;
  return rounded === 0 ? 0 : rounded;
}

const key = (unit: string) => unit.replace(/\s+/g, '').toLowerCase();

/** Decimals kept at least of a value whose unit is neither the kind's nor one converted to it. */
const UNKNOWN_UNIT_DIGITS = 2;

/**
 * The measurement in the unit and precision a clinician expects, keeping what the EHR sent as
 * `original` when the value shown differs. The UCUM `code` is tried before the display `unit`;
 * an unknown unit is kept as given (to at least two decimals) rather than guessed. A comparator
 * ("<35") stays with the value, which is rounded so that it stays true (roundBound).
 */
export function normaliseUnit(kind: VitalKind, value: number, unit: string, code: string | undefined, comparator?: Comparator): Measurement {
  const rule = RULES[kind];
  const sent = unit || code || '';
  const candidates = [code, unit].filter((u): u is string => !!u).map(key);
  const compared = comparator ? { comparator } : {};
  if (candidates.some((c) => rule.aliases.includes(c)))
    return kept(value, { value: roundBound(value, rule.digits, comparator), unit: rule.unit, ...compared }, sent);
  const conversion = rule.conversions.find((c) => candidates.some((u) => c.from.includes(u)));
  if (!conversion)
    return kept(value, { value: roundBound(value, Math.max(rule.digits, UNKNOWN_UNIT_DIGITS), comparator), unit: sent, ...compared }, sent);
  return { value: roundBound(conversion.convert(value), rule.digits, comparator), unit: rule.unit, ...compared, original: { value, unit: sent } };
}

/** The shown measurement, with what the EHR sent when rounding changed the value. */
const kept = (value: number, shown: Measurement, sent: string): Measurement =>
  shown.value === value ? shown : { ...shown, original: { value, unit: sent } };
