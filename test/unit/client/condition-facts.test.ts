import { afterEach, describe, expect, it } from 'vitest';
import { allergyDates, conditionFacts } from '../../../client/features/patient-details/condition-facts.js';
import { setLanguage } from '../../../client/shared/i18n/t.js';
import { readAllergies, readConditions } from '../../../server/ehr/clinical/records.js';
import type { JsonObject } from '../../../server/ehr/json.js';

/**
 * A condition in the details, read from the record as each release writes it: each date named for
 * what it is (onset, recorded, abated), and a condition that abated without a clinicalStatus
 * (optional in DSTU2 and STU3) says so instead of showing no status at all.
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
const RELEASES: Release[] = ['DSTU2', 'STU3', 'R4'];

function condition(release: Release, extra: JsonObject): JsonObject {
  const recordedKey = release === 'DSTU2' ? 'dateRecorded' : release === 'STU3' ? 'assertedDate' : 'recordedDate';
  return {
    resourceType: 'Condition',
    id: 'c1',
    code: { coding: [{ system: 'http://snomed.info/sct', code: '195662009', display: 'Acute viral pharyngitis' }] },
    onsetDateTime: '2020-03-01',
    [recordedKey]: '2020-03-04',
    ...extra,
  };
}
const facts = (release: Release, extra: JsonObject) => {
  const [view] = readConditions([condition(release, extra)]);
  return { current: view.current, facts: conditionFacts(view) };
};

describe('a condition in the details', () => {
  afterEach(() => setLanguage('en'));

  it.each(RELEASES)('%s: onset and recorded date each carry their name', (release) => {
    const status = release === 'R4' ? { clinicalStatus: { coding: [{ code: 'active' }] } } : { clinicalStatus: 'active' };
    expect(facts(release, status).facts).toEqual(['onset Mar 1, 2020', 'recorded Mar 4, 2020', 'active']);
  });

  it.each(RELEASES)('%s: a recorded date equal to the onset is said once', (release) => {
    const recordedKey = release === 'DSTU2' ? 'dateRecorded' : release === 'STU3' ? 'assertedDate' : 'recordedDate';
    expect(facts(release, { [recordedKey]: '2020-03-01' }).facts).toEqual(['onset Mar 1, 2020']);
  });

  it.each(['DSTU2', 'STU3'] as const)('%s: an abatement without clinicalStatus says the condition abated, and when', (release) => {
    expect(facts(release, { abatementDateTime: '2020-03-20' })).toEqual({
      current: false,
      facts: ['onset Mar 1, 2020', 'recorded Mar 4, 2020', 'abated Mar 20, 2020'],
    });
    expect(facts(release, { abatementPeriod: { start: '2020-03-10', end: '2020-03-22' } }).facts).toContain('abated Mar 22, 2020');
    expect(facts(release, { abatementString: 'in childhood' }).facts).toContain('abated');
    expect(facts(release, { abatementBoolean: true }).facts).toContain('abated');
  });

  it('R4: an abated condition with its status shows both', () => {
    expect(facts('R4', { clinicalStatus: { coding: [{ code: 'resolved' }] }, abatementDateTime: '2020-03-20' }).facts).toEqual([
      'onset Mar 1, 2020',
      'recorded Mar 4, 2020',
      'resolved',
      'abated Mar 20, 2020',
    ]);
  });

  it.each(['STU3', 'R4'] as const)('%s: a visit diagnosis without clinicalStatus reads "not current", never a blank status', (release) => {
    const category = { category: [{ coding: [{ system: 'http://hl7.org/fhir/condition-category', code: 'encounter-diagnosis' }] }] };
    expect(facts(release, category)).toEqual({ current: false, facts: ['onset Mar 1, 2020', 'recorded Mar 4, 2020', 'not current'] });
  });

  it('abatementBoolean false is not an abatement', () => {
    expect(facts('STU3', { abatementBoolean: false })).toEqual({ current: true, facts: ['onset Mar 1, 2020', 'recorded Mar 4, 2020'] });
  });
});

/**
 * An onset given as an age, a range of ages or words (Condition.onset[x]: DSTU2 onsetQuantity (an
 * Age), onsetRange, onsetString; STU3 and R4 onsetAge, onsetRange, onsetString) is named for what it
 * is, and such a condition, which cannot be placed in time without the birth date, comes after the
 * conditions whose onset (or recorded date) is a date.
 */
