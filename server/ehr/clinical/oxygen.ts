import { isObject, objects, str, type JsonObject } from '../json.js';
import type { Measurement, SimpleReading } from './types.js';
import { epochMsOf, loincCodes, numberOf } from './values.js';
import type { SupplementalOxygen } from '../../../contract/cells.js';

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
 * Room air is no supplemental oxygen: a flow of 0, or a concentration of at most 21 % (the oxygen
 * of air). A concentration given as a fraction (at most 1: "0.4", unit "1" or none) is read as that
 * share of 100 %. A value that cannot be read says nothing either way.
 */
export const OXYGEN_CODES = { flow: '3151-8', concentration: '3150-0' } as const;

/** An oxygen Observation this far from an SpO2 reading at most is the oxygen it was taken on. */
export const OXYGEN_WINDOW_MS = 5 * 60_000;

const AIR_PERCENT = 21;
const FLOW_UNITS: Readonly<Record<string, number>> = { 'L/min': 1, 'l/min': 1, LPM: 1, 'mL/min': 0.001, 'ml/min': 0.001 };

type Part = keyof typeof OXYGEN_CODES;
const partOf = (code: unknown): Part | undefined => {
  const codes = loincCodes(code);
  return codes.includes(OXYGEN_CODES.flow) ? 'flow' : codes.includes(OXYGEN_CODES.concentration) ? 'concentration' : undefined;
};

/** A flow in L/min (one decimal) or a concentration in % (whole), or undefined when it cannot be read. */
function amountOf(part: Part, quantity: unknown): Measurement | undefined {
  if (!isObject(quantity)) return undefined;
  const value = numberOf(quantity.value);
  if (value === undefined || value < 0 || quantity.comparator !== undefined) return undefined;
  const unit = str(quantity.code) ?? str(quantity.unit) ?? '';
  if (part === 'flow') {
    const factor = Object.hasOwn(FLOW_UNITS, unit) ? FLOW_UNITS[unit] : undefined;
    if (factor === undefined) return undefined;
    const litres = Math.round(value * factor * 10) / 10;
    return { value: litres, unit: 'L/min', ...(litres !== value || unit !== 'L/min' ? { original: { value, unit } } : {}) };
  }
  const fraction = unit !== '%' && value <= 1 && ['', '1', '{ratio}'].includes(unit);
  if (unit !== '%' && !fraction) return undefined;
  const percent = Math.round(fraction ? value * 100 : value);
  if (percent > 100) return undefined;
  return { value: percent, unit: '%', ...(percent !== value || unit !== '%' ? { original: { value, unit } } : {}) };
}

const onOxygen = (o: SupplementalOxygen): boolean =>
  (o.flow !== undefined && o.flow.value > 0) || (o.concentration !== undefined && o.concentration.value > AIR_PERCENT);

/** The oxygen an Observation's components give (an SpO2 reading of the pulse oximetry profile). */
function fromComponents(obs: JsonObject): SupplementalOxygen {
  const found: SupplementalOxygen = {};
  for (const component of objects(obs.component)) {
    const part = partOf(component.code);
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

/** The standalone oxygen Observations among `observations` (already those about the patient, of a status that is a result). */
export function standaloneOxygen(observations: JsonObject[]): Standalone[] {
  const found: Standalone[] = [];
  for (const obs of observations) {
    const part = partOf(obs.code);
    const text =
      str(obs.effectiveDateTime) ?? str(obs.effectiveInstant) ?? (isObject(obs.effectivePeriod) ? str(obs.effectivePeriod.start) : undefined);
    const at = text === undefined ? null : epochMsOf(text);
    const amount = part ? amountOf(part, obs.valueQuantity) : undefined;
    if (part && amount && at !== null) found.push({ part, amount, at });
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
