import { isObject, objects, str, type JsonObject } from '../json.js';
import { normaliseUnit } from './units.js';
import type { BloodPressureReading, LatestVitals, Measurement, VitalHistory, VitalKind, VitalReading, When } from './types.js';
import { conceptCodes, epochMsOf, newestFirst, numberOf, when } from './values.js';
import { Warnings } from './warnings.js';
import { KIND_OF_CODE, type VitalCodeKind } from './vital-codes.js';
import { isComparator } from '../../../contract/vital-ranges.js';
import { qualifiedByEhr, qualifiedMark } from '../modifiers.js';

/** Observations that were never or are no longer true. */
const SKIPPED_STATUS = new Set(['entered-in-error', 'cancelled']);

type Kind = VitalCodeKind;

function kindOf(obs: JsonObject): Kind | undefined {
  if (obs.resourceType !== 'Observation' || SKIPPED_STATUS.has(String(obs.status))) return undefined;
  for (const code of conceptCodes(obs.code)) {
    const kind = KIND_OF_CODE.get(code);
    if (kind !== undefined) return kind;
  }
  return undefined;
}

/** A reading of one Observation that stands alone (not a standalone systolic or diastolic). */
function readingOf(obs: JsonObject, kind: Exclude<Kind, 'systolic' | 'diastolic'>, time: When | null, warnings: Warnings): VitalReading | undefined {
  if (kind === 'bpPanel') {
    const parts = components(obs);
    if (!parts.systolic && !parts.diastolic) {
      warnings.add('observation_without_value');
      return undefined;
    }
    return {
      kind: 'bloodPressure',
      time,
      systolic: parts.systolic ?? null,
      diastolic: parts.diastolic ?? null,
      ...qualifiedMark(obs, ['component']),
    };
  }
  const value = measurement(kind, obs.valueQuantity);
  if (!value) warnings.add('observation_without_value');
  return value && { kind, time, value, ...qualifiedMark(obs) };
}

/** Readings from vital-sign Observations; unknown codes are ignored, value-less ones skipped with a warning. */
export function readVitals(observations: JsonObject[], warnings: Warnings): VitalReading[] {
  const readings: VitalReading[] = [];
  // Standalone systolic and diastolic Observations pair up by their effective time.
  const pressures = new Map<string, BloodPressureReading>();
  for (const obs of observations) {
    const kind = kindOf(obs);
    if (!kind) continue;
    const time = effective(obs);
    if (kind !== 'systolic' && kind !== 'diastolic') {
      const reading = readingOf(obs, kind, time, warnings);
      if (reading) readings.push(reading);
      continue;
    }
    const value = measurement('bloodPressure', obs.valueQuantity);
    if (!value) {
      warnings.add('observation_without_value');
      continue;
    }
    // The same moment written two ways ("…Z", "…+00:00") is one moment: by its instant where it has one.
    const slot = time?.epochMs != null ? `at ${time.epochMs}` : (time?.text ?? '');
    let bp = pressures.get(slot);
    if (!bp) pressures.set(slot, (bp = { kind: 'bloodPressure', time, systolic: null, diastolic: null }));
    if (!bp[kind]) {
      bp[kind] = value;
      // Either half qualified qualifies the pressure they make together.
      if (qualifiedByEhr(obs)) bp.qualified = true;
    }
  }
  return [...readings, ...pressures.values()];
}

/**
 * The newest reading of each kind, as `latestVitals(readVitals(…))` gives it, from Observations
 * that came newest first (list reads ask them so): once a kind has a timed reading, its older
 * Observations are not read at all. Null when the answer is not in that order or pairs standalone
 * systolic and diastolic Observations; the full read then applies.
 */
export function latestVitalsOfSorted(observations: JsonObject[], warnings: Warnings): LatestVitals | null {
  const latest: LatestVitals = {};
  const noted = new Warnings();
  let previous = Infinity;
  for (const obs of observations) {
    const kind = kindOf(obs);
    if (!kind) continue;
    if (kind === 'systolic' || kind === 'diastolic') return null;
    // The time is compared as a number; a When is built only for a reading that is kept.
    const text = effectiveText(obs);
    const epochMs = text === undefined ? null : epochMsOf(text);
    if (epochMs != null) {
      if (epochMs > previous) return null;
      previous = epochMs;
    }
    const shown = kind === 'bpPanel' ? 'bloodPressure' : kind;
    const have = latest[shown];
    if (have?.time?.epochMs != null) continue;
    const reading = readingOf(obs, kind, text === undefined ? null : { text, epochMs }, noted);
    // A reading without a usable time counts only while no timed one is found.
    if (reading && (!have || reading.time?.epochMs != null)) latest[shown] = reading;
  }
  for (const { code, count } of noted.list()) warnings.add(code, count);
  return latest;
}

function components(obs: JsonObject): { systolic?: Measurement; diastolic?: Measurement } {
  const found: { systolic?: Measurement; diastolic?: Measurement } = {};
  for (const component of objects(obs.component)) {
    const kind = conceptCodes(component.code)
      .map((c) => KIND_OF_CODE.get(c))
      .find((k) => k === 'systolic' || k === 'diastolic');
    if (kind && !found[kind]) {
      const value = measurement('bloodPressure', component.valueQuantity);
      if (value) found[kind] = value;
    }
  }
  return found;
}

/**
 * A Quantity as shown. Its comparator is a modifier (it changes what the value means): one of the
 * four codes stays with the value; any other, not understood, leaves the reading without a value.
 */
function measurement(kind: VitalKind, quantity: unknown): Measurement | undefined {
  if (!isObject(quantity)) return undefined;
  const value = numberOf(quantity.value);
  if (value === undefined) return undefined;
  const { comparator } = quantity;
  if (comparator !== undefined && !isComparator(comparator)) return undefined;
  return normaliseUnit(kind, value, str(quantity.unit) ?? '', str(quantity.code), comparator);
}

function effective(obs: JsonObject): When | null {
  const text = effectiveText(obs);
  return text === undefined ? null : when(text);
}

/** When the Observation was made: its first timestamp of effective[x], else when it was issued. */
function effectiveText(obs: JsonObject): string | undefined {
  const period = isObject(obs.effectivePeriod) ? obs.effectivePeriod : undefined;
  return str(obs.effectiveDateTime) ?? str(obs.effectiveInstant) ?? str(period?.start) ?? str(period?.end) ?? str(obs.issued);
}

/** The newest reading of each kind. */
export function latestVitals(readings: VitalReading[]): LatestVitals {
  const latest: LatestVitals = {};
  for (const reading of [...readings].sort((a, b) => newestFirst(a.time, b.time))) {
    latest[reading.kind] ??= reading;
  }
  return latest;
}

/** Readings per kind, oldest first; readings without a time are left out of a time series. */
export function vitalHistory(readings: VitalReading[]): VitalHistory {
  const history: VitalHistory = {};
  const timed = readings.filter((r) => r.time?.epochMs != null).sort((a, b) => -newestFirst(a.time, b.time));
  for (const reading of timed) (history[reading.kind] ??= []).push(reading);
  return history;
}
