import { describe, expect, it } from 'vitest';
import { adapterFor } from '../../../server/ehr/adapters/index.js';

/**
 * Which MR identifier is the MRN, by Identifier.use and Identifier.period. Source: value set
 * identifier-use (https://hl7.org/fhir/R4/valueset-identifier-use.html; STU3 the same; DSTU2 has
 * usual, official, temp, secondary without `old`): `temp` is "a temporary identifier", `secondary`
 * "an identifier that was assigned in secondary use"; Identifier.period is the "time period when id
 * is/was valid for use" (DSTU2, STU3, R4). Rank: usual/official/no use valid now, then secondary,
 * then temp, then not yet valid and old or ended.
 */
const now = Date.parse('2026-12-06T12:00:00Z');
const MR = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] };
const mr = (value: string, extra: Record<string, unknown> = {}) => ({ type: MR, value, ...extra });

describe.each(['DSTU2', 'STU3', 'R4'] as const)('the %s MRN by identifier use and period', (release) => {
  const adapter = adapterFor(release);
  const mrnOf = (identifier: unknown[], mrnSystem?: string) =>
    adapter.toPatientSummary({ resourceType: 'Patient', id: 'p1', identifier }, { mrnSystem, now })?.mrn;

  it('the official number listed after a temporary one is the MRN (the review example)', () => {
    expect(mrnOf([mr('TEMP-0001', { use: 'temp' }), mr('MRN-12345', { use: 'official' })])).toBe('MRN-12345');
  });

  it('usual, official and no use read before secondary, which reads before temp', () => {
    expect(mrnOf([mr('SEC', { use: 'secondary' }), mr('USUAL', { use: 'usual' })])).toBe('USUAL');
    expect(mrnOf([mr('SEC', { use: 'secondary' }), mr('NONE')])).toBe('NONE');
    expect(mrnOf([mr('TEMP', { use: 'temp' }), mr('SEC', { use: 'secondary' })])).toBe('SEC');
    // Only a temporary number: it is still shown.
    expect(mrnOf([mr('TEMP', { use: 'temp' })])).toBe('TEMP');
  });

  it('a number whose period has not begun reads after temp, and old or ended numbers still read last', () => {
    const future = mr('NEXT', { use: 'official', period: { start: '2027-01-01' } });
    expect(mrnOf([future, mr('MRN-12345', { use: 'official' })])).toBe('MRN-12345');
    expect(mrnOf([future, mr('TEMP', { use: 'temp' })])).toBe('TEMP');
    expect(mrnOf([mr('OLD', { use: 'old' }), mr('TEMP', { use: 'temp' })])).toBe('TEMP');
    expect(mrnOf([mr('ENDED', { period: { end: '2025-01-01' } }), mr('SEC', { use: 'secondary' })])).toBe('SEC');
    expect(mrnOf([mr('OLD', { use: 'old' })])).toBe('OLD');
  });

  it('the configured system ranks its identifiers the same way', () => {
    const system = 'urn:hospital:mrn';
    expect(
      mrnOf(
        [
          { system, use: 'temp', value: 'TEMP' },
          { system, use: 'official', value: 'OFFICIAL' },
        ],
        system,
      ),
    ).toBe('OFFICIAL');
  });
});
