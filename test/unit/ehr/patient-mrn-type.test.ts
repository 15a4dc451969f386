import { describe, expect, it } from 'vitest';
import { adapterFor } from '../../../server/ehr/adapters/index.js';

type Release = 'DSTU2' | 'STU3' | 'R4';

/** The v2-0203 identifier type table's system in each release (DSTU2/STU3 hl7.org/fhir, R4 terminology.hl7.org). */
const tableSystem: Record<Release, string> = {
  DSTU2: 'http://hl7.org/fhir/v2/0203',
  STU3: 'http://hl7.org/fhir/v2/0203',
  R4: 'http://terminology.hl7.org/CodeSystem/v2-0203',
};

describe.each(['DSTU2', 'STU3', 'R4'] as const)('the %s patient MRN (Identifier.type MR)', (release) => {
  const adapter = adapterFor(release);
  const mrnOf = (identifier: unknown[], mrnSystem?: string) =>
    adapter.toPatientSummary({ resourceType: 'Patient', id: 'p1', identifier }, { mrnSystem })?.mrn;

  it('a coding MR without a system is the MRN (the type binds to v2-0203)', () => {
    expect(mrnOf([{ type: { coding: [{ code: 'MR' }] }, value: '123' }])).toBe('123');
  });

  it.each(['MRN', 'mrn', 'MR', 'Medical Record Number', 'medical record number '])('a type with only the text "%s" is the MRN', (text) => {
    expect(mrnOf([{ type: { text }, value: '123' }])).toBe('123');
  });

  it('the text does not overrule a v2-0203 coding of another type, nor does a coding MR of another system count', () => {
    expect(mrnOf([{ type: { coding: [{ system: tableSystem[release], code: 'SS' }], text: 'MRN' }, value: 'SSN' }])).toBeNull();
    expect(mrnOf([{ type: { coding: [{ code: 'PI' }], text: 'MRN' }, value: 'PI' }])).toBeNull();
    expect(mrnOf([{ type: { coding: [{ system: 'http://example.org/types', code: 'MR' }] }, value: 'X' }])).toBeNull();
    expect(mrnOf([{ type: { text: 'MRN number' }, value: 'X' }])).toBeNull();
  });

  it('a text with a coding of a local system only is the MRN', () => {
    expect(mrnOf([{ type: { coding: [{ system: 'urn:local:types', code: '42' }], text: 'Medical record number' }, value: '123' }])).toBe('123');
  });

  it('the surer type wins: coded with the v2-0203 system, then coded without a system, then the text; current before old', () => {
    const text = { type: { text: 'MRN' }, value: 'TEXT' };
    const bare = { type: { coding: [{ code: 'MR' }] }, value: 'BARE' };
    const coded = { type: { coding: [{ system: tableSystem[release], code: 'MR' }] }, value: 'CODED' };
    expect(mrnOf([text, bare, coded])).toBe('CODED');
    expect(mrnOf([text, bare])).toBe('BARE');
    expect(mrnOf([{ ...coded, use: 'old' }, text])).toBe('TEXT');
  });

  it('the configured system (EHR_MRN_SYSTEM) still wins over any typed MR', () => {
    expect(
      mrnOf(
        [
          { type: { coding: [{ code: 'MR' }] }, value: 'TYPED' },
          { system: 'urn:hospital:mrn', value: 'CONFIGURED' },
        ],
        'urn:hospital:mrn',
      ),
    ).toBe('CONFIGURED');
  });
});
