import { afterEach, describe, expect, it } from 'vitest';
import { birthDateWithAge } from '../../../client/shared/format';
import { setLanguage } from '../../../client/shared/i18n/t';
import '../../../client/shared/i18n/catalogs';
import { cellText } from '../../../server/features/lists/cell-text.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';

/**
 * Patient.birthDate and Patient.deceasedDateTime may be partial (a FHIR date: "YYYY, YYYY-MM, or
 * YYYY-MM-DD"). The age is computed from the parts both dates give, the same in the tab and the CSV:
 * with the months known and a day unknown the true whole months are m or m-1 (m the month
 * difference), so the age in years is exact whenever the months of the year differ, else "about"
 * the larger; a child certainly under two is aged in months ("4–5 months" when the days leave
 * either), never "0 y". A year alone stays "about" the year difference.
 */
const today = new Date(2026, 5, 15); // 15 June 2026
const row = (birthDate: string, death: string): ListRow => ({
  patientId: 'p1',
  displayName: 'A',
  mrn: null,
  birthDate,
  gender: null,
  available: true,
  cells: {},
  deceased: { date: death },
});

describe('the age today from a birth date given to the month', () => {
  afterEach(() => setLanguage('en'));

  it('is exact when the birth month is another month of the year than today’s', () => {
    // Born in December 1990: on 15 June 2026 35 whatever the day, never "about 36".
    expect(birthDateWithAge('1990-12', today)).toBe('December 1990 (35\u00a0y)');
    expect(birthDateWithAge('1990-01', today)).toBe('January 1990 (36\u00a0y)');
  });

  it('is "about" the larger in the month of the birthday, and for a year alone', () => {
    expect(birthDateWithAge('1990-06', today)).toBe('June 1990 (about 36\u00a0y)');
    expect(birthDateWithAge('1990', today)).toBe('1990 (about 36\u00a0y)');
  });

  it('of a child under two is in months, a range when the days leave either, never "0 y"', () => {
    expect(birthDateWithAge('2026-05', today)).toBe('May 2026 (under 2 months)');
    expect(birthDateWithAge('2026-01', today)).toBe('January 2026 (4–5 months)');
    expect(birthDateWithAge('2026-06', today)).toBe('June 2026 (under 1 month)');
    expect(birthDateWithAge('2024-12', today)).toBe('December 2024 (17–18 months)');
    expect(birthDateWithAge('2026-05', new Date(2026, 11, 6))).toBe('May 2026 (6–7 months)');
    // Maybe two: in years, as for everyone.
    expect(birthDateWithAge('2024-06', today)).toBe('June 2024 (about 2\u00a0y)');
  });

  it('of a child born in a year alone is "under 1 year": the year gives no month to count', () => {
    expect(birthDateWithAge('2026', today)).toBe('2026 (under 1 year)');
  });

  it('is said in the user’s language', () => {
    setLanguage('ru');
    expect(birthDateWithAge('2026-01', today)).toMatch(/\(4–5 месяцев\)$/);
    expect(birthDateWithAge('1990-12', today)).toMatch(/\(35\u00a0л\.\)$/);
    setLanguage('zh-CN');
    expect(birthDateWithAge('2026-01', today)).toMatch(/（4-5个月）$/);
  });
});

describe('the age at death from dates given to the month, the same in the tab and the CSV', () => {
  it.each([
    // Born December 1990, died 15 June 2026: 35 whatever the day of birth.
    ['1990-12', '2026-06-15', 'December 1990 (died Jun 15, 2026, aged 35)', '35'],
    // Born 16 June 1924, died in March 1979: 54 whatever the day of death.
    ['1924-06-16', '1979-03', 'Jun 16, 1924 (died March 1979, aged 54)', '54'],
    ['1924-06-16', '1979-06', 'Jun 16, 1924 (died June 1979, aged about 55)', 'about 55'],
    ['1924-06', '1979-07-11', 'June 1924 (died Jul 11, 1979, aged 55)', '55'],
    ['1924', '1979-07-11', '1924 (died Jul 11, 1979, aged about 55)', 'about 55'],
    // A child who died under two: in months, never "aged about 0".
    ['2026-01', '2026-06-15', 'January 2026 (died Jun 15, 2026, aged 4–5 months)', '4–5 months'],
    ['2026-01-20', '2026-06', 'Jan 20, 2026 (died June 2026, aged 4–5 months)', '4–5 months'],
    ['2025-03', '2026-06-15', 'March 2025 (died Jun 15, 2026, aged 14–15 months)', '14–15 months'],
    // Dates that may agree at their widest keep an age, never a negative one.
    ['1990-06-20', '1990-06', 'Jun 20, 1990 (died June 1990, aged under 1 month)', 'under 1 month'],
  ])('born %s, died %s', (birth, death, tab, age) => {
    expect(birthDateWithAge(birth, today, { date: death })).toBe(tab);
    expect(cellText('birthDate', row(birth, death))).toBe(`${birth} (died ${death}, aged ${age})`);
  });

  it('dates that conflict at their widest still give no age', () => {
    expect(birthDateWithAge('1990-06', today, { date: '1990-05-31' })).toBe('June 1990 (died May 31, 1990; dates conflict: check in EHR)');
    expect(cellText('birthDate', row('1990-06', '1990-05-31'))).toBe('1990-06 (died 1990-05-31; dates conflict: check in EHR)');
    expect(birthDateWithAge('2026-07', today)).toBe('July 2026 (dates conflict: check in EHR)');
  });
});

