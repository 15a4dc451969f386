import { describe, expect, it } from 'vitest';
import { adultRangesApply, vitalFlag } from '../../../contract/vital-ranges.js';

/**
 * NEWS2 is not for under-16s (Royal College of Physicians, NEWS2 2017: "NEWS2 should not be used in
 * children (aged under 16)"). The app gives no adult flag rather than a false one, so a patient
 * counts as adult only when surely 16 or older: a partial FHIR date (a year or year-month,
 * https://hl7.org/fhir/R4/datatypes.html#date; the same in DSTU2 and STU3) counts from the latest
 * day it allows, the end of its year or month.
 */
describe('adult ranges only for a patient surely 16 or older', () => {
  const now = Date.parse('2026-12-06T12:00:00Z');

  it.each([
    // Born in 2010 or in December 2010: may be born on 2010-12-31, so 15 on 2026-12-06.
    ['2010', false],
    ['2010-12', false],
    ['2010-12-07', false],
    // Surely 16 already.
    ['2010-11', true],
    ['2009', true],
    ['2010-12-06', true],
  ])('born %s on 2026-12-06: adult %s', (birthDate, adult) => {
    expect(adultRangesApply(birthDate, now)).toBe(adult);
  });

  it('a partial date becomes adult from the end of its year or month', () => {
    expect(adultRangesApply('2010', Date.parse('2026-12-31T00:00:00Z'))).toBe(true);
    expect(adultRangesApply('2010', Date.parse('2026-12-30T23:59:59Z'))).toBe(false);
    // February's last day in a leap year.
    expect(adultRangesApply('2008-02', Date.parse('2024-02-28T12:00:00Z'))).toBe(false);
    expect(adultRangesApply('2008-02', Date.parse('2024-02-29T00:00:00Z'))).toBe(true);
  });

  it('a possible 15-year-old with a pulse of 125 gets no adult "high" flag', () => {
    expect(vitalFlag('heartRate', 125, '/min', null, adultRangesApply('2010', now))).toBeNull();
  });
});
