import { describe, expect, it } from 'vitest';
import { cellText } from '../../../server/features/lists/cell-text.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';

const row = (over: Partial<ListRow>): ListRow => ({
  patientId: 'p1',
  displayName: 'Mrs. Lyndia Bergstrom',
  mrn: 'MRN-1',
  birthDate: '1924-06-16',
  gender: 'female',
  available: true,
  cells: {},
  ...over,
});

describe('CSV text of the patient columns', () => {
  it('a deceased patient (deceasedDateTime) has the date of death and the age at death, never a living age', () => {
    const text = cellText('birthDate', row({ deceased: { date: '1979-07-11T21:51:36+00:00' } }));
    expect(text).toBe('1924-06-16 (died 1979-07-11, aged 55)');
    expect(cellText('birthDate', row({ birthDate: '1924-08-16', deceased: { date: '1979-07-11' } }))).toBe('1924-08-16 (died 1979-07-11, aged 54)');
    expect(cellText('birthDate', row({ birthDate: '1924', deceased: { date: '1979-07-11' } }))).toBe('1924 (died 1979-07-11, aged about 55)');
  });

  it('deceasedBoolean without a date reads "deceased"; a living patient keeps the birth date alone', () => {
    expect(cellText('birthDate', row({ deceased: { date: null } }))).toBe('1924-06-16 (deceased)');
    expect(cellText('birthDate', row({ birthDate: null, deceased: { date: null } }))).toBe('Deceased');
    expect(cellText('birthDate', row({ deceased: null }))).toBe('1924-06-16');
  });

  it('a patient without a name reads "Unnamed patient" with the MRN; a row the EHR could not give is "Not available"', () => {
    expect(cellText('name', row({ displayName: '' }))).toBe('Unnamed patient (MRN MRN-1)');
    expect(cellText('name', row({ displayName: '', mrn: null }))).toBe('Unnamed patient');
    expect(cellText('name', row({ displayName: 'John Smith Jr.' }))).toBe('John Smith Jr.');
    expect(cellText('name', row({ displayName: null, available: false }))).toBe('Not available');
  });

  it('a replaced or inactive record says so beside the name, with the record to use when the EHR names it (Patient.link, Patient.active)', () => {
    const replaced = (replacedById: string | null, replacedByName: string | null) =>
      row({ recordNotice: { kind: 'replaced', replacedById, replacedByName } });
    expect(cellText('name', replaced('kept-1', 'Ann Kept'))).toBe('Mrs. Lyndia Bergstrom (replaced record: use Ann Kept)');
    expect(cellText('name', replaced('kept-1', null))).toBe('Mrs. Lyndia Bergstrom (replaced record: use Patient/kept-1)');
    expect(cellText('name', replaced(null, null))).toBe('Mrs. Lyndia Bergstrom (replaced record)');
    const secondary = (replacedById: string | null, replacedByName: string | null) =>
      row({ recordNotice: { kind: 'refer', replacedById, replacedByName } });
    expect(cellText('name', secondary('main-1', 'Ann Main'))).toBe('Mrs. Lyndia Bergstrom (not the main record: see Ann Main)');
    expect(cellText('name', secondary('main-1', null))).toBe('Mrs. Lyndia Bergstrom (not the main record: see Patient/main-1)');
    expect(cellText('name', secondary(null, null))).toBe('Mrs. Lyndia Bergstrom (not the main record)');
    expect(cellText('name', row({ displayName: '', recordNotice: { kind: 'inactive', replacedById: null, replacedByName: null } }))).toBe(
      'Unnamed patient (MRN MRN-1) (inactive record)',
    );
    expect(cellText('name', row({ recordNotice: null }))).toBe('Mrs. Lyndia Bergstrom');
  });

  it('a team field reads as a person would write it: yes/no as words, a person by name, text and numbers as they are', () => {
    const cells = (value: unknown) => ({ 'field:x': { status: 'ok' as const, value } });
    expect(cellText('field:x', row({ cells: cells(true) }))).toBe('Yes');
    expect(cellText('field:x', row({ cells: cells(false) }))).toBe('No');
    expect(cellText('field:x', row({ cells: cells({ id: 'u-1', name: 'Alex Kim' }) }))).toBe('Alex Kim');
    expect(cellText('field:x', row({ cells: cells('Bay 3') }))).toBe('Bay 3');
    expect(cellText('field:x', row({ cells: cells(38.5) }))).toBe('38.5');
    expect(cellText('field:x', row({ cells: { 'field:x': { status: 'none' } } }))).toBe('None recorded');
  });
});
