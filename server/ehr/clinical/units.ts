import type { Comparator } from '../../../contract/vital-ranges.js';
import type { Measurement, VitalKind } from './types.js';
import { str, type JsonObject } from '../json.js';

interface Conversion {
  /** UCUM codes and free-text units, compared case-insensitively without spaces. */
  from: string[];
  convert: (value: number) => number;
  /**
   * The values the unit can hold for this kind (all when absent): a value outside is not converted
   * but kept in the unit given, never flagged (a saturation fraction above 1 is no saturation).
   */
  holds?: (value: number) => boolean;
}

interface UnitRule {
  /** The unit as a clinician writes it, and how the EHR may spell it (UCUM code, display text). */
  unit: string;
  aliases: string[];
  conversions: Conversion[];
  /** Decimals shown: the precision a ward chart records; a function of the value in the shown unit when it depends on the size. */
  digits: number | ((value: number) => number);
}

/**
 * The decimals a rule shows `value` (in the rule's unit) to: its precision, but never so few that
 * the value loses its first two significant digits. A value far below its kind's size (SpO2 sent
 * as the fraction 0.97 under `%`, a rate of 4.6 /min) is then shown as it was sent, never rounded
 * into another value ("1 %", "5 /min") that reads as a real, if critical, reading.
 */
const digitsOf = (rule: UnitRule, value: number) =>
  Math.max(typeof rule.digits === 'number' ? rule.digits : rule.digits(value), twoSignificant(value));

/** Decimals that keep two significant digits of a value under 10 (none of 0 or of a value from 10); at most 6. */
function twoSignificant(value: number): number {
  const size = Math.abs(value);
  if (size === 0 || size >= 10 || !Number.isFinite(size)) return 0;
  return Math.min(6, 1 - Math.floor(Math.log10(size)));
}

const perMinute = ['/min', '1/min', 'min-1', '/minute'];

/**
 * UCUM (https://ucum.org/ucum, "The Unified Code for Units of Measure", Regenstrief; the unit codes
 * FHIR's Quantity.code uses with system http://unitsofmeasure.org in DSTU2, STU3 and R4) defines
 * each unit converted below. The table, per kind (shown unit ← UCUM code: factor, UCUM's definition):
 *
 * | kind             | shown   | converted from (UCUM code: how)                                              |
 * |------------------|---------|------------------------------------------------------------------------------|
 * | heart/resp. rate | /min    | `/s` ×60, `/h` ÷60 (UCUM `min` = 60 s, `h` = 60 min)                         |
 * | blood pressure   | mmHg    | `kPa` ×1000/133.322, `Pa` ÷133.322 (UCUM `m[Hg]` = 133.3220 kPa)             |
 * | SpO2             | %       | `10*-2` as is (UCUM `%` = 10*-2); `1` ×100, for 0 to 1 only (unity fraction) |
 * | temperature      | Cel     | `[degF]` (F−32)×5/9, `K` K−273.15 (UCUM `Cel` = K − 273.15, `[degF]` = 5/9 K)|
 * | weight           | kg      | `g` ÷1000, `[lb_av]` ×0.45359237, `[oz_av]` ×0.028349523125 (UCUM avoirdupois)|
 * | height           | cm      | `m` ×100, `mm` ÷10, `[in_i]`/`[in_us]` ×2.54, `[ft_i]` ×30.48 (UCUM international inch, foot) |
 * | BMI              | kg/m2   | none                                                                         |
 *
 * Left out on purpose, though UCUM makes them commensurable: `cm[H2O]` and `m[H2O]` for blood
 * pressure (arterial pressure is not charted in water columns: such a reading is more likely a
 * venous or airway pressure under a blood pressure code), annotation-only units such as `{ratio}`
 * for SpO2 (UCUM makes them unity, but `{percent}` is sent for %, so an annotation alone says
 * nothing sure), and `Hz` for rates (not a ward unit). A reading in any unit the table does not
 * convert is shown as sent and, for a flagged kind, says it is not flagged because of its unit
 * (contract/vital-ranges.ts `unitBlocksFlag`).
 */
const MMHG_PER_KPA = 1000 / 133.322;
/** Rates per second and per hour to per minute (heart and respiratory rate). */
const perSecondOrHour: Conversion[] = [
  { from: ['/s', '1/s', 's-1'], convert: (perSecond) => perSecond * 60 },
  { from: ['/h', '1/h', 'h-1'], convert: (perHour) => perHour / 60 },
];

