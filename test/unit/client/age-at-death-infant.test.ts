import { afterEach, describe, expect, it } from 'vitest';
import { birthDateWithAge } from '../../../client/shared/format';
import { setLanguage } from '../../../client/shared/i18n/t';
import '../../../client/shared/i18n/catalogs';
import { cellText } from '../../../server/features/lists/cell-text.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';

/**
 * An infant's age at death (Patient.birthDate, Patient.deceasedDateTime; DSTU2, STU3, R4) is never
 * stated more precisely than the dates allow: dates that allow no whole year (or month) at all read
 * "under 1 year", "under 2 years", "under 1 month", "under 2 months", never "about 0", "about 1" or
 * "0 months". The tab and the CSV say the same, for every precision of either date: a year, a year
 * and month, a date, a dateTime.
 */
const today = new Date(2026, 5, 15);
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
