import { describe, expect, it } from 'vitest';
import { adapterFor, adapters } from '../../../server/ehr/adapters/index.js';
import type { PatientSummary } from '../../../server/ehr/types.js';

type Release = 'DSTU2' | 'STU3' | 'R4';

/** How each release writes the parts of a patient that differ. */
// replacedBy: the release's Patient.link type of a record that must no longer be used (link-type).
const shapes: Record<Release, { family: (f: string) => unknown; mrnSystem: string; gp: string; replacedBy: string }> = {
  DSTU2: { family: (f) => f.split(' '), mrnSystem: 'http://hl7.org/fhir/v2/0203', gp: 'careProvider', replacedBy: 'replace' },
  STU3: { family: (f) => f, mrnSystem: 'http://hl7.org/fhir/v2/0203', gp: 'generalPractitioner', replacedBy: 'replaced-by' },
  R4: { family: (f) => f, mrnSystem: 'http://terminology.hl7.org/CodeSystem/v2-0203', gp: 'generalPractitioner', replacedBy: 'replaced-by' },
};

type Shape = (typeof shapes)[Release];
const mrn = (s: Shape, value: string, system = s.mrnSystem) => ({
  type: { coding: [{ system, code: 'MR' }] },
  system: 'http://hospital.example.org/mrn',
  value,
});

/** The EHR the records come from: a link by URL on it names one of its records. */
const EHR_BASE = 'https://ehr.example.org/fhir/';

interface Case {
  story: string;
  build: (s: Shape) => unknown;
  expected: Partial<PatientSummary> | null;
  mrnSystem?: string;
}