/**
 * The unit and precision each kind is shown in, one table. Units are compared as `unitKey` writes
 * them: case and spaces ignored, UCUM annotations in braces dropped (`{beats}/min`, `%{O2}`: an
 * annotation is for people and says no more than the unit without it, UCUM §2.1.1.4,
 * https://ucum.org/ucum#para-curly) and square brackets dropped (`lb_av` as `[lb_av]`, `mm[Hg]` as
 * mmHg: servers leave UCUM's brackets out). `kg/m2` is written kg/m², `Cel` °C, `mm[Hg]` mmHg.
 * Precision: heart rate, respiratory rate, blood pressure and SpO2 as integers; temperature and
 * BMI to one decimal; weight to two decimals under 10 kg, one from 10 kg; height in whole
 * centimetres. What the EHR sent is kept as `original` whenever the value shown differs from it
 * (rounded or converted). A value in a unit the table does not know keeps at least
 * UNKNOWN_UNIT_DIGITS decimals: a kind's precision is chosen for its own unit, and SpO2 sent as
 * the fraction 0.97 must not read 1.
 */
const RULES: Record<VitalKind, UnitRule> = {
  heartRate: {
    unit: '/min',
    aliases: [...perMinute, '{beats}/min', '{beat}/min', 'beats/min', 'beats/minute', 'beat/min', 'bpm', '{bpm}'],
    conversions: perSecondOrHour,
    digits: 0,
  },
  respiratoryRate: {
    unit: '/min',
    aliases: [...perMinute, '{breaths}/min', '{breath}/min', 'breaths/min', 'breaths/minute', 'breath/min', '{resp}/min'],
    conversions: perSecondOrHour,
    digits: 0,
  },
  bloodPressure: {
    unit: 'mmHg',
    aliases: ['mm[hg]', 'mmhg', 'mmofhg'],
    conversions: [
      { from: ['kPa'], convert: (kpa) => kpa * MMHG_PER_KPA },
      { from: ['Pa'], convert: (pa) => (pa * MMHG_PER_KPA) / 1000 },
    ],
    digits: 0,
  },
  spo2: {
    unit: '%',
    // UCUM defines `%` as 10*-2: the same unit, written as a power of ten.
    aliases: ['%', 'percent', '{percent}', '10*-2'],
    // UCUM unity `1`: a saturation given as a fraction (0.86 is 86 %); above 1 (or below 0) it is no fraction.
    conversions: [{ from: ['1'], convert: (fraction) => fraction * 100, holds: (v) => v >= 0 && v <= 1 }],
    digits: 0,
  },
  temperature: {
    unit: '°C',
    aliases: ['cel', '°c', 'c', 'degc', 'celsius', '[degc]'],
    conversions: [
      { from: ['[degf]', '°f', 'f', 'degf', 'fahrenheit'], convert: (f) => ((f - 32) * 5) / 9 },
      // UCUM `K`: 0 °C is 273.15 K (UCUM's definition of Cel).
      { from: ['k', 'kelvin', '°k', 'degk'], convert: (k) => k - 273.15 },
    ],
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
    // Under 10 kg to 0.01 kg (10 g), from 10 kg to 0.1 kg: neonatal weight-based dosing is in
    // grams and neonatal and infant scales resolve 5-10 g, so 850 g is 0.85 kg, not 0.9 (+5.9 %);
    // 0.1 kg is under 1 % of any weight from 10 kg.
    digits: (kg) => (Math.abs(kg) < 10 ? 2 : 1),
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

/**
 * A unit as the table compares it: no spaces, lower case, without UCUM annotations (`{…}`, unless
 * the unit is nothing else, like `{ratio}`) and without UCUM's square brackets.
 */
export function unitKey(unit: string): string {
  const plain = unit.replace(/\s+/g, '').toLowerCase();
  const bare = plain.replace(/\{[^{}]*\}/g, '');
  return (bare === '' || bare === '1' ? plain : bare).replace(/[[\]]/g, '');
}

/** Each rule's units as unitKey writes them. */
const KEYED = Object.fromEntries(
  Object.entries(RULES).map(([kind, rule]) => [
    kind,
    {
      aliases: new Set(rule.aliases.map(unitKey)),
      conversions: rule.conversions.map((c) => ({ ...c, from: new Set(c.from.map(unitKey)) })),
    },
  ]),
) as Record<VitalKind, { aliases: Set<string>; conversions: (Omit<Conversion, 'from'> & { from: Set<string> })[] }>;

/** What a unit means for a kind: the kind's own unit, one of its conversions, or not known (undefined). */
type Meaning = 'shown' | number | undefined;
function meaningOf(kind: VitalKind, unit: string | undefined): Meaning {
  if (!unit) return undefined;
  const k = unitKey(unit);
  const keyed = KEYED[kind];
  if (keyed.aliases.has(k)) return 'shown';
  const index = keyed.conversions.findIndex((c) => c.from.has(k));
  return index < 0 ? undefined : index;
}

/** The UCUM code system (Quantity.system in DSTU2, STU3 and R4). */
export const UCUM = 'http://unitsofmeasure.org';

/** A Quantity's UCUM code: its `code` when its system is UCUM's or none (servers leave it out), else undefined. */
export function ucumCode(quantity: JsonObject): string | undefined {
  const system = str(quantity.system);
  return system === undefined || system === UCUM ? str(quantity.code) : undefined;
}

/** Decimals kept at least of a value whose unit is neither the kind's nor one converted to it. */
const UNKNOWN_UNIT_DIGITS = 2;

export interface UnitOptions {
  /** Quantity.system: a code in another system than UCUM is not read as a unit. */
  system?: string;
  /** Called when `unit` and `code` name different units the kind knows. */
  onConflict?: () => void;
}

/**
 * The measurement in the unit and precision a clinician expects, keeping what the EHR sent as
 * `original` when the value shown differs. A comparator ("<35") stays with the value, which is
 * rounded so that it stays true (roundBound).
 *
 * Which unit: FHIR Quantity (DSTU2, STU3, R4) has `unit`, text for people, and `code` with
 * `system`, the computable form (the vital signs profiles require UCUM). The UCUM `code` is read
 * first, `unit` when the code is missing, not known, or in another system. When both name units
 * the kind knows and they differ ("°F" beside the code `Cel`), the EHR contradicts itself and
 * either reading could be wrong by a whole unit: the value is neither converted nor rounded to the
 * kind's precision, its unit is shown as both were sent ("Cel | °F", which no reference range is
 * written in, so it is never flagged), and `onConflict` is told. An unknown unit is kept as given
 * (to at least two decimals) rather than guessed.
 */
export function normaliseUnit(
  kind: VitalKind,
  value: number,
  unit: string,
  code: string | undefined,
  comparator?: Comparator,
  { system, onConflict }: UnitOptions = {},
): Measurement {
  const rule = RULES[kind];
  const sent = unit || code || '';
  const compared = comparator ? { comparator } : {};
  const ucum = system === undefined || system === UCUM ? code : undefined;
  const [byCode, byUnit] = [meaningOf(kind, ucum), meaningOf(kind, unit)];
  const unknown = (shownUnit: string) =>
    kept(
      value,
      { value: roundBound(value, Math.max(digitsOf(rule, value), UNKNOWN_UNIT_DIGITS), comparator), unit: shownUnit, ...compared },
      shownUnit,
    );
  if (byCode !== undefined && byUnit !== undefined && byCode !== byUnit) {
    onConflict?.();
    return unknown(`${code} | ${unit}`);
  }
  const meaning = byCode ?? byUnit;
  if (meaning === undefined) return unknown(sent);
  if (meaning === 'shown') return kept(value, { value: roundBound(value, digitsOf(rule, value), comparator), unit: rule.unit, ...compared }, sent);
  const conversion = KEYED[kind].conversions[meaning];
  if (conversion.holds && !conversion.holds(value)) return unknown(sent);
  const converted = conversion.convert(value);
  return { value: roundBound(converted, digitsOf(rule, converted), comparator), unit: rule.unit, ...compared, original: { value, unit: sent } };
}

/** The shown measurement, with what the EHR sent when rounding changed the value. */
const kept = (value: number, shown: Measurement, sent: string): Measurement =>
  shown.value === value ? shown : { ...shown, original: { value, unit: sent } };
