import { describe, expect, it } from 'vitest';
import { medicationGroup, medicationGroups } from '../../../contract/medication-groups.js';
import { readMedications } from '../../../server/ehr/clinical/medications.js';
import { readAllergies, readConditions, readNoKnownAllergyList, withAllergyListStatement } from '../../../server/ehr/clinical/records.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import { cellText } from '../../../server/features/lists/cell-text.js';
import { cellText as tabCellText } from '../../../client/shared/cells.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';

/**
 * What a list cell says of problems, allergies and drugs, per FHIR release: statuses as each
 * release's value sets have them (condition-clinical, condition-ver-status, allergy-intolerance-status,
 * allergyintolerance-clinical/-verification, medication-order-status, medicationrequest-status,
 * medication-statement-status).
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
const releases: Release[] = ['DSTU2', 'STU3', 'R4'];
const SCT = 'http://snomed.info/sct';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** A status as the release writes it: a code until STU3, a CodeableConcept in R4. */
const status = (release: Release, code: string, system: string) => (release === 'R4' ? { coding: [{ system, code }] } : code);

function condition(release: Release, display: string, clinical: string | null, extra: Record<string, unknown> = {}) {
  return {
    resourceType: 'Condition',
    code: { coding: [{ system: SCT, code: display.length.toString(), display }] },
    ...(clinical ? { clinicalStatus: status(release, clinical, 'http://terminology.hl7.org/CodeSystem/condition-clinical') } : {}),
    ...extra,
  };
}

