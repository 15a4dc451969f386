import { describe, expect, it } from 'vitest';
import { birthDateWithAge, genderLabel } from '../../../client/shared/format';

const today = new Date(2026, 5, 15); // 15 June 2026

describe('birth date with age', () => {
  it('counts whole years from a full date, before and after the birthday', () => {
    expect(birthDateWithAge('1951-06-15', today)).toBe('1951-06-15 (75\u00a0y)');
    expect(birthDateWithAge('1951-06-16', today)).toBe('1951-06-16 (74\u00a0y)');
    expect(birthDateWithAge('1951-12-01', today)).toBe('1951-12-01 (74\u00a0y)');
  });

  it('shows a year or a year and month as given, with an approximate age', () => {
    expect(birthDateWithAge('1951', today)).toBe('1951 (about 75\u00a0y)');
    expect(birthDateWithAge('1951-08', today)).toBe('1951-08 (about 75\u00a0y)');
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