const cases: Case[] = [
  {
    story: 'a full patient reads as prefix, given and family, with MRN, birth date, gender and GP',
    build: (s) => ({
      resourceType: 'Patient',
      id: 'hugh-1',
      name: [{ use: 'official', prefix: ['Mr.'], given: ['Hugh'], family: s.family('Chau') }],
      identifier: [{ system: 'urn:oid:1.2.3', value: 'SSN-999' }, mrn(s, 'MRN-12345')],
      birthDate: '1951-08-14',
      gender: 'male',
      [s.gp]: [{ reference: 'Practitioner/1', display: 'Dr. Ada Adams' }],
    }),
    expected: {
      id: 'hugh-1',
      displayName: 'Mr. Hugh Chau',
      mrn: 'MRN-12345',
      birthDate: '1951-08-14',
      gender: 'male',
      generalPractitioner: 'Dr. Ada Adams',
    },
  },
  {
    story: 'the official name wins over usual and over the first name',
    build: (s) => ({
      resourceType: 'Patient',
      id: 'p2',
      name: [
        { use: 'nickname', given: ['Hughie'] },
        { use: 'usual', given: ['H.'], family: s.family('Chau') },
        { use: 'official', given: ['Hugh', 'Wei'], family: s.family('van Chau') },
      ],
    }),
    expected: { displayName: 'Hugh Wei van Chau' },
  },
  {
    story: 'without an official name the usual one wins over the first',
    build: (s) => ({
      resourceType: 'Patient',
      id: 'p3',
      name: [
        { use: 'old', given: ['Maiden'], family: s.family('Name') },
        { use: 'usual', given: ['Anna'], family: s.family('Berg') },
      ],
    }),
    expected: { displayName: 'Anna Berg' },
  },
  {
    story: 'a name with only text shows the text',
    build: () => ({ resourceType: 'Patient', id: 'p4', name: [{ text: '  Hugh   Chau ' }] }),
    expected: { displayName: 'Hugh Chau' },
  },
  {
    story: 'partial birth dates are kept as given',
    build: () => ({ resourceType: 'Patient', id: 'p5', birthDate: '1951-08' }),
    expected: { birthDate: '1951-08', displayName: '', mrn: null, gender: null, generalPractitioner: null },
  },
  {
    story: 'a year-only birth date and no name at all',
    build: () => ({ resourceType: 'Patient', id: 'p6', birthDate: '1951', name: [] }),
    expected: { birthDate: '1951', displayName: '' },
  },
  {
    story: 'wrongly typed fields are tolerated',
    build: () => ({
      resourceType: 'Patient',
      id: 'p7',
      name: { given: 'Hugh', family: 42, prefix: [null, 'Mr.'] },
      identifier: { type: 'MR', value: 7 },
      birthDate: 19510814,
      gender: { code: 'male' },
      careProvider: 'Dr. Nobody',
      generalPractitioner: 'Dr. Nobody',
    }),
    expected: { id: 'p7', displayName: 'Mr. Hugh', mrn: null, birthDate: null, gender: null, generalPractitioner: null },
  },
  {
    story: "the MR type from the other release's code system also counts",
    build: (s) => ({
      resourceType: 'Patient',
      id: 'p8',
      identifier: [
        mrn(s, 'MRN-OTHER', s.mrnSystem.includes('terminology') ? 'http://hl7.org/fhir/v2/0203' : 'http://terminology.hl7.org/CodeSystem/v2-0203'),
      ],
    }),
    expected: { mrn: 'MRN-OTHER' },
  },
  {
    story: "an identifier of the owner's configured system counts as MRN and wins",
    build: (s) => ({
      resourceType: 'Patient',
      id: 'p9',
      identifier: [mrn(s, 'TYPED'), { system: 'urn:hospital:mrn', value: 'CONFIGURED' }],
    }),
    mrnSystem: 'urn:hospital:mrn',
    expected: { mrn: 'CONFIGURED' },
  },
  {
    story: 'an identifier typed with another code or system is not an MRN',
    build: () => ({
      resourceType: 'Patient',
      id: 'p10',
      identifier: [
        { type: { coding: [{ system: 'http://example.org/types', code: 'MR' }] }, value: 'X' },
        { type: { coding: [{ system: 'http://hl7.org/fhir/v2/0203', code: 'SS' }] }, value: 'Y' },
      ],
    }),
    expected: { mrn: null },
  },
  {
    story: 'suffixes are kept after the family name, and the sort name is family, then given (HumanName.suffix)',
    build: (s) => ({
      resourceType: 'Patient',
      id: 's1',
      name: [{ prefix: ['Mr.'], given: ['John', 'Paul'], family: s.family('Smith'), suffix: ['Jr.'] }],
    }),
    expected: { displayName: 'Mr. John Paul Smith Jr.', sortName: 'Smith, John Paul' },
  },
  {
    story: 'a name whose period has ended is history: the current one is shown (HumanName.period)',
    build: (s) => ({
      resourceType: 'Patient',
      id: 's2',
      name: [
        { use: 'official', given: ['Anna'], family: s.family('Bogisich'), period: { end: '1950-01-01' } },
        { use: 'official', given: ['Anna'], family: s.family('Bergstrom'), period: { start: '1950-01-01' } },
      ],
    }),
    expected: { displayName: 'Anna Bergstrom', sortName: 'Bergstrom, Anna' },
  },
  {
    story: 'a name whose period has not begun is not the name yet: the one in use now is shown',
    build: (s) => ({
      resourceType: 'Patient',
      id: 's2b',
      name: [
        { use: 'official', given: ['Anna'], family: s.family('Kowalska'), period: { start: '2999-06-01' } },
        { use: 'usual', given: ['Anna'], family: s.family('Nowak') },
      ],
    }),
    expected: { displayName: 'Anna Nowak', sortName: 'Nowak, Anna' },
  },
  {
    story: 'maiden, nickname and old names give way to a name without a use (name-use value set)',
    build: (s) => ({
      resourceType: 'Patient',
      id: 's3',
      name: [
        { use: 'maiden', given: ['Lyndia'], family: s.family('Bogisich') },
        { use: 'nickname', given: ['Lyn'] },
        { given: ['Lyndia'], family: s.family('Bergstrom') },
      ],
    }),
    expected: { displayName: 'Lyndia Bergstrom' },
  },
  {
    story: 'an ended or old name is still better than no name at all',
    build: (s) => ({ resourceType: 'Patient', id: 's4', name: [{ use: 'old', given: ['Ann'], family: s.family('Old'), period: { end: '2001' } }] }),
    expected: { displayName: 'Ann Old' },
  },
  {
    story: 'a name of only a prefix is no name: the patient is unnamed, with an empty sort name',
    build: () => ({ resourceType: 'Patient', id: 's5', name: [{ prefix: ['Mr.'] }] }),
    expected: { displayName: '', sortName: '' },
  },
  {
    story: 'deceasedDateTime gives the date of death (Patient.deceased[x])',
    build: () => ({ resourceType: 'Patient', id: 'd1', birthDate: '1924-06-16', deceasedDateTime: '1979-07-11T21:51:36+00:00' }),
    expected: { deceased: { date: '1979-07-11T21:51:36+00:00' } },
  },
  {
    story: 'deceasedBoolean true is a death without a date',
    build: () => ({ resourceType: 'Patient', id: 'd2', deceasedBoolean: true }),
    expected: { deceased: { date: null } },
  },
  {
    story: 'deceasedBoolean false, an absent deceased[x] or a wrongly typed one is alive',
    build: () => ({ resourceType: 'Patient', id: 'd3', deceasedBoolean: 'true' }),
    expected: { deceased: null },
  },
  {
    story: 'multipleBirthInteger is the birth order of a multiple birth (Patient.multipleBirth[x])',
    build: () => ({ resourceType: 'Patient', id: 'm1', birthDate: '2026-11-30', multipleBirthInteger: 2 }),
    expected: { multipleBirth: 2 },
  },
  {
    story: 'multipleBirthBoolean true is a multiple birth without its order',
    build: () => ({ resourceType: 'Patient', id: 'm2', multipleBirthBoolean: true }),
    expected: { multipleBirth: true },
  },
  {
    story: 'multipleBirthBoolean false, order 0 or a wrongly typed order says nothing of a multiple birth',
    build: () => ({ resourceType: 'Patient', id: 'm3', multipleBirthInteger: '2', multipleBirthBoolean: false }),
    expected: { multipleBirth: null },
  },
  {
    story: 'a record replaced by another (Patient.link, a modifier) says so, with the record to use',
    build: (s) => ({
      resourceType: 'Patient',
      id: 'merged-1',
      active: false,
      name: [{ given: ['Ann'], family: s.family('Old') }],
      link: [
        { other: { reference: 'Patient/seen-2' }, type: 'seealso' },
        { other: { reference: 'Patient/kept-1', display: 'Ann Kept' }, type: s.replacedBy },
      ],
    }),
    expected: { displayName: 'Ann Old', recordNotice: { kind: 'replaced', replacedById: 'kept-1', replacedByName: 'Ann Kept' } },
  },
  {
    story: 'a replacing record on another server is named, never offered to open',
    build: (s) => ({
      resourceType: 'Patient',
      id: 'merged-2',
      link: [{ other: { reference: 'https://other.example.org/fhir/Patient/kept-2' }, type: s.replacedBy }],
    }),
    expected: { recordNotice: { kind: 'replaced', replacedById: null, replacedByName: null } },
  },
  {
    story:
      'a replacing record named by a version of it, or by its URL on this EHR, is offered to open (references.html: relative or absolute, versioned)',
    build: (s) => ({
      resourceType: 'Patient',
      id: 'merged-3',
      link: [{ other: { reference: 'Patient/kept-3/_history/3' }, type: s.replacedBy }],
    }),
    expected: { recordNotice: { kind: 'replaced', replacedById: 'kept-3', replacedByName: null } },
  },
  {
    story: 'a replacing record named by its absolute URL on this EHR is offered to open',
    build: (s) => ({
      resourceType: 'Patient',
      id: 'merged-4',
      link: [{ other: { reference: `${EHR_BASE}Patient/kept-4` }, type: s.replacedBy }],
    }),
    expected: { recordNotice: { kind: 'replaced', replacedById: 'kept-4', replacedByName: null } },
  },
  {
    story: 'a record merged into this one, or the same patient seen elsewhere, leaves this record in use and the main one',
    build: () => ({
      resourceType: 'Patient',
      id: 'survivor',
      active: true,
      link: [
        { other: { reference: 'Patient/merged-1' }, type: 'replaces' },
        { other: { reference: 'Patient/other' }, type: 'seealso' },
      ],
    }),
    expected: { recordNotice: null },
  },
  {
    story: 'a record that refers to another (link type refer: in use, not the main source) says so, with the record to consult',
    build: () => ({
      resourceType: 'Patient',
      id: 'secondary',
      link: [
        { other: { reference: 'Patient/merged-1' }, type: 'replaces' },
        { other: { reference: 'Patient/main-1', display: 'Ann Main' }, type: 'refer' },
      ],
    }),
    expected: { recordNotice: { kind: 'refer', replacedById: 'main-1', replacedByName: 'Ann Main' } },
  },
  {
    story: 'an inactive record that refers to another reads inactive (not in use is the stronger notice)',
    build: () => ({ resourceType: 'Patient', id: 'secondary-2', active: false, link: [{ other: { reference: 'Patient/main-2' }, type: 'refer' }] }),
    expected: { recordNotice: { kind: 'inactive', replacedById: null, replacedByName: null } },
  },
  {
    story: 'a main record on another server is named only by its display, never offered to open',
    build: () => ({
      resourceType: 'Patient',
      id: 'secondary-3',
      link: [{ other: { reference: 'https://other.example.org/fhir/Patient/main-3', display: 'Ann Main' }, type: 'refer' }],
    }),
    expected: { recordNotice: { kind: 'refer', replacedById: null, replacedByName: 'Ann Main' } },
  },
  {
    story: 'active false is an inactive record; active absent, true or not a boolean is in use (Patient.active)',
    build: () => ({ resourceType: 'Patient', id: 'gone', active: false }),
    expected: { recordNotice: { kind: 'inactive', replacedById: null, replacedByName: null } },
  },
  {
    story: 'a record the EHR qualifies with a modifier extension the app cannot read says so (FHIR extensibility: modifierExtension)',
    build: () => ({
      resourceType: 'Patient',
      id: 'qualified-1',
      modifierExtension: [{ url: 'http://example.org/fhir/StructureDefinition/test-patient', valueBoolean: true }],
      name: [{ given: ['Test'], family: 'Patient' }],
    }),
    expected: { displayName: 'Test Patient', recordNotice: { kind: 'qualified', replacedById: null, replacedByName: null } },
  },
  {
    story: 'a record made under implicit rules (Resource.implicitRules, a modifier) says so too, before being inactive',
    build: () => ({ resourceType: 'Patient', id: 'qualified-2', implicitRules: 'http://example.org/local-rules', active: false }),
    expected: { recordNotice: { kind: 'qualified', replacedById: null, replacedByName: null } },
  },
  {
    story: 'a modifier extension on a link (an element the app reads) qualifies the record',
    build: () => ({
      resourceType: 'Patient',
      id: 'qualified-3',
      link: [{ modifierExtension: [{ url: 'http://example.org/x', valueCode: 'unsure' }], other: { reference: 'Patient/seen' }, type: 'seealso' }],
    }),
    expected: { recordNotice: { kind: 'qualified', replacedById: null, replacedByName: null } },
  },
  {
    story: 'a replaced record with a modifier extension reads replaced (the stronger notice)',
    build: (s) => ({
      resourceType: 'Patient',
      id: 'qualified-4',
      modifierExtension: [{ url: 'http://example.org/x', valueBoolean: true }],
      link: [{ other: { reference: 'Patient/kept' }, type: s.replacedBy }],
    }),
    expected: { recordNotice: { kind: 'replaced', replacedById: 'kept', replacedByName: null } },
  },
  {
    story: 'plain extensions, an empty modifierExtension and an empty implicitRules leave the record in use',
    build: () => ({
      resourceType: 'Patient',
      id: 'plain',
      extension: [{ url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race', valueString: 'x' }],
      modifierExtension: [],
      implicitRules: '',
    }),
    expected: { recordNotice: null },
  },
  ...[undefined, true].map((active) => ({
    story: `active ${JSON.stringify(active)} is a record in use`,
    build: () => ({ resourceType: 'Patient', id: 'kept', active }),
    expected: { recordNotice: null },
  })),
  // A modifier sent as no JSON boolean says something the app cannot read (modifiers.ts malformedModifier).
  ...['false', 0].map((active) => ({
    story: `active ${JSON.stringify(active)} is a record to check in the EHR`,
    build: () => ({ resourceType: 'Patient', id: 'kept', active }),
    expected: { recordNotice: { kind: 'qualified' as const, replacedById: null, replacedByName: null } },
  })),
  {
    story: 'an MRN no longer in use (Identifier.use old, or its period ended) gives way to the current one',
    build: (s) => ({
      resourceType: 'Patient',
      id: 'renumbered',
      identifier: [
        { ...mrn(s, 'MRN-OLD'), use: 'old' },
        { ...mrn(s, 'MRN-ENDED'), period: { end: '2020-01-31' } },
        { ...mrn(s, 'MRN-NOW'), use: 'official', period: { start: '2020-02-01' } },
      ],
    }),
    expected: { mrn: 'MRN-NOW' },
  },
  {
    story: 'an old MRN is still shown when it is the only one',
    build: (s) => ({ resourceType: 'Patient', id: 'only-old', identifier: [{ ...mrn(s, 'MRN-OLD'), use: 'old' }] }),
    expected: { mrn: 'MRN-OLD' },
  },
  { story: 'a resource that is not a Patient gives nothing', build: () => ({ resourceType: 'OperationOutcome', id: 'x' }), expected: null },
  { story: 'a Patient without a valid id gives nothing', build: () => ({ resourceType: 'Patient', id: '../x' }), expected: null },
  { story: 'not even an object gives nothing', build: () => 'Patient', expected: null },
];

describe.each(['DSTU2', 'STU3', 'R4'] as const)('the %s adapter', (release) => {
  const adapter = adapterFor(release);

  it.each(cases)('$story', ({ build, expected, mrnSystem }) => {
    const summary = adapter.toPatientSummary(build(shapes[release]), { mrnSystem, base: new URL(EHR_BASE) });
    if (expected === null) expect(summary).toBeNull();
    else expect(summary).toMatchObject(expected);
  });
});

describe('version differences as data', () => {
  it.each([
    [
      'DSTU2',
      [
        ['_sort', 'family'],
        ['_sort:desc', 'date'],
      ],
      'application/json+fhir',
    ],
    ['STU3', [['_sort', 'family,-date']], 'application/fhir+json'],
    ['R4', [['_sort', 'family,-date']], 'application/fhir+json'],
    ['R4B', [['_sort', 'family,-date']], 'application/fhir+json'],
  ] as const)('%s sorts with %j', (release, sort, mime) => {
    const adapter = adapters[release];
    expect(adapter.sortParams([{ param: 'family' }, { param: 'date', descending: true }])).toEqual(sort);
    expect(adapter.mimeType).toBe(mime);
  });

  it('reads DSTU2 careProvider and not generalPractitioner, and the other way round later', () => {
    const resource = {
      resourceType: 'Patient',
      id: 'gp',
      careProvider: [{ display: 'Old style' }],
      generalPractitioner: [{ display: 'New style' }],
    };
    expect(adapters.DSTU2.toPatientSummary(resource)?.generalPractitioner).toBe('Old style');
    expect(adapters.R4.toPatientSummary(resource)?.generalPractitioner).toBe('New style');
  });
});