function allergy(release: Release, substance: { code?: string; text?: string }, clinical: string, verification?: string) {
  const concept = {
    ...(substance.code ? { coding: [{ system: SCT, code: substance.code }] } : {}),
    ...(substance.text ? { text: substance.text } : {}),
  };
  return {
    resourceType: 'AllergyIntolerance',
    [release === 'DSTU2' ? 'substance' : 'code']: concept,
    ...(release === 'DSTU2'
      ? { status: verification ?? clinical }
      : {
          clinicalStatus: status(release, clinical, 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical'),
          ...(verification
            ? { verificationStatus: status(release, verification, 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification') }
            : {}),
        }),
  };
}

function order(release: Release, name: string, code: string, orderStatus: string, written: string) {
  return {
    resourceType: release === 'DSTU2' ? 'MedicationOrder' : 'MedicationRequest',
    status: orderStatus,
    medicationCodeableConcept: { coding: [{ system: RXNORM, code, display: name }] },
    [release === 'DSTU2' ? 'dateWritten' : 'authoredOn']: written,
  };
}

const row = (cells: Record<string, unknown>) => ({ cells, available: true }) as unknown as ListRow;

function cells(clinical: Partial<PatientClinical>) {
  const full = { careProvider: { status: 'none' }, warnings: [], ...clinical } as PatientClinical;
  return cellsFor(['conditions', 'allergies', 'medications'], full, undefined);
}

describe.each(releases)('conditions through %s', (release) => {
  it('keeps a relapse or recurrence current whatever abatement the record keeps, and an abatement still to come has not happened', () => {
    const views = readConditions(
      [
        condition(release, 'Acute myeloid leukaemia', 'relapse', { onsetDateTime: '2021-02-01', abatementDateTime: '2022-06-01' }),
        condition(release, 'Migraine', 'recurrence', { onsetDateTime: '2020-01-01', abatementString: 'in 2021' }),
        condition(release, 'Post-operative ileus', 'active', { onsetDateTime: '2026-12-01', abatementDateTime: '2027-01-15' }),
        condition(release, 'Fracture', 'active', { onsetDateTime: '2026-01-01', abatementDateTime: '2026-03-01' }),
      ],
      undefined,
      Date.parse('2026-12-06T12:00:00Z'),
    );
    expect(views.map((v) => [v.display, v.current, v.abated ?? null])).toEqual([
      ['Post-operative ileus', true, null],
      ['Fracture', false, { text: '2026-03-01', epochMs: expect.any(Number) }],
      ['Acute myeloid leukaemia', true, { text: '2022-06-01', epochMs: expect.any(Number) }],
      ['Migraine', true, true],
    ]);
  });

  // DSTU2 has no `inactive` or `recurrence`; STU3 no `relapse` (condition-clinical of each release).
  const statuses = {
    DSTU2: ['active', 'relapse', 'remission', 'resolved'],
    STU3: ['active', 'recurrence', 'inactive', 'remission', 'resolved'],
    R4: ['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved'],
  }[release];

  it('shows active, recurrence and relapse in the cell, newest onset first, each once; resolved, inactive and remission only in the details', () => {
    const resources = [
      ...statuses.map((s, i) => condition(release, `Problem ${s}`, s, { onsetDateTime: `20${10 + i}-01-01` })),
      condition(release, 'Problem active', 'active', { onsetDateTime: '2001-01-01' }),
      // No onset: the recorded date places it.
      condition(release, 'Recorded only', 'active', {
        [release === 'DSTU2' ? 'dateRecorded' : release === 'STU3' ? 'assertedDate' : 'recordedDate']: '2030-01-01',
      }),
    ];
    const views = readConditions(resources);
    expect(views.map((v) => v.display)).toEqual(['Recorded only', ...[...statuses].reverse().map((s) => `Problem ${s}`), 'Problem active']);
    const current = statuses.filter((s) => ['active', 'recurrence', 'relapse'].includes(s));
    const cell = cells({ conditions: { status: 'ok', value: views } }).conditions;
    expect(cell).toEqual({
      status: 'ok',
      value: [
        { display: 'Recorded only', clinicalStatus: 'active' },
        ...[...current].reverse().map((s) => ({ display: `Problem ${s}`, clinicalStatus: s })),
      ],
    });
  });

  it('shows refuted and entered-in-error nowhere, and counts them', () => {
    const ver = (code: string) => ({ verificationStatus: status(release, code, 'http://terminology.hl7.org/CodeSystem/condition-ver-status') });
    const warnings = new Warnings();
    const views = readConditions(
      [
        condition(release, 'Refuted', 'active', ver('refuted')),
        condition(release, 'Error', 'active', ver('entered-in-error')),
        condition(release, 'Real', 'active', ver('confirmed')),
      ],
      warnings,
    );
    expect(views.map((v) => v.display)).toEqual(['Real']);
    expect(warnings.list()).toEqual([{ code: 'condition_not_valid', count: 2 }]);
  });

  it('keeps a diagnosis the EHR has not confirmed in the cell and says so beside it (condition-ver-status)', () => {
    const ver = (code: string) => ({ verificationStatus: status(release, code, 'http://terminology.hl7.org/CodeSystem/condition-ver-status') });
    // R4 adds `unconfirmed`, the parent of provisional and differential; STU3 and DSTU2 have `unknown`.
    const unconfirmed = release === 'R4' ? ['provisional', 'differential', 'unconfirmed'] : ['provisional', 'differential'];
    // The helper codes a condition by the length of its words: each of these its own.
    const words: Record<string, string> = { provisional: 'Pneumonia', differential: 'Pulmonary embolism', unconfirmed: 'Sepsis' };
    const views = readConditions([
      ...unconfirmed.map((code, i) => condition(release, words[code], 'active', { ...ver(code), onsetDateTime: `202${i}-01-01` })),
      condition(release, 'Known', 'active', { ...ver('confirmed'), onsetDateTime: '2010-01-01' }),
      ...(release === 'R4' ? [] : [condition(release, 'Unknown', 'active', { ...ver('unknown'), onsetDateTime: '2009-01-01' })]),
    ]);
    const cell = cells({ conditions: { status: 'ok', value: views } }).conditions;
    expect(cell).toEqual({
      status: 'ok',
      value: [
        ...[...unconfirmed].reverse().map((code) => ({ display: words[code], clinicalStatus: 'active', verification: code })),
        { display: 'Known', clinicalStatus: 'active' },
        // `unknown` (DSTU2, STU3) states no verification (R4 leaves the element out instead): unmarked.
        ...(release === 'R4' ? [] : [{ display: 'Unknown', clinicalStatus: 'active' }]),
      ],
    });
    expect(cellText('conditions', row({ conditions: cell }))).toBe(
      [...[...unconfirmed].reverse().map((code) => `${words[code]} (${code})`), 'Known', ...(release === 'R4' ? [] : ['Unknown'])].join('; '),
    );
  });

  it('reads a condition without a clinical status as current unless it has abated', () => {
    const views = readConditions([condition(release, 'Open', null), condition(release, 'Abated', null, { abatementDateTime: '2020-01-01' })]);
    expect(views.map((v) => [v.display, v.current])).toEqual([
      ['Open', true],
      ['Abated', false],
    ]);
  });

  it('reads an "active" condition that states an abatement as history (con-4)', () => {
    const abated = release === 'DSTU2' ? { abatementBoolean: true } : { abatementPeriod: { start: '2019-01-01', end: '2019-02-01' } };
    const views = readConditions([
      condition(release, 'Pharyngitis', 'active', { onsetDateTime: '2019-01-01', abatementDateTime: '2019-01-14' }),
      condition(release, 'Sprain', 'active', abated),
    ]);
    expect(views.map((v) => v.current)).toEqual([false, false]);
    expect(cells({ conditions: { status: 'ok', value: views } }).conditions).toEqual({ status: 'none' });
  });

  it('is "none recorded" in the cell when every problem is history', () => {
    const views = readConditions([condition(release, 'Old', 'resolved')]);
    expect(cells({ conditions: { status: 'ok', value: views } }).conditions).toEqual({ status: 'none' });
  });
});

describe.each(['STU3', 'R4'] as const)('an encounter diagnosis through %s', (release) => {
  const category = (code: string) => [
    {
      coding: [
        { system: release === 'R4' ? 'http://terminology.hl7.org/CodeSystem/condition-category' : 'http://hl7.org/fhir/condition-category', code },
      ],
    },
  ];
  it('without a clinical status is what a visit found, not a current problem (con-3 asks a status of problem-list items only)', () => {
    const conditions = readConditions([
      condition(release, 'Sprain of ankle', null, { category: category('encounter-diagnosis'), recordedDate: '2012-04-01' }),
      condition(release, 'Hypertension', null, { category: category('problem-list-item') }),
      condition(release, 'Pneumonia', 'active', { category: category('encounter-diagnosis') }),
    ]);
    const cell = cells({ conditions: { status: 'ok', value: conditions } }).conditions;
    expect(cellText('conditions', row({ conditions: cell }))).toBe('Hypertension; Pneumonia');
    expect(conditions.find((c) => c.display === 'Sprain of ankle')).toMatchObject({ current: false });
  });
});

describe('allergy criticality', () => {
  it("reads DSTU2's CRITL, CRITH and CRITU as STU3 and R4 name them (low, high, unable-to-assess)", () => {
    const views = readAllergies(
      ['CRITL', 'CRITH', 'CRITU', 'high'].map((criticality, i) => ({ ...allergy('DSTU2', { text: `Substance ${i}` }, 'active'), criticality })),
    );
    expect(views.map((a) => a.criticality)).toEqual(['low', 'high', 'unable-to-assess', 'high']);
  });
});

describe.each(releases)('the same problem or allergy recorded twice, through %s', (release) => {
  const verified = (code: string) => status(release, code, 'http://terminology.hl7.org/CodeSystem/condition-ver-status');
  it('a confirmed record is not hidden by a newer one the EHR has not confirmed', () => {
    const resources = [
      condition(release, 'Pulmonary embolism', 'active', { onsetDateTime: '2026-05-01', verificationStatus: verified('provisional') }),
      condition(release, 'Pulmonary embolism', 'active', { onsetDateTime: '2026-01-01', verificationStatus: verified('confirmed') }),
      condition(release, 'Asthma', 'active', { onsetDateTime: '2025-01-01', verificationStatus: verified('differential') }),
    ];
    const cell = cells({ conditions: { status: 'ok', value: readConditions(resources) } }).conditions;
    expect(cellText('conditions', row({ conditions: cell }))).toBe('Pulmonary embolism; Asthma (differential)');
    const allergies = [
      allergy(release, { code: '91936005', text: 'Penicillin' }, 'active', 'unconfirmed'),
      allergy(release, { code: '91936005', text: 'Penicillin' }, 'active', 'confirmed'),
    ];
    const allergyCell = cells({ allergies: { status: 'ok', value: readAllergies(allergies) } }).allergies;
    expect(cellText('allergies', row({ allergies: allergyCell }))).toBe('Penicillin');
  });

  it('a substance named once keeps the high criticality any of its current records states, however old', () => {
    const critical = { DSTU2: 'CRITH', STU3: 'high', R4: 'high' }[release];
    const low = { DSTU2: 'CRITL', STU3: 'low', R4: 'low' }[release];
    const written = release === 'DSTU2' ? 'recordedDate' : release === 'STU3' ? 'assertedDate' : 'recordedDate';
    const allergies = [
      { ...allergy(release, { text: 'Peanut' }, 'active', 'confirmed'), criticality: low, [written]: '2026-11-20' },
      { ...allergy(release, { text: 'Peanut' }, 'active', 'confirmed'), criticality: critical, [written]: '2019-03-01' },
      { ...allergy(release, { text: 'Latex' }, 'active', 'confirmed'), criticality: low, [written]: '2026-11-21' },
      // A resolved record's criticality is history: it lifts nothing.
      {
        ...allergy(release, { text: 'Latex' }, 'resolved', release === 'DSTU2' ? undefined : 'confirmed'),
        criticality: critical,
      },
    ];
    const allergyCell = cells({ allergies: { status: 'ok', value: readAllergies(allergies) } }).allergies;
    expect(cellText('allergies', row({ allergies: allergyCell }))).toBe('Peanut (high criticality); Latex');
  });

  it('marks an intolerance and a severe reaction without criticality, and shows a severe one before the rest', () => {
    // AllergyIntolerance.type and reaction.severity are in DSTU2, STU3 and R4 alike.
    const written = release === 'STU3' ? 'assertedDate' : 'recordedDate';
    const severe = { reaction: [{ manifestation: [{ text: 'Anaphylaxis' }], severity: 'severe' }] };
    const allergies = [
      { ...allergy(release, { text: 'Codeine' }, 'active', 'confirmed'), type: 'intolerance', [written]: '2026-11-22' },
      { ...allergy(release, { text: 'Latex' }, 'active', 'confirmed'), [written]: '2026-11-21' },
      { ...allergy(release, { text: 'Peanut' }, 'active', 'confirmed'), ...severe, [written]: '2001-01-01' },
      // One record of a substance that is an allergy outweighs another that says intolerance.
      { ...allergy(release, { text: 'Aspirin' }, 'active', 'confirmed'), type: 'intolerance', [written]: '2026-11-20' },
      { ...allergy(release, { text: 'Aspirin' }, 'active', 'confirmed'), type: 'allergy', [written]: '2010-01-01' },
    ];
    const views = readAllergies(allergies);
    expect(views.find((a) => a.substance === 'Codeine')).toMatchObject({ intolerance: true });
    expect(views.find((a) => a.substance === 'Peanut')).toMatchObject({ severeReaction: true, criticality: null });
    const allergyCell = cells({ allergies: { status: 'ok', value: views } }).allergies;
    const expected = 'Peanut (severe reaction); Codeine (intolerance); Latex; Aspirin';
    expect(cellText('allergies', row({ allergies: allergyCell }))).toBe(expected);
    expect(tabCellText('allergies', allergyCell).full ?? tabCellText('allergies', allergyCell).text).toBe(expected.replaceAll('; ', ', '));
  });
});

// R4 binds clinicalStatus and verificationStatus to FHIR's code systems; a concept may carry a local coding first.
describe('R4 statuses beside a local coding', () => {
  const local = { system: 'urn:oid:1.2.3.4', code: '1', display: 'Local' };
  const fhir = (system: string, code: string) => ({ coding: [local, { system: `http://terminology.hl7.org/CodeSystem/${system}`, code }] });
  it('reads the coding in the FHIR code system, whatever its place', () => {
    const conditions = readConditions([
      { ...condition('R4', 'Diabetes', null), clinicalStatus: fhir('condition-clinical', 'active') },
      {
        ...condition('R4', 'Cancer', null),
        clinicalStatus: fhir('condition-clinical', 'active'),
        verificationStatus: fhir('condition-ver-status', 'entered-in-error'),
      },
      { ...condition('R4', 'Old fracture', null), clinicalStatus: fhir('condition-clinical', 'resolved') },
    ]);
    expect(conditions.map((c) => [c.display, c.current])).toEqual([
      ['Diabetes', true],
      ['Old fracture', false],
    ]);
    const allergies = readAllergies([
      { ...allergy('R4', { text: 'Sulfa' }, 'active'), verificationStatus: fhir('allergyintolerance-verification', 'refuted') },
      { ...allergy('R4', { text: 'Latex' }, 'active'), clinicalStatus: fhir('allergyintolerance-clinical', 'inactive') },
    ]);
    expect(allergies.map((a) => [a.substance, a.current])).toEqual([['Latex', false]]);
  });

  it('reads a status written in words only (a CodeableConcept with text and no code) as the code it names', () => {
    const words = (text: string) => ({ text });
    const conditions = readConditions([
      { ...condition('R4', 'Old fracture', null), clinicalStatus: words('Resolved') },
      { ...condition('R4', 'Cancer', null), clinicalStatus: words('Active'), verificationStatus: words('Entered in error') },
      { ...condition('R4', 'Asthma', null), clinicalStatus: words(' active '), verificationStatus: words('Provisional') },
      // Words that are no status code say nothing: the record is read as one without a status.
      { ...condition('R4', 'Diabetes', null), clinicalStatus: words('Ongoing, see notes') },
    ]);
    expect(conditions.map((c) => [c.display, c.current, c.clinicalStatus, c.verificationStatus])).toEqual([
      ['Old fracture', false, 'resolved', null],
      ['Asthma', true, 'active', 'provisional'],
      ['Diabetes', true, null, null],
    ]);
    const allergies = readAllergies([
      { ...allergy('R4', { text: 'Sulfa' }, 'active'), verificationStatus: words('Refuted') },
      { ...allergy('R4', { text: 'Latex' }, 'active'), clinicalStatus: words('Inactive') },
      { ...allergy('R4', { text: 'Codeine' }, 'active'), type: words('Intolerance') },
    ]);
    expect(allergies.map((a) => [a.substance, a.current, a.intolerance ?? false])).toEqual([
      ['Latex', false, false],
      ['Codeine', true, true],
    ]);
  });
});

describe.each(releases)('allergies through %s', (release) => {
  it('shows active allergies in the cell; inactive and resolved in the details only; refuted and entered-in-error nowhere', () => {
    const warnings = new Warnings();
    const views = readAllergies(
      [
        allergy(release, { text: 'Peanut' }, 'active', release === 'DSTU2' ? undefined : 'confirmed'),
        allergy(release, { text: 'Wheat' }, 'inactive'),
        allergy(release, { text: 'Dust' }, 'resolved'),
        allergy(release, { text: 'Cat' }, 'active', 'refuted'),
        allergy(release, { text: 'Dog' }, 'active', 'entered-in-error'),
      ],
      warnings,
    );
    expect(views.map((v) => [v.substance, v.current])).toEqual([
      ['Peanut', true],
      ['Wheat', false],
      ['Dust', false],
    ]);
    expect(warnings.list()).toEqual([{ code: 'allergy_not_valid', count: 2 }]);
    const cell = cells({ allergies: { status: 'ok', value: views } }).allergies;
    expect(cell).toEqual({ status: 'ok', value: [{ substance: 'Peanut', criticality: null }] });
    expect(cellText('allergies', row({ allergies: cell }))).toBe('Peanut');
  });

  it('keeps an allergy the EHR has not confirmed in the cell and says so beside it (DSTU2 status, later verificationStatus unconfirmed)', () => {
    const views = readAllergies([
      allergy(release, { text: 'Latex' }, 'active', 'unconfirmed'),
      allergy(release, { text: 'Peanut' }, 'active', 'confirmed'),
    ]);
    expect(views.map((v) => v.current)).toEqual([true, true]);
    const cell = cells({ allergies: { status: 'ok', value: views } }).allergies;
    expect(cell).toEqual({
      status: 'ok',
      value: [
        { substance: 'Latex', criticality: null, verification: 'unconfirmed' },
        { substance: 'Peanut', criticality: null },
      ],
    });
    expect(cellText('allergies', row({ allergies: cell }))).toBe('Latex (unconfirmed); Peanut');
  });

  it.each([
    ['716186003', 'No known allergy'],
    ['160244002', 'No known allergies'],
  ])('reads SNOMED CT %s (%s) as "No known allergies", neither an allergy nor "none recorded"', (code, text) => {
    const views = readAllergies([allergy(release, { code, text }, 'active')]);
    expect(views[0]).toMatchObject({ noneKnown: true, current: true });
    const cell = cells({ allergies: { status: 'ok', value: views } }).allergies;
    expect(cell).toEqual({ status: 'ok', value: [{ substance: null, criticality: null, noneKnown: true }] });
    expect(cellText('allergies', row({ allergies: cell }))).toBe('No known allergies');
  });

  // A patient with no known drug allergy may have a food allergy: the record says what it says.
  it.each([
    ['409137002', 'No known drug allergy'],
    ['429625007', 'No known food allergy'],
    ['428607008', 'No known environmental allergy'],
    ['716184000', 'No known latex allergy'],
  ])('reads SNOMED CT %s (%s) as its own words, never as "No known allergies"', (code, text) => {
    for (const [concept, shown] of [
      [{ code, text }, text],
      [{ code }, text],
      [{ code, text: `${text} (situation)` }, `${text} (situation)`],
    ] as const) {
      const views = readAllergies([allergy(release, concept, 'active')]);
      expect(views[0]).toMatchObject({ noneKnown: false, current: true, substance: shown });
      const cell = cells({ allergies: { status: 'ok', value: views } }).allergies;
      expect(cellText('allergies', row({ allergies: cell }))).toBe(shown);
      // An allergy List stating none known does not outweigh it.
      expect(withAllergyListStatement({ status: 'ok', value: views }, readNoKnownAllergyList([nilKnownList()]))).toEqual({
        status: 'ok',
        value: views,
      });
    }
  });

  const ips = (code: string) => ({
    ...allergy(release, { text: 'x' }, 'active'),
    [release === 'DSTU2' ? 'substance' : 'code']: { coding: [{ system: 'http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips', code }] },
  });
  it('reads the International Patient Summary code no-known-allergies as "No known allergies"', () => {
    const cell = cells({ allergies: { status: 'ok', value: readAllergies([ips('no-known-allergies')]) } }).allergies;
    expect(cellText('allergies', row({ allergies: cell }))).toBe('No known allergies');
  });

  it.each([
    ['no-known-medication-allergies', 'No known medication allergies'],
    ['no-known-environmental-allergies', 'No known environmental allergies'],
    ['no-known-food-allergies', 'No known food allergies'],
  ])('reads the International Patient Summary code %s as its own words', (code, shown) => {
    const cell = cells({ allergies: { status: 'ok', value: readAllergies([ips(code)]) } }).allergies;
    expect(cellText('allergies', row({ allergies: cell }))).toBe(shown);
  });

  it('reads "no information about allergies" as neither an allergy nor "No known allergies"', () => {
    const warnings = new Warnings();
    const concept = {
      coding: [{ system: 'http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips', code: 'no-allergy-info' }],
      text: 'No information about allergies',
    };
    const resource = { ...allergy(release, { text: 'x' }, 'active'), [release === 'DSTU2' ? 'substance' : 'code']: concept };
    const views = readAllergies([resource], warnings);
    expect(views).toEqual([]);
    expect(warnings.list()).toEqual([{ code: 'allergy_no_information', count: 1 }]);
  });

  it('takes a no-known-allergy number as such only in SNOMED CT (or with no system), not in another code system', () => {
    const concept = { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '716186003' }], text: 'Some drug' };
    const resource = { ...allergy(release, { text: 'x' }, 'active'), [release === 'DSTU2' ? 'substance' : 'code']: concept };
    expect(readAllergies([resource])[0]).toMatchObject({ substance: 'Some drug', noneKnown: false });
    const bare = {
      ...allergy(release, { text: 'x' }, 'active'),
      [release === 'DSTU2' ? 'substance' : 'code']: { coding: [{ code: '716186003' }], text: 'NKA' },
    };
    expect(readAllergies([bare])[0]).toMatchObject({ noneKnown: true });
  });

  // An allergy List with emptyReason nilknown (list-empty-reason; R4 moved the system to terminology.hl7.org).
  const emptyReasonSystem = release === 'R4' ? 'http://terminology.hl7.org/CodeSystem/list-empty-reason' : 'http://hl7.org/fhir/list-empty-reason';
  const nilKnownList = (extra: Record<string, unknown> = {}) => ({
    resourceType: 'List',
    code: { coding: [{ system: 'http://loinc.org', code: '52473-6', display: 'Allergy' }] },
    subject: { reference: 'Patient/p1' },
    status: 'current',
    mode: 'snapshot',
    date: '2020-03-01',
    emptyReason: { coding: [{ system: emptyReasonSystem, code: 'nilknown' }], text: 'Nil Known' },
    ...extra,
  });

  it('reads an empty allergy List whose reason is "nil known" as "No known allergies" where no allergy is recorded', () => {
    const statement = readNoKnownAllergyList([nilKnownList()]);
    expect(statement).toMatchObject({ noneKnown: true, current: true, date: { text: '2020-03-01' } });
    const cell = cells({ allergies: withAllergyListStatement({ status: 'none' }, statement) }).allergies;
    expect(cellText('allergies', row({ allergies: cell }))).toBe('No known allergies');
    // Allergies that are history only: still no known (current) allergy.
    const history = withAllergyListStatement({ status: 'ok', value: readAllergies([allergy(release, { text: 'Wheat' }, 'resolved')]) }, statement);
    expect(cellText('allergies', row({ allergies: cells({ allergies: history }).allergies }))).toBe('No known allergies');
  });

  it.each([
    ['a code of another list (problems)', { code: { coding: [{ system: 'http://loinc.org', code: '11450-4' }] } }],
    ['an allergy code in another code system', { code: { coding: [{ system: 'http://example.org/codes', code: '52473-6' }] } }],
    ['a retired list', { status: 'retired' }],
    ['a list entered in error', { status: 'entered-in-error' }],
    ['a list with entries', { entry: [{ item: { reference: 'AllergyIntolerance/a1' } }] }],
    ['another reason for an empty list (not asked)', { emptyReason: { coding: [{ system: emptyReasonSystem, code: 'notasked' }] } }],
  ])('takes nothing from %s', (_, extra) => {
    expect(readNoKnownAllergyList([nilKnownList(extra)])).toBeNull();
  });

  it('takes "No known allergies" from the newest allergy list only: a newer list that names an allergy or is empty for another reason says it no longer holds', () => {
    const old = nilKnownList({ date: '2015-03-01' });
    const unavailable = nilKnownList({ date: '2026-12-05', emptyReason: { coding: [{ system: emptyReasonSystem, code: 'unavailable' }] } });
    const naming = nilKnownList({ date: '2026-12-05', emptyReason: undefined, entry: [{ item: { reference: 'AllergyIntolerance/a9' } }] });
    expect(readNoKnownAllergyList([old, unavailable])).toBeNull();
    expect(readNoKnownAllergyList([naming, old])).toBeNull();
    // Of the same date, each must say it; the newer of two nil-known lists gives its date.
    expect(readNoKnownAllergyList([nilKnownList({ date: '2026-12-05' }), naming])).toBeNull();
    expect(readNoKnownAllergyList([old, nilKnownList({ date: '2026-12-05' })])).toMatchObject({ noneKnown: true, date: { text: '2026-12-05' } });
    // A retired newer list says nothing: the current one stands.
    expect(readNoKnownAllergyList([old, { ...naming, status: 'retired' }])).toMatchObject({ noneKnown: true });
  });

  it('reads the List example use code "allergies", LOINC spelled with a trailing slash, and a list without its status as current', () => {
    const useCode = nilKnownList({ code: { coding: [{ system: 'http://hl7.org/fhir/list-example-use-codes', code: 'allergies' }] } });
    const slash = nilKnownList({ code: { coding: [{ system: 'http://loinc.org/', code: '48765-2' }] }, status: undefined });
    expect(readNoKnownAllergyList([useCode])).toMatchObject({ noneKnown: true });
    expect(readNoKnownAllergyList([slash])).toMatchObject({ noneKnown: true });
  });

  it('never reads a list as "No known allergies" over a current allergy, nor when the allergy records could not be read', () => {
    const statement = readNoKnownAllergyList([nilKnownList()]);
    const latex = withAllergyListStatement({ status: 'ok', value: readAllergies([allergy(release, { text: 'Latex' }, 'active')]) }, statement);
    expect(cellText('allergies', row({ allergies: cells({ allergies: latex }).allergies }))).toBe('Latex');
    expect(withAllergyListStatement({ status: 'unavailable', reason: 'failed' }, statement)).toEqual({ status: 'unavailable', reason: 'failed' });
  });

  it('lets a current allergy outweigh an earlier "no known allergy"', () => {
    const views = readAllergies([allergy(release, { code: '716186003', text: 'NKA' }, 'active'), allergy(release, { text: 'Latex' }, 'active')]);
    expect(cells({ allergies: { status: 'ok', value: views } }).allergies).toEqual({
      status: 'ok',
      value: [{ substance: 'Latex', criticality: null }],
    });
  });
});

describe.each(releases)('medications through %s', (release) => {
  // medication-order-status (DSTU2) / medicationrequest-status (STU3, R4).
  const statuses =
    release === 'DSTU2'
      ? ['active', 'on-hold', 'completed', 'stopped', 'draft', 'entered-in-error']
      : ['active', 'on-hold', 'completed', 'stopped', 'cancelled', 'draft', 'unknown', 'entered-in-error'];

  it('shows active and on-hold orders in the cell, each drug once per status and counted; details group every order by status, current first', () => {
    const resources = [
      ...statuses.map((s, i) => order(release, `Drug ${s}`, `${100 + i}`, s, `2020-01-${String(10 + i).padStart(2, '0')}`)),
      // The same drug ordered again (same code), and again under another code but the same name.
      order(release, 'Naproxen 250 MG', '7', 'active', '2021-01-01'),
      order(release, 'Naproxen 250 MG', '7', 'active', '2020-06-01'),
      order(release, 'naproxen  250 mg', '8', 'on-hold', '2020-07-01'),
    ];
    const views = readMedications(resources, new Map());
    expect(views.map((v) => v.status)).toEqual([
      'active',
      'active',
      'active',
      'on-hold',
      'on-hold',
      ...statuses.slice(2).sort((a, b) => rank(a) - rank(b)),
    ]);
    expect(views.filter((v) => v.current).map((v) => v.name)).toEqual([
      'Naproxen 250 MG',
      'Naproxen 250 MG',
      'Drug active',
      'naproxen  250 mg',
      'Drug on-hold',
    ]);
    const cell = cells({ medications: { status: 'ok', value: views } }).medications;
    expect(cell).toEqual({
      status: 'ok',
      // Two active orders of one drug are two doses: named once, counted. The held one keeps its own mark.
      value: [
        { name: 'Naproxen 250 MG', status: 'active', count: 2 },
        { name: 'Drug active', status: 'active' },
        { name: 'naproxen  250 mg', status: 'on-hold' },
        { name: 'Drug on-hold', status: 'on-hold' },
      ],
    });
    expect(cellText('medications', row({ medications: cell }))).toBe(
      'Naproxen 250 MG ×2; Drug active; naproxen  250 mg (on hold); Drug on-hold (on hold)',
    );
  });

  it('is "none recorded" in the cell when every order has ended', () => {
    const views = readMedications(
      [order(release, 'Old', '1', 'stopped', '2020-01-01'), order(release, 'Older', '2', 'completed', '2019-01-01')],
      new Map(),
    );
    expect(cells({ medications: { status: 'ok', value: views } }).medications).toEqual({ status: 'none' });
  });

  it('shows statements active, intended or on-hold unless the drug was not taken', () => {
    // medication-statement-status: DSTU2 active|completed|entered-in-error|intended; STU3 adds stopped|on-hold; R4 adds unknown|not-taken.
    const statement = (name: string, s: string, extra: Record<string, unknown> = {}) => ({
      resourceType: 'MedicationStatement',
      status: s,
      medicationCodeableConcept: { text: name },
      ...extra,
    });
    const notTaken = release === 'DSTU2' ? { wasNotTaken: true } : release === 'STU3' ? { taken: 'n' } : {};
    const resources = [
      statement('Taking', 'active'),
      statement('Will take', 'intended'),
      statement('Done', 'completed'),
      statement('Refused', release === 'R4' ? 'not-taken' : 'active', notTaken),
    ];
    const views = readMedications(resources, new Map());
    expect(views.filter((v) => v.current).map((v) => v.name)).toEqual(['Taking', 'Will take']);
    // The details head the refused drug "not taken", never "active".
    expect(views.map((v) => [v.name, medicationGroup(v)])).toEqual([
      ['Taking', 'active'],
      ['Will take', 'intended'],
      ['Done', 'completed'],
      ['Refused', 'not-taken'],
    ]);
    // A drug only intended ("may be taken at some time in the future") is not one being taken: the cell says so.
    const cell = cells({ medications: { status: 'ok', value: views } }).medications;
    expect(cellText('medications', row({ medications: cell }))).toBe('Taking; Will take (intended)');
    expect(tabCellText('medications', cell).text).toBe('Taking, Will take (intended)');
  });

  it('leaves an order not to give the drug, a proposal and an option out of the cell; the details group them apart', () => {
    // R4 MedicationRequest.doNotPerform and intent (medicationrequest-intent); STU3 has intent
    // (medication-request-intent: proposal | plan | order | instance-order); DSTU2 MedicationOrder neither.
    const resources = [
      order(release, 'Given', '1', 'active', '2021-01-01'),
      ...(release === 'DSTU2'
        ? []
        : [
            { ...order(release, 'Suggested', '2', 'active', '2021-02-01'), intent: 'proposal' },
            // Some EHRs record home medications as a plan: still shown, marked a plan (no authorization to give it).
            { ...order(release, 'Home', '3', 'active', '2021-03-01'), intent: 'plan' },
          ]),
      ...(release === 'R4'
        ? [
            { ...order(release, 'Warfarin', '4', 'active', '2021-04-01'), intent: 'order', doNotPerform: true },
            { ...order(release, 'Either', '5', 'active', '2021-05-01'), intent: 'option' },
          ]
        : []),
    ];
    const views = readMedications(resources, new Map());
    const cell = cells({ medications: { status: 'ok', value: views } }).medications;
    const shown = cell.status === 'ok' ? (cell.value as { name: string }[]).map((m) => m.name) : [];
    expect(shown).toEqual(release === 'DSTU2' ? ['Given'] : ['Given', 'Home']);
    expect(views.map((v) => [v.name, medicationGroup(v)])).toEqual(
      {
        DSTU2: [['Given', 'active']],
        STU3: [
          ['Given', 'active'],
          ['Home', 'plan'],
          ['Suggested', 'proposal'],
        ],
        R4: [
          ['Given', 'active'],
          ['Home', 'plan'],
          ['Warfarin', 'do-not-perform'],
          ['Suggested', 'proposal'],
          ['Either', 'option'],
        ],
      }[release],
    );
    if (release === 'R4') expect(views.find((v) => v.name === 'Warfarin')).toMatchObject({ status: 'active', current: false, doNotPerform: true });
  });
});

const rank = (s: string) => (medicationGroups as readonly string[]).indexOf(s);

describe.each(releases)('a problem or drug the answer gives no words for, through %s', (release) => {
  it('reads "Name not given" in the tab and the CSV, never "?"; a drug named by a reference the app could not read "Name not available"', () => {
    // Condition.code is 0..1 (STU3, R4): no words is what the record says. A drug named only by a
    // reference the app does not follow (another server's Medication, or an R4 logical reference by
    // identifier) is named, but unknown to the app: medication[x] is 1..1.
    const conditions = readConditions([condition(release, 'x', 'active', { code: undefined })]);
    const drugs = readMedications(
      [
        {
          resourceType: release === 'DSTU2' ? 'MedicationOrder' : 'MedicationRequest',
          status: 'active',
          ...(release === 'DSTU2' ? {} : { intent: 'order' }),
          medicationReference: { reference: 'https://pharmacy.example.org/fhir/Medication/123' },
        },
        {
          resourceType: release === 'DSTU2' ? 'MedicationOrder' : 'MedicationRequest',
          status: 'on-hold',
          ...(release === 'DSTU2' ? {} : { intent: 'order' }),
          medicationReference: { identifier: { system: 'urn:pharmacy', value: '42' } },
        },
      ],
      new Map(),
    );
    const shown = cells({ conditions: { status: 'ok', value: conditions }, medications: { status: 'ok', value: drugs } });
    expect(cellText('conditions', row({ conditions: shown.conditions }))).toBe('Name not given');
    expect(tabCellText('conditions', shown.conditions).text).toBe('Name not given');
    expect(cellText('medications', row({ medications: shown.medications }))).toBe('Name not available; Name not available (on hold)');
    expect(tabCellText('medications', shown.medications).text).toBe('Name not available, Name not available (on hold)');
    expect(drugs.map((d) => d.nameUnavailable)).toEqual([true, true]);
    // A reference that names nothing (no reference, no identifier) gives the drug no name.
    const [shell] = readMedications(
      [{ resourceType: release === 'DSTU2' ? 'MedicationOrder' : 'MedicationRequest', status: 'active', intent: 'order', medicationReference: {} }],
      new Map(),
    );
    expect(shell).toMatchObject({ name: null });
    expect(shell?.nameUnavailable).toBeUndefined();
  });
});

describe.each(['STU3', 'R4'] as const)('a drug for discharge or taken at home, through %s', (release) => {
  // MedicationRequest.category: STU3 medication-request-category (0..1), R4 medicationrequest-category (0..*).
  const system =
    release === 'R4' ? 'http://terminology.hl7.org/CodeSystem/medicationrequest-category' : 'http://hl7.org/fhir/medication-request-category';
  const order = (text: string, category?: string) => ({
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { text },
    ...(category ? { category: release === 'R4' ? [{ coding: [{ system, code: category }] }] : { coding: [{ system, code: category }] } } : {}),
  });

  it('says so beside the drug in the tab and the CSV, and one drug ordered for now and for discharge is two items', () => {
    const drugs = readMedications(
      [
        order('Heparin 5000 units SC', 'inpatient'),
        order('Apixaban 5 mg tablet', 'discharge'),
        order('Metformin 500 mg tablet', 'community'),
        order('Heparin 5000 units SC', 'discharge'),
      ],
      new Map(),
    );
    const cell = cells({ medications: { status: 'ok', value: drugs } }).medications;
    expect(cellText('medications', row({ medications: cell }))).toBe(
      'Heparin 5000 units SC; Apixaban 5 mg tablet (for discharge); Metformin 500 mg tablet (home); Heparin 5000 units SC (for discharge)',
    );
    expect(tabCellText('medications', cell).full ?? tabCellText('medications', cell).text).toBe(
      'Heparin 5000 units SC, Apixaban 5 mg tablet (for discharge), Metformin 500 mg tablet (home), Heparin 5000 units SC (for discharge)',
    );
  });

  it('reads a category of another code system as nothing', () => {
    const other = { ...order('Apixaban'), category: [{ coding: [{ system: 'http://example.org/local', code: 'discharge' }] }] };
    expect(readMedications([other], new Map())[0].setting).toBeUndefined();
  });
});
