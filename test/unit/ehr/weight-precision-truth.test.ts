import { describe, expect, it } from 'vitest';
import { normaliseUnit } from '../../../server/ehr/clinical/units.js';

/**
 * Weight precision by size: under 10 kg to 0.01 kg, from 10 kg to 0.1 kg. Neonatal and infant
 * weight-based doses are calculated per gram of body weight, and neonatal/infant scales resolve
 * 5-10 g; one decimal of a kilogram moves 850 g to 0.9 kg (+5.9 %, a dose error of the same size),
 * while 0.1 kg is under 1 % of any weight from 10 kg. UCUM g = 1/1000 kg (https://ucum.org/ucum).
 */
describe('weights of small patients keep their meaningful precision', () => {
  it.each([
    // The review example: 850 g is 0.85 kg, not 0.9.
    [850, 'g', 0.85],
    [3245, 'g', 3.25],
    [0.853, 'kg', 0.85],
    [9.994, 'kg', 9.99],
    [3.2, 'kg', 3.2],
    // 7 lb = 3.17515 kg, 100 oz = 2.83495 kg (UCUM avoirdupois).
    [7, '[lb_av]', 3.18],
    [100, '[oz_av]', 2.83],
    // From 10 kg: one decimal as before.
    [10.04, 'kg', 10],
    [81.6466, 'kg', 81.6],
    [12345, 'g', 12.3],
  ])('%s %s reads %s kg', (value, unit, shown) => {
    expect(normaliseUnit('weight', value, unit, unit).value).toBe(shown);
  });

  it('a bound keeps its side at the finer precision', () => {
    expect(normaliseUnit('weight', 851, 'g', 'g', '<')).toMatchObject({ value: 0.86, comparator: '<' });
    expect(normaliseUnit('weight', 859, 'g', 'g', '>')).toMatchObject({ value: 0.85, comparator: '>' });
  });
});
