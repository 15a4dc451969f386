import { isObject, objects, str, type JsonObject } from '../json.js';
import { normaliseUnit } from './units.js';
import type { BloodPressureReading, LatestVitals, Measurement, VitalHistory, VitalKind, VitalReading, When } from './types.js';
import { conceptCodes, newestFirst, numberOf, when } from './values.js';
import type { Warnings } from './warnings.js';

/** LOINC codes per kind; the same in all releases, matched on code alone (servers vary the system). */
const KIND_OF_CODE: Record<string, Exclude<VitalKind, 'bloodPressure'> | 'bpPanel' | 'systolic' | 'diastolic'> = {
  '8867-4': 'heartRate',
  '9279-1': 'respiratoryRate',
  '8310-5': 'temperature',
  '59408-5': 'spo2',
  '2708-6': 'spo2',
  '29463-7': 'weight',
  '8302-2': 'height',
  '39156-5': 'bmi',
  '85354-9': 'bpPanel',
  '55284-4': 'bpPanel',
  '8480-6': 'systolic',
  '8462-4': 'diastolic',
};

/** Observations that were never or are no longer true. */
const SKIPPED_STATUS = new Set(['entered-in-error', 'cancelled']);

/** Readings from vital-sign Observations; unknown codes are ignored, value-less ones skipped with a warning. */
export function readVitals(observations: JsonObject[], warnings: Warnings): VitalReading[] {
  const readings: VitalReading[] = [];
  // Standalone systolic and diastolic Observations pair up by their effective time.
  const pressures = new Map<string, BloodPressureReading>();
  for (const obs of observations) {
    if (obs.resourceType !== 'Observation' || SKIPPED_STATUS.has(String(obs.status))) continue;
    const kind = conceptCodes(obs.code).map((c) => KIND_OF_CODE[c]).find((k) => k !== undefined);
    if (!kind) continue;
    const time = effective(obs);
    if (kind === 'bpPanel') {
      const parts = components(obs);
      if (!parts.systolic && !parts.diastolic) warnings.add('observation_without_value');
      else readings.push({ kind: 'bloodPressure', time, systolic: parts.systolic ?? null, diastolic: parts.diastolic ?? null });
      continue;
    }
    const value = measurement(kind === 'systolic' || kind === 'diastolic' ? 'bloodPressure' : kind, obs.valueQuantity);
    if (!value) {
      warnings.add('observation_without_value');
      continue;
    }
    if (kind === 'systolic' || kind === 'diastolic') {
      const slot = time?.text ?? '';
      let bp = pressures.get(slot);
      if (!bp) pressures.set(slot, (bp = { kind: 'bloodPressure', time, systolic: null, diastolic: null }));
      if (!bp[kind]) bp[kind] = value;
    } else {
      readings.push({ kind, time, value });
    }
  }
  return [...readings, ...pressures.values()];
}

function components(obs: JsonObject): { systolic?: Measurement; diastolic?: Measurement } {
  const found: { systolic?: Measurement; diastolic?: Measurement } = {};
  for (const component of objects(obs.component)) {
    const kind = conceptCodes(component.code).map((c) => KIND_OF_CODE[c]).find((k) => k === 'systolic' || k === 'diastolic');
    if (kind && !found[kind]) {
      const value = measurement('bloodPressure', component.valueQuantity);
      if (value) found[kind] = value;
    }
  }
  return found;
}

function measurement(kind: VitalKind, quantity: unknown): Measurement | undefined {
  if (!isObject(quantity)) return undefined;
  const value = numberOf(quantity.value);
  if (value === undefined) return undefined;
  return normaliseUnit(kind, value, str(quantity.unit) ?? '', str(quantity.code));
}

function effective(obs: JsonObject): When | null {
  const period = isObject(obs.effectivePeriod) ? obs.effectivePeriod : {};
  return when(obs.effectiveDateTime) ?? when(obs.effectiveInstant) ?? when(period.start) ?? when(period.end) ?? when(obs.issued);
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
