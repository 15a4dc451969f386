import { afterEach, describe, expect, it } from 'vitest';
import {
  authorText,
  birthDateWithAge,
  codeLabel,
  deceasedText,
  genderLabel,
  numberText,
  patientName,
  recordNoticeLabel,
  recordNoticeOf,
} from '../../../client/shared/format';
import { setLanguage } from '../../../client/shared/i18n/t';
import { cellText } from '../../../server/features/lists/cell-text.js';
import { recordNoticeAdvice } from '../../../client/features/patient-details/record-notice-advice';
import '../../../client/shared/i18n/catalogs';

const today = new Date(2026, 5, 15); // 15 June 2026

afterEach(() => setLanguage('en'));

describe('the author of a note or a discharge the app cannot vouch for', () => {
  it("is said in the user's language, never the name the row holds", () => {
    expect(authorText('Dr. A', undefined)).toBe('Dr. A');
    expect(authorText('(not verified: changed outside the Patients app)', 'altered')).toBe('Author not verified: changed outside Patients');
    setLanguage('ru');
    expect(authorText('(not verified: changed outside the Patients app)', 'altered')).toBe(
      'Автор не подтверждён: изменено вне приложения «Пациенты»',
    );
    expect(authorText('(not verified: written before the app sealed its records, or outside the app)', 'unsealed')).toMatch(
      /^Автор не подтверждён: записано вне/,
    );
    setLanguage('zh-TW');
    expect(authorText('x', 'unsealed')).toMatch(/^作者未經驗證/);
    // A reason this tab does not know, or a name that is not text: the name, or nothing.
    expect(authorText('Dr. B', 'forged')).toBe('Dr. B');
    expect(authorText({ name: 'x' }, undefined)).toBe('');
  });
});

describe('a record not to be used (Patient.link replaced-by, Patient.active false)', () => {
  it('is labelled beside the name, and the details say which record to use', () => {
    const secondary = recordNoticeOf({ kind: 'refer', replacedById: 'main-1', replacedByName: 'Ann Main' })!;
    expect(recordNoticeLabel(secondary)).toBe('Not the main record');
    expect(recordNoticeAdvice(secondary)).toBe("The EHR keeps this patient's main record as Ann Main: consult it for more of their information.");
    expect(recordNoticeAdvice(recordNoticeOf({ kind: 'refer', replacedById: null, replacedByName: null })!)).toBe(
      "The EHR keeps this patient's main record elsewhere: consult it for more of their information.",
    );
    const replaced = recordNoticeOf({ kind: 'replaced', replacedById: 'kept-1', replacedByName: 'Ann Kept' })!;
    expect(recordNoticeLabel(replaced)).toBe('Replaced record');
    expect(recordNoticeAdvice(replaced)).toBe('The EHR has replaced this record with Ann Kept: use that record.');
    expect(recordNoticeAdvice(recordNoticeOf({ kind: 'replaced', replacedById: 'kept-1' })!)).toBe(
      'The EHR has replaced this record with kept-1: use that record.',
    );
    expect(recordNoticeAdvice(recordNoticeOf({ kind: 'replaced', replacedById: null, replacedByName: '' })!)).toBe(
      'The EHR has replaced this record with another: use that record.',
    );
    const inactive = recordNoticeOf({ kind: 'inactive' })!;
    expect(recordNoticeLabel(inactive)).toBe('Inactive record');
    expect(recordNoticeAdvice(inactive)).toBe('The EHR marks this record as no longer in use.');
    const qualified = recordNoticeOf({ kind: 'qualified', replacedById: null, replacedByName: null })!;
    expect(recordNoticeLabel(qualified)).toBe('Check record in EHR');
    expect(recordNoticeAdvice(qualified)).toBe(
      'The EHR qualifies this record in a way this app cannot read: check it in the EHR before relying on it.',
    );
    setLanguage('zh-TW');
    expect(recordNoticeLabel(replaced)).toBe('已被取代的紀錄');
  });

  it('reads what another program sends: a kind this tab does not know, or no object, is a record in use', () => {
    for (const sent of [null, undefined, 'replaced', { kind: 'merged' }, { kind: 1 }, []]) expect(recordNoticeOf(sent)).toBeNull();
    expect(recordNoticeOf({ kind: 'replaced', replacedById: 7, replacedByName: ['x'] })).toEqual({
      kind: 'replaced',
      replacedById: null,
      replacedByName: null,
    });
  });
});