/**
 * An infant's age at death (Patient.birthDate, Patient.deceasedDateTime; DSTU2, STU3, R4) is never
 * stated more precisely than the dates allow: dates that allow no whole year (or month) at all read
 * "under 1 year", "under 2 years", "under 1 month", "under 2 months", never "about 0", "about 1" or
 * "0 months". The tab and the CSV say the same, for every precision of either date: a year, a year
 * and month, a date, a dateTime.
 */
describe('the age at death of an infant, by the precision of the birth and death dates', () => {
  afterEach(() => setLanguage('en'));

  it.each([
    // Same year, a year alone on either side: any age from birth to 11 months.
    ['2019', '2019', 'under 1 year'],
    ['2019', '2019-05', 'under 1 year'],
    ['2019', '2019-05-03', 'under 1 year'],
    ['2019', '2019-05-03T10:15:00Z', 'under 1 year'],
    ['2019-05', '2019', 'under 1 year'],
    ['2019-05-03', '2019', 'under 1 year'],
    ['2019-05-03T06:00:00+02:00', '2019', 'under 1 year'],
    // A year apart, a year alone on either side: none or one whole year.
    ['2018', '2019', 'under 2 years'],
    ['2018', '2019-02', 'under 2 years'],
    ['2018', '2019-02-01', 'under 2 years'],
    ['2018-11', '2019', 'under 2 years'],
    ['2018-11-20', '2019', 'under 2 years'],
    // Months on both sides that allow no whole month.
    ['2019-05', '2019-05', 'under 1 month'],
    ['2019-05-03', '2019-05', 'under 1 month'],
    ['2019-05', '2019-05-20', 'under 1 month'],
    ['2019-05', '2019-05-20T23:00:00-05:00', 'under 1 month'],
    ['2019-05', '2019-06', 'under 2 months'],
    ['2019-05-31', '2019-06', 'under 2 months'],
    ['2019-05', '2019-06-20T08:00:00+02:00', 'under 2 months'],
  ])('born %s, died %s: aged %s', (birth, death, age) => {
    const tab = birthDateWithAge(birth, today, { date: death });
    expect(tab).toMatch(new RegExp(`, aged ${age}\\)$`));
    expect(tab).not.toMatch(/about 0|about 1\b|aged 0 /);
    expect(cellText('birthDate', row(birth, death))).toBe(`${birth} (died ${death.slice(0, 10)}, aged ${age})`);
  });

  it.each([
    // What the dates do allow stays as precise as before.
    ['2019-05-03', '2019-05-20', '17 days'],
    ['2019-05-03', '2019-05-20T23:00:00Z', '17 days'],
    ['2019-05-03', '2019-07', '1–2 months'],
    ['2019-01', '2019-06-15', '4–5 months'],
    ['2017', '2019', 'about 2'],
  ])('born %s, died %s: aged %s', (birth, death, age) => {
    expect(birthDateWithAge(birth, today, { date: death })).toMatch(new RegExp(`, aged ${age}\\)$`));
    expect(cellText('birthDate', row(birth, death))).toBe(`${birth} (died ${death.slice(0, 10)}, aged ${age})`);
  });

  it('says the same of a living infant born this year or last, given to the year or month only', () => {
    expect(birthDateWithAge('2026', today)).toBe('2026 (under 1 year)');
    expect(birthDateWithAge('2025', today)).toBe('2025 (under 2 years)');
    expect(birthDateWithAge('2026-06', today)).toBe('June 2026 (under 1 month)');
    expect(birthDateWithAge('2026-05', today)).toBe('May 2026 (under 2 months)');
  });

  it('is said in the user’s language', () => {
    setLanguage('zh-CN');
    expect(birthDateWithAge('2019', today, { date: '2019' })).toMatch(/不满 1年/);
    setLanguage('zh-TW');
    expect(birthDateWithAge('2019', today, { date: '2019' })).toMatch(/未滿 1 ?年/);
    setLanguage('ru');
    expect(birthDateWithAge('2019', today, { date: '2019' })).toMatch(/<\u00a01 год/);
  });
});
