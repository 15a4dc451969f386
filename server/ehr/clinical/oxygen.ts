import { isObject, objects, str, type JsonObject } from '../json.js';
import type { Measurement, SimpleReading } from './types.js';
import { effectiveText, epochMsOf, loincCodes, numberOf } from './values.js';
import type { SupplementalOxygen } from '../../../contract/cells.js';
import { isComparator } from '../../../contract/vital-ranges.js';
import { ucumCode } from './units.js';
import { lookupTable } from '../../../contract/lookup-table.js';

/**
 * Supplemental oxygen at the time of an SpO2 reading. NEWS2 scores a saturation with "air or
 * oxygen?" beside it (oxygen: 2 points; RCP 2017, chart 1): 94 % on 4 L/min is not 94 % on air, so
 * a reading on oxygen never reads as one on air.
 *
 * Where the EHR says it, the same LOINC codes in every release:
 * - 3151-8 "Inhaled oxygen flow rate" (L/min) and 3150-0 "Inhaled oxygen concentration" (%), as
 *   components of the SpO2 Observation (US Core Pulse Oximetry profile on R4,
 *   https://hl7.org/fhir/us/core/StructureDefinition-us-core-pulse-oximetry.html);
 * - or, in DSTU2 and STU3 (which have no such profile) and from EHRs that file them apart, as
 *   Observations of their own taken with the reading: one at most OXYGEN_WINDOW_MS from the
 *   reading's time is read with it (the nearest), as a standalone systolic pairs with its diastolic.
 *
 * Standalone oxygen Observations are read where the readings are: among the vital-sign
 * Observations of the read (`category=vital-signs`, as the SpO2's); an SpO2 asked for on its own
 * (queries.ts, when the first page has none) has the oxygen of its components only.
 *
 * Room air is no supplemental oxygen: a flow of 0, or a concentration of at most 21 % (the oxygen
 * of air). A concentration given as a fraction (at most 1: "0.4", unit "1" or none) is read as that
 * share of 100 %. A bound (Quantity.comparator) stays with its value: ">15 L/min" (a high flow) is
 * oxygen, "<2 L/min" says nothing. A value that cannot be read says nothing either way.
 */
export const OXYGEN_CODES = { flow: '3151-8', concentration: '3150-0' } as const;

/** An oxygen Observation this far from an SpO2 reading at most is the oxygen it was taken on. */
export const OXYGEN_WINDOW_MS = 5 * 60_000;

const AIR_PERCENT = 21;
/** Flow units (UCUM codes, and the words EHRs write), in lower case, as litres per minute. */
const FLOW_UNITS: Readonly<Record<string, number>> = lookupTable({ 'l/min': 1, lpm: 1, 'ml/min': 0.001 });

type Part = keyof typeof OXYGEN_CODES;
const oxygenPart = (code: unknown): Part | undefined => {
  const codes = loincCodes(code);
  return codes.includes(OXYGEN_CODES.flow) ? 'flow' : codes.includes(OXYGEN_CODES.concentration) ? 'concentration' : undefined;
};

/**
 * A flow in L/min (one decimal from 1 L/min, three below: a neonate's 0.025 L/min is not 0) or a
 * concentration in % (whole), or undefined when it cannot be read. The unit is the UCUM `code`
 * when its system is UCUM's or none, else the human `unit`.
 */
function amountOf(part: Part, quantity: unknown): Measurement | undefined {
  if (!isObject(quantity)) return undefined;
  const value = numberOf(quantity.value);
  const { comparator } = quantity;
  if (value === undefined || value < 0 || (comparator !== undefined && !isComparator(comparator))) return undefined;
  const bound = comparator === undefined ? {} : { comparator };
  const unit = (ucumCode(quantity) ?? str(quantity.unit) ?? '').trim();
  if (part === 'flow') {
    const factor = Object.hasOwn(FLOW_UNITS, unit.toLowerCase()) ? FLOW_UNITS[unit.toLowerCase()] : undefined;
    if (factor === undefined) return undefined;
    const digits = value * factor >= 1 ? 10 : 1000;
    const litres = Math.round(value * factor * digits) / digits;
    return { value: litres, unit: 'L/min', ...bound, ...(litres !== value || unit !== 'L/min' ? { original: { value, unit } } : {}) };
  }
  const fraction = unit !== '%' && value <= 1 && ['', '1', '{ratio}'].includes(unit);
  if (unit !== '%' && !fraction) return undefined;
  const percent = Math.round(fraction ? value * 100 : value);
  if (percent > 100) return undefined;
  return { value: percent, unit: '%', ...bound, ...(percent !== value || unit !== '%' ? { original: { value, unit } } : {}) };
}

/** Above room air: a flow above 0, a concentration above 21 %; a bound counts when every value it allows is (">15 L/min", a high flow). */
const above = (m: Measurement | undefined, air: number) =>
  m !== undefined && (m.comparator === '>' ? m.value >= air : m.comparator === '>=' ? m.value > air : m.comparator === undefined && m.value > air);
const onOxygen = (o: SupplementalOxygen): boolean => above(o.flow, 0) || above(o.concentration, AIR_PERCENT);

/** The oxygen an Observation's components give (an SpO2 reading of the pulse oximetry profile). */
function fromComponents(obs: JsonObject): SupplementalOxygen {
  const found: SupplementalOxygen = {};
  for (const component of objects(obs.component)) {
    const part = oxygenPart(component.code);
    if (part && !found[part]) {
      const amount = amountOf(part, component.valueQuantity);
      if (amount) found[part] = amount;
    }
  }
  return found;
}

/** A standalone oxygen Observation: its part, amount and time. */
interface Standalone {
  part: Part;
  amount: Measurement;
  at: number;
}

/** The standalone oxygen Observations among `observations` that `counts` keeps (about the patient, of a status that is a result). */
export function standaloneOxygen(observations: JsonObject[], counts: (obs: JsonObject) => boolean): Standalone[] {
  const found: Standalone[] = [];
  for (const obs of observations) {
    const part = oxygenPart(obs.code);
    if (!part || !counts(obs)) continue;
    // Timed as the readings are (values.ts effectiveText).
    const text = effectiveText(obs);
    const at = text === undefined ? null : epochMsOf(text);
    const amount = amountOf(part, obs.valueQuantity);
    if (amount && at !== null) found.push({ part, amount, at });
  }
  return found;
}

/**
 * The SpO2 reading with the oxygen it was taken on (`oxygen`), from its own components first, else
 * the nearest standalone oxygen Observation of each part within OXYGEN_WINDOW_MS; unchanged when
 * the EHR says room air or nothing.
 */
export function withOxygen(reading: SimpleReading, obs: JsonObject | null, standalone: readonly Standalone[]): SimpleReading {
  if (reading.kind !== 'spo2') return reading;
  const oxygen = obs ? fromComponents(obs) : {};
  const at = reading.time?.epochMs;
  if (at != null) {
    for (const part of ['flow', 'concentration'] as const) {
      if (oxygen[part]) continue;
      const near = standalone
        .filter((s) => s.part === part && Math.abs(s.at - at) <= OXYGEN_WINDOW_MS)
        .sort((a, b) => Math.abs(a.at - at) - Math.abs(b.at - at))[0];
      if (near) oxygen[part] = near.amount;
    }
  }
  return onOxygen(oxygen) ? { ...reading, oxygen } : reading;
}