describe('a deceased patient (Patient.deceased[x]: deceasedDateTime or deceasedBoolean)', () => {
  it('shows the age at death and the date of death, never a living age', () => {
    // Lyndia Bergstrom of the Synthea R4 samples: born 1924-06-16, died 1979-07-11.
    expect(birthDateWithAge('1924-06-16', today, { date: '1979-07-11T21:51:36+00:00' })).toBe('Jun 16, 1924 (died Jul 11, 1979, aged 55)');
    expect(birthDateWithAge('1924-08-16', today, { date: '1979-07-11' })).toBe('Aug 16, 1924 (died Jul 11, 1979, aged 54)');
  });

  it.each([
    ['2020-01-10', '2020-01-22', '12 days'],
    ['2020-01-10', '2020-01-11', '1 day'],
    ['2020-01-10', '2020-02-10', '1 month'],
    ['2020-01-31', '2020-04-02', '2 months'],
    ['2019-01-10', '2020-12-31', '23 months'],
    ['2018-01-10', '2020-01-10', '2'],
  ])('a child born %s who died %s is aged %s, in the tab and the export, never "aged 0"', (birth, death, age) => {
    expect(birthDateWithAge(birth, today, { date: death })).toMatch(new RegExp(`, aged ${age}\\)$`));
    const row = {
      patientId: 'p',
      displayName: 'Baby',
      mrn: null,
      birthDate: birth,
      gender: null,
      available: true,
      cells: {},
      deceased: { date: death },
    };
    expect(cellText('birthDate', row)).toBe(`${birth} (died ${death}, aged ${age})`);
  });

  it('says "about" when either date is partial, and only "deceased" without a date of death', () => {
    expect(birthDateWithAge('1924', today, { date: '1979-07-11' })).toBe('1924 (died Jul 11, 1979, aged about 55)');
    expect(birthDateWithAge('1924-06-16', today, { date: '1979' })).toBe('Jun 16, 1924 (died 1979, aged about 55)');
    expect(birthDateWithAge('1924-06-16', today, { date: null })).toBe('Jun 16, 1924 (deceased)');
    expect(birthDateWithAge(null, today, { date: null })).toBe('Deceased');
    expect(deceasedText({ date: '1979-07-11' })).toBe('Deceased Jul 11, 1979');
  });

  it('a living patient (null) keeps the age today', () => {
    expect(birthDateWithAge('1951-06-15', today, null)).toBe('Jun 15, 1951 (75\u00a0y)');
  });

  it('reads in every language', () => {
    setLanguage('ru');
    expect(birthDateWithAge('1924-06-16', today, { date: '1979-07-11' })).toBe('16 июн. 1924 г. (умер(ла) 11 июл. 1979 г. в возрасте 55\u00a0л.)');
    // Intl words a number of months in the nominative: no "в возрасте" before it, which would need the genitive.
    expect(birthDateWithAge('2020-01-10', today, { date: '2020-02-12' })).toBe('10 янв. 2020 г. (умер(ла) 12 февр. 2020 г., возраст: 1 месяц)');
    setLanguage('zh-CN');
    expect(birthDateWithAge('1924-06-16', today, { date: '1979-07-11' })).toBe('1924年6月16日（1979年7月11日 去世，享年 55 岁）');
    setLanguage('zh-TW');
    expect(deceasedText({ date: null })).toBe('已故');
  });
});

describe('a patient without a name', () => {
  it('reads "Unnamed patient" with the MRN, in every language', () => {
    expect(patientName('', 'MRN-1')).toBe('Unnamed patient (MRN MRN-1)');
    expect(patientName('', null)).toBe('Unnamed patient');
    expect(patientName('John Smith Jr.', 'MRN-1')).toBe('John Smith Jr.');
    setLanguage('ru');
    expect(patientName('', '7')).toBe('Пациент без имени (номер карты 7)');
    setLanguage('zh-CN');
    expect(patientName('', '7')).toBe('未命名患者（病历号 7）');
    setLanguage('zh-TW');
    expect(patientName(null, null)).toBe('未命名病患');
  });
});

