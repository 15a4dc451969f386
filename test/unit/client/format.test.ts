import { afterEach, describe, expect, it } from 'vitest';
import { birthDateWithAge, codeLabel, genderLabel, numberText } from '../../../client/shared/format';
import { setLanguage } from '../../../client/shared/i18n/t';

const today = new Date(2026, 5, 15); // 15 June 2026

afterEach(() => setLanguage('en'));

describe('birth date with age', () => {
  it('counts whole years from a full date, before and after the birthday', () => {
    expect(birthDateWithAge('1951-06-15', today)).toBe('Jun 15, 1951 (75\u00a0y)');
    expect(birthDateWithAge('1951-06-16', today)).toBe('Jun 16, 1951 (74\u00a0y)');
    expect(birthDateWithAge('1951-12-01', today)).toBe('Dec 1, 1951 (74\u00a0y)');
  });

  it('shows a year or a year and month as given, with an approximate age', () => {
    expect(birthDateWithAge('1951', today)).toBe('1951 (about 75\u00a0y)');
    expect(birthDateWithAge('1951-08', today)).toBe('August 1951 (about 75\u00a0y)');
  });

  it('writes the date, the age and numbers the way each language does', () => {
    setLanguage('ru');
    expect(birthDateWithAge('1951-06-15', today)).toBe('15 июн. 1951 г. (75\u00a0л.)');
    expect(birthDateWithAge('1951-08', today)).toBe('август 1951 г. (около\u00a075\u00a0л.)');
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
