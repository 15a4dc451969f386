import { afterEach, describe, expect, it } from 'vitest';
import { birthDateWithAge } from '../../../client/shared/format';
import { setLanguage } from '../../../client/shared/i18n/t';
import '../../../client/shared/i18n/catalogs';
import { cellText } from '../../../server/features/lists/cell-text.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';

/**
 * A birth date after the date of death (or after today) is a record error: no age is printed,
 * never a negative one; both dates are shown as the EHR gave them and said to conflict.
 * Patient.birthDate and Patient.deceasedDateTime are the same elements in DSTU2, STU3 and R4.
 */
const today = new Date(2026, 5, 15); // 15 June 2026
const row = (birthDate: string | null, death: string | null): ListRow => ({
  patientId: 'p1',
  displayName: 'Dora Dead',
  mrn: 'MRN-P',
  birthDate,
  gender: 'female',
  available: true,
  cells: {},
  deceased: { date: death },
});

describe.each(['DSTU2', 'STU3', 'R4'])('birth and death dates that conflict (%s Patient)', () => {
  afterEach(() => setLanguage('en'));

  it.each([
    [
      '1990-01-01',
      '1985-03-03',
      'Jan 1, 1990 (died Mar 3, 1985; dates conflict: check in EHR)',
      '1990-01-01 (died 1985-03-03; dates conflict: check in EHR)',
    ],
    [
      '1990-06-10',
      '1990-06-01',
      'Jun 10, 1990 (died Jun 1, 1990; dates conflict: check in EHR)',
      '1990-06-10 (died 1990-06-01; dates conflict: check in EHR)',
    ],
    // Partial dates conflict only when even their widest reading does.
    [
      '1990',
      '1989-12-31T23:00:00Z',
      '1990 (died Dec 31, 1989; dates conflict: check in EHR)',
      '1990 (died 1989-12-31; dates conflict: check in EHR)',
    ],
    ['1990-06', '1990-05', 'June 1990 (died May 1990; dates conflict: check in EHR)', '1990-06 (died 1990-05; dates conflict: check in EHR)'],
  ])('born %s, died %s: no age, the dates as given, said to conflict', (birth, death, tab, csv) => {
    expect(birthDateWithAge(birth, today, { date: death })).toBe(tab);
    expect(cellText('birthDate', row(birth, death))).toBe(csv);
    expect(birthDateWithAge(birth, today, { date: death })).not.toMatch(/aged|-\d/);
  });

  it('dates that may agree keep their age', () => {
    expect(birthDateWithAge('1990', today, { date: '1990-03-03' })).toBe('1990 (died Mar 3, 1990, aged under 1 year)');
    expect(cellText('birthDate', row('1990', '1990-03-03'))).toBe('1990 (died 1990-03-03, aged under 1 year)');
    expect(birthDateWithAge('1990-01-01', today, { date: '1990-01-01' })).toBe('Jan 1, 1990 (died Jan 1, 1990, aged 0 days)');
    expect(cellText('birthDate', row('1990-01-01', '1990-01-01'))).toBe('1990-01-01 (died 1990-01-01, aged 0 days)');
  });

  it('a birth date after today gives no age either', () => {
    expect(birthDateWithAge('2030-01-01', today)).toBe('Jan 1, 2030 (dates conflict: check in EHR)');
    expect(birthDateWithAge('2026-12', today)).toBe('December 2026 (dates conflict: check in EHR)');
    expect(birthDateWithAge('2026-06-15', today)).toBe('Jun 15, 2026 (0 days)');
  });

  it('is said in every language', () => {
    for (const language of ['ru', 'zh-CN', 'zh-TW'] as const) {
      setLanguage(language);
      const text = birthDateWithAge('1990-01-01', today, { date: '1985-03-03' });
      expect(text).not.toMatch(/-5|aged|возрасте|享年/);
      expect(text).toMatch(/EHR|ЭМК/);
    }
  });
});
