import { describe, expect, it } from 'vitest';
import { normaliseUnit, roundTo } from '../../../server/ehr/clinical/units.js';

/** Each kind's precision and the unit a clinician reads, with what the EHR sent kept when the value changes. */
describe('readable vital values', () => {
  it.each([
    // The examples of issue 12: "106.232/77.877 mmHg" and "36.889 °C".
    ['bloodPressure', 106.232, 'mm[Hg]', 'mm[Hg]', { value: 106, unit: 'mmHg', original: { value: 106.232, unit: 'mm[Hg]' } }],
    ['bloodPressure', 77.877, 'mmHg', 'mm[Hg]', { value: 78, unit: 'mmHg', original: { value: 77.877, unit: 'mmHg' } }],
    ['temperature', 36.889, 'Cel', 'Cel', { value: 36.9, unit: '°C', original: { value: 36.889, unit: 'Cel' } }],
    ['temperature', 37.82963527211688, 'Cel', 'Cel', { value: 37.8, unit: '°C', original: { value: 37.82963527211688, unit: 'Cel' } }],
    ['heartRate', 71.6, '/min', '/min', { value: 72, unit: '/min', original: { value: 71.6, unit: '/min' } }],
    ['heartRate', 80, '{beats}/min', '{beats}/min', { value: 80, unit: '/min' }],
    ['heartRate', 80, 'bpm', undefined, { value: 80, unit: '/min' }],
    ['respiratoryRate', 15.5, '{breaths}/min', '{breaths}/min', { value: 16, unit: '/min', original: { value: 15.5, unit: '{breaths}/min' } }],
    ['respiratoryRate', 18, 'breaths/minute', '/min', { value: 18, unit: '/min' }],
    ['spo2', 96.4, '%', '%', { value: 96, unit: '%', original: { value: 96.4, unit: '%' } }],
    ['weight', 81.6466, 'kg', 'kg', { value: 81.6, unit: 'kg', original: { value: 81.6466, unit: 'kg' } }],
    ['weight', 154, '[lb_av]', '[lb_av]', { value: 69.9, unit: 'kg', original: { value: 154, unit: '[lb_av]' } }],
    ['height', 172.46, 'cm', 'cm', { value: 172, unit: 'cm', original: { value: 172.46, unit: 'cm' } }],
    ['height', 1.725, 'm', 'm', { value: 173, unit: 'cm', original: { value: 1.725, unit: 'm' } }],
    ['bmi', 27.4839, 'kg/m2', 'kg/m2', { value: 27.5, unit: 'kg/m²', original: { value: 27.4839, unit: 'kg/m2' } }],
    ['bmi', 22, 'kg/m2', 'kg/m2', { value: 22, unit: 'kg/m²' }],
    // UCUM K is converted: 0 °C is 273.15 K.
    ['temperature', 310.15, 'K', 'K', { value: 37, unit: '°C', original: { value: 310.15, unit: 'K' } }],
    // UCUM unity: a saturation given as a fraction is converted (0.97 is 97 %).
    ['spo2', 0.97, '1', '1', { value: 97, unit: '%', original: { value: 0.97, unit: '1' } }],
    // An unknown unit is kept as sent, never guessed, and to at least two decimals: the kind's
    // precision is for its own unit (a fraction of 0.97 rounded as SpO2 in % would read 1).
    ['spo2', 0.9712, '{ratio}', undefined, { value: 0.97, unit: '{ratio}', original: { value: 0.9712, unit: '{ratio}' } }],
    ['heartRate', 1.2345, 'Hz', 'Hz', { value: 1.23, unit: 'Hz', original: { value: 1.2345, unit: 'Hz' } }],
    // A value far below its kind's size keeps two significant digits: never rounded into another
    // value that reads as a real reading (a fraction sent under "%" is not "1 %").
    ['spo2', 0.97, '%', '%', { value: 0.97, unit: '%' }],
    ['spo2', 0.9712, '%', '%', { value: 0.97, unit: '%', original: { value: 0.9712, unit: '%' } }],
    ['respiratoryRate', 4.64, '/min', '/min', { value: 4.6, unit: '/min', original: { value: 4.64, unit: '/min' } }],
    ['bloodPressure', 0.44, 'mm[Hg]', 'mm[Hg]', { value: 0.44, unit: 'mmHg' }],
  ] as const)('%s %d %s', (kind, value, unit, code, expected) => {
    expect(normaliseUnit(kind, value, unit, code)).toEqual(expected);
  });

  // A bound keeps its comparator and is rounded away from it, so what it says stays true.
  it.each([
    ['temperature', 35.04, 'Cel', '<', { value: 35.1, unit: '°C', comparator: '<', original: { value: 35.04, unit: 'Cel' } }],
    ['temperature', 35, 'Cel', '<', { value: 35, unit: '°C', comparator: '<' }],
    ['spo2', 99.6, '%', '>', { value: 99, unit: '%', comparator: '>', original: { value: 99.6, unit: '%' } }],
    ['spo2', 95.2, '%', '<=', { value: 96, unit: '%', comparator: '<=', original: { value: 95.2, unit: '%' } }],
    ['heartRate', 250.9, '/min', '>=', { value: 250, unit: '/min', comparator: '>=', original: { value: 250.9, unit: '/min' } }],
    ['temperature', 95, '[degF]', '<', { value: 35, unit: '°C', comparator: '<', original: { value: 95, unit: '[degF]' } }],
    ['temperature', 94.9, '[degF]', '<', { value: 35, unit: '°C', comparator: '<', original: { value: 94.9, unit: '[degF]' } }],
  ] as const)('%s %s %d %s', (kind, value, unit, comparator, expected) => {
    expect(normaliseUnit(kind, value, unit, unit, comparator)).toEqual(expected);
  });

  it.each([
    [36.85, 1, 36.9],
    [36.849, 1, 36.8],
    [0.5, 0, 1],
    [2.5, 0, 3],
    [-0.04, 1, 0],
    [99.95, 1, 100],
  ])('rounds %d to %d decimals as %d (half away from zero)', (value, digits, expected) => {
    expect(roundTo(value, digits)).toBe(expected);
  });
});