describe('birth date with age', () => {
  it('counts whole years from a full date, before and after the birthday', () => {
    expect(birthDateWithAge('1951-06-15', today)).toBe('Jun 15, 1951 (75\u00a0y)');
    expect(birthDateWithAge('1951-06-16', today)).toBe('Jun 16, 1951 (74\u00a0y)');
    expect(birthDateWithAge('1951-12-01', today)).toBe('Dec 1, 1951 (74\u00a0y)');
  });

  it('shows a year or a year and month as given, with an approximate age where the parts leave it open', () => {
    expect(birthDateWithAge('1951', today)).toBe('1951 (about 75\u00a0y)');
    expect(birthDateWithAge('1951-06', today)).toBe('June 1951 (about 75\u00a0y)');
    // Born in August 1951: on 15 June 2026 74 whatever the day (test/unit/client/ages-partial-dates.test.ts).
    expect(birthDateWithAge('1951-08', today)).toBe('August 1951 (74\u00a0y)');
  });

  it('writes the date, the age and numbers the way each language does', () => {
    setLanguage('ru');
    expect(birthDateWithAge('1951-06-15', today)).toBe('15 июн. 1951 г. (75\u00a0л.)');
    expect(birthDateWithAge('1951-06', today)).toBe('июнь 1951 г. (около\u00a075\u00a0л.)');
    expect(numberText(36.6)).toBe('36,6');
    setLanguage('zh-CN');
    expect(birthDateWithAge('1951-06-15', today)).toBe('1951年6月15日（75 岁）');
    setLanguage('zh-TW');
    expect(birthDateWithAge('1951', today)).toBe('1951年（約 75 歲）');
  });

  it('names the FHIR codes it knows in the active language, and shows others as sent', () => {
    expect(codeLabel('in-progress')).toBe('in progress');
    expect(codeLabel('Moderate')).toBe('moderate');
    setLanguage('ru');
    expect(codeLabel('confirmed')).toBe('подтверждено');
    expect(codeLabel('IMP')).toBe('стационар');
    expect(codeLabel('x-local-status')).toBe('x-local-status');
    expect(codeLabel(null)).toBe('');
  });

  it('says so when there is no birth date, and passes through what it cannot read', () => {
    expect(birthDateWithAge(null, today)).toBe('None recorded');
    expect(birthDateWithAge('unknown', today)).toBe('unknown');
  });

  it('names the FHIR genders and nothing else', () => {
    expect(genderLabel('female')).toBe('Female');
    expect(genderLabel(null)).toBe('None recorded');
    expect(genderLabel('x-custom')).toBe('None recorded');
  });
});

describe('a child’s age (under two years from a full birth date)', () => {
  afterEach(() => setLanguage('en'));
  const today = new Date(2026, 11, 3);

  it('is said in months, and under a month in days, never "0 y"', () => {
    expect(birthDateWithAge('2026-11-21', today)).toBe('Nov 21, 2026 (12 days)');
    expect(birthDateWithAge('2026-12-02', today)).toBe('Dec 2, 2026 (1 day)');
    expect(birthDateWithAge('2026-12-03', today)).toBe('Dec 3, 2026 (0 days)');
    expect(birthDateWithAge('2026-11-03', today)).toBe('Nov 3, 2026 (1 month)');
    expect(birthDateWithAge('2026-06-04', today)).toBe('Jun 4, 2026 (5 months)');
    expect(birthDateWithAge('2024-12-04', today)).toBe('Dec 4, 2024 (23 months)');
    // From two years on, in years as for everyone.
    expect(birthDateWithAge('2024-12-03', today)).toBe('Dec 3, 2024 (2\u00a0y)');
  });

  it('is said in the user’s language', () => {
    setLanguage('ru');
    expect(birthDateWithAge('2026-06-04', today)).toMatch(/\(5 месяцев\)$/);
  });
});
