import { describe, expect, it } from 'vitest';
import { latestVitals, readVitals } from '../../../server/ehr/clinical/vitals.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { vitalObservation } from './vital-observations.js';

/** The latest vital sign per kind for valid Observations other EHRs send: units by UCUM code only, pounds, entered-in-error and absent values. */
const UCUM = 'http://unitsofmeasure.org';
const NOW = Date.now();
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const HOUR = 3_600_000;

describe.each(['DSTU2', 'STU3', 'R4'] as const)('the latest vital sign of Observations as third-party EHRs write them (%s)', (release) => {
  const latest = (obs: Record<string, unknown>[]) => latestVitals(readVitals(obs, new Warnings()), NOW);

  // Quantity.code is the computable unit ("a computer processable form of the unit"); `unit` is optional.
  it('a temperature given only by its UCUM code [degF] is converted to °C', () => {
    const l = latest([vitalObservation(release, '8310-5', ago(HOUR), { valueQuantity: { value: 101.3, system: UCUM, code: '[degF]' } })]);
    expect(l.temperature).toMatchObject({ value: { value: 38.5, unit: '°C' } });
  });

  it('a weight in pounds is shown in kg', () => {
    const l = latest([vitalObservation(release, '29463-7', ago(HOUR), { valueQuantity: { value: 154, unit: 'lb', system: UCUM, code: '[lb_av]' } })]);
    expect(l.weight).toMatchObject({ value: { value: 69.9, unit: 'kg' } });
  });

  // Observation.status entered-in-error / cancelled: no result; the older final reading is the latest.
  it('a newer entered-in-error heart rate does not hide the older final one', () => {
    const l = latest([
      vitalObservation(
        release,
        '8867-4',
        ago(HOUR),
        { valueQuantity: { value: 140, unit: '/min', system: UCUM, code: '/min' } },
        { status: 'entered-in-error' },
      ),
      vitalObservation(release, '8867-4', ago(2 * HOUR), { valueQuantity: { value: 72, unit: '/min', system: UCUM, code: '/min' } }),
    ]);
    expect(l.heartRate).toMatchObject({ value: { value: 72 } });
  });

  // Observation.dataAbsentReason: the newest attempt has no value; the cell keeps the older reading.
  it('a newer SpO2 with dataAbsentReason does not hide the older reading', () => {
    const l = latest([
      vitalObservation(release, '59408-5', ago(HOUR), { dataAbsentReason: { coding: [{ code: 'not-performed' }] } }),
      vitalObservation(release, '59408-5', ago(2 * HOUR), { valueQuantity: { value: 91, unit: '%', system: UCUM, code: '%' } }),
    ]);
    expect(l.spo2).toMatchObject({ value: { value: 91 } });
  });
});