describe('a condition whose onset is an age, a range or words', () => {
  afterEach(() => setLanguage('en'));
  const UCUM = 'http://unitsofmeasure.org';
  const age = (value: number, code: string, extra: JsonObject = {}) => ({ value, unit: code, system: UCUM, code, ...extra });
  const ageKey = (release: Release) => (release === 'DSTU2' ? 'onsetQuantity' : 'onsetAge');
  const onsetFacts = (release: Release, onset: JsonObject) => facts(release, { onsetDateTime: undefined, ...onset }).facts;

  it.each(RELEASES)('%s: an age', (release) => {
    expect(onsetFacts(release, { [ageKey(release)]: age(45, 'a') })).toEqual(['onset at age 45 years', 'recorded Mar 4, 2020']);
    expect(onsetFacts(release, { [ageKey(release)]: age(6, 'mo') })[0]).toBe('onset at age 6 months');
    expect(onsetFacts(release, { [ageKey(release)]: age(5, 'a', { comparator: '<' }) })[0]).toBe('onset at age <5 years');
    // A unit in words without a UCUM code is read too.
    expect(onsetFacts(release, { [ageKey(release)]: { value: 45, unit: 'years' } })[0]).toBe('onset at age 45 years');
  });

  it.each(RELEASES)('%s: a range of ages, and words', (release) => {
    expect(onsetFacts(release, { onsetRange: { low: age(40, 'a'), high: age(50, 'a') } })[0]).toBe('onset at age 40–50 years');
    expect(onsetFacts(release, { onsetRange: { low: age(40, 'a') } })[0]).toBe('onset at age ≥40 years');
    expect(onsetFacts(release, { onsetString: 'childhood' })).toEqual(['onset: childhood', 'recorded Mar 4, 2020']);
  });

  it("in the user's language", () => {
    setLanguage('ru');
    expect(onsetFacts('R4', { onsetAge: age(45, 'a') })[0]).toBe('начало: возраст 45 лет');
    expect(onsetFacts('R4', { onsetString: 'в детстве' })[0]).toBe('начало: в детстве');
  });

  it.each(RELEASES)(
    '%s: newest onset first, an onset that is no date after the dated ones (newest recorded first among them), a condition with no date last',
    (release) => {
      const recordedKey = release === 'DSTU2' ? 'dateRecorded' : release === 'STU3' ? 'assertedDate' : 'recordedDate';
      const named = (text: string, extra: JsonObject) => ({ ...condition(release, extra), code: { text } });
      const conditions = readConditions([
        named('age, recorded 2026', { onsetDateTime: undefined, [ageKey(release)]: age(45, 'a'), [recordedKey]: '2026-01-01' }),
        named('words, recorded 2024', { onsetDateTime: undefined, onsetString: 'childhood', [recordedKey]: '2024-01-01' }),
        named('no date at all', { onsetDateTime: undefined, [recordedKey]: undefined }),
        named('onset 2020', {}),
        named('no onset, recorded 2022', { onsetDateTime: undefined, [recordedKey]: '2022-05-01' }),
        named('range, recorded 2025', { onsetDateTime: undefined, onsetRange: { low: age(40, 'a') }, [recordedKey]: '2025-01-01' }),
      ]);
      expect(conditions.map((c) => c.display)).toEqual([
        'no onset, recorded 2022',
        'onset 2020',
        'age, recorded 2026',
        'range, recorded 2025',
        'words, recorded 2024',
        'no date at all',
      ]);
    },
  );
});

describe('an allergy in the details', () => {
  afterEach(() => setLanguage('en'));
  const allergy = (release: Release, extra: JsonObject): JsonObject => ({
    resourceType: 'AllergyIntolerance',
    [release === 'DSTU2' ? 'substance' : 'code']: { text: 'Penicillin' },
    ...extra,
  });

  it.each(RELEASES)('%s: names the onset, the recorded date and the last reaction', (release) => {
    const recordedKey = release === 'STU3' ? 'assertedDate' : 'recordedDate';
    const lastKey = release === 'DSTU2' ? 'lastOccurence' : 'lastOccurrence';
    const onset = release === 'DSTU2' ? { onset: '1990' } : { onsetDateTime: '1990' };
    const [view] = readAllergies([allergy(release, { ...onset, [recordedKey]: '2001-01-01', [lastKey]: '2026-11-30' })]);
    expect(allergyDates(view)).toEqual(['onset 1990', 'recorded Jan 1, 2001', 'last reaction Nov 30, 2026']);
  });

  it('says a date once, and as recorded from a server that sends only the sorting date', () => {
    const [view] = readAllergies([allergy('R4', { onsetDateTime: '2001-01-01', recordedDate: '2001-01-01' })]);
    expect(allergyDates(view)).toEqual(['onset Jan 1, 2001']);
    const { onset: _o, recorded: _r, lastReaction: _l, ...older } = view;
    expect(allergyDates(older)).toEqual(['recorded Jan 1, 2001']);
  });
});
