import { describe, expect, it } from 'vitest';
import { adapterFor } from '../../../server/ehr/adapters/index.js';

/** Who the row says the patient is (name, MRN, record in use), in every FHIR release the adapters read. */
type Release = 'DSTU2' | 'STU3' | 'R4';
// HumanName.family is a list in DSTU2, one string from STU3 on.
const family: Record<Release, (f: string) => unknown> = { DSTU2: (f) => [f], STU3: (f) => f, R4: (f) => f };
const now = Date.parse('2026-12-06T12:00:00Z');
const MR = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] };

describe.each(['DSTU2', 'STU3', 'R4'] as const)('a %s Patient’s name and identifiers', (release) => {
  const read = (patient: Record<string, unknown>) =>
    adapterFor(release).readPatient({ resourceType: 'Patient', id: 'p1', ...patient }, { now })!.summary;

  // HumanName.use (name-use): maiden "A name used prior to changing name because of marriage";
  // nickname "A name that is used to address the person in an informal manner, but is not part of
  // their formal or usual name". A name of no stated use ranks above both.
  it('an official name wins over a nickname and a maiden name listed first', () => {
    const s = read({
      name: [
        { use: 'nickname', given: ['Peggy'], family: family[release]('Smith') },
        { use: 'maiden', given: ['Margaret'], family: family[release]('Jones') },
        { use: 'official', given: ['Margaret'], family: family[release]('Smith') },
      ],
    });
    expect(s.displayName).toBe('Margaret Smith');
  });

  it('a name written only as text is shown when it is the only current one', () => {
    const s = read({ name: [{ use: 'old', given: ['Baby'], family: family[release]('Girl') }, { text: 'Amira Haddad' }] });
    expect(s.displayName).toBe('Amira Haddad');
  });

  // Identifier.period: "Time period during which identifier is/was valid for use".
  it('an MRN whose period ended yields to the current one', () => {
    const s = read({
      identifier: [
        { type: MR, value: 'OLD-1', period: { end: '2020-01-01' } },
        { type: MR, value: 'NEW-2' },
      ],
    });
    expect(s.mrn).toBe('NEW-2');
  });

  // Patient.active: "Whether this patient record is in active use" (a modifier).
  it('active false marks the record inactive', () => {
    expect(read({ active: false }).recordNotice?.kind).toBe('inactive');
  });
});
