import { describe, expect, it } from 'vitest';
import { showCell } from '../../../client/shared/cells';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import { readAllergies } from '../../../server/ehr/clinical/records.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';

/**
 * "No known allergies" written in words only. AllergyIntolerance.code (R4, STU3; DSTU2 `substance`)
 * has an example binding, so a CodeableConcept may be text alone: {text: "No Known Allergies"}. Such a
 * record is a statement of none known, as SNOMED CT 716186003 is, never an allergy to a substance
 * called "No Known Allergies" (records.ts NO_KNOWN_ALLERGY_WORDS). Read the way the list shows it:
 * assemblePart → cellsFor → showCell.
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
const releases: Release[] = ['DSTU2', 'STU3', 'R4'];
const SCT = 'http://snomed.info/sct';

function shown(resources: JsonObject[]): string {
  const cells = assemblePart('allergies', { ok: true, set: { resources, included: [] } }, new Map(), new Warnings());
  const clinical = { careProvider: { status: 'none' }, warnings: [], ...cells } as unknown as PatientClinical;
  const display = showCell('allergies', cellsFor(['allergies'], clinical, undefined).allergies);
  return display.full ?? display.text;
}

/** A current, confirmed AllergyIntolerance of each release; `category` one code (DSTU2) or a list (STU3, R4). */
function allergy(release: Release, concept: JsonObject, category?: string): JsonObject {
  return {
    resourceType: 'AllergyIntolerance',
    [release === 'DSTU2' ? 'substance' : 'code']: concept,
    ...(release === 'DSTU2'
      ? { status: 'confirmed' }
      : release === 'STU3'
        ? { clinicalStatus: 'active', verificationStatus: 'confirmed' }
        : {
            clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
            verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] },
          }),
    ...(category ? { category: release === 'DSTU2' ? category : [category] } : {}),
  };
}

const penicillin = { coding: [{ system: SCT, code: '764146007', display: 'Penicillin' }] };

describe.each(releases)('"No known allergies" written in words only (%s)', (release) => {
  it('reads as a statement of none known, and the cell says "No known allergies"', () => {
    const views = readAllergies([allergy(release, { text: 'No Known Allergies' })], new Warnings());
    expect(views[0]).toMatchObject({ noneKnown: true, current: true });
    expect(shown([allergy(release, { text: 'No Known Allergies' })])).toBe('No known allergies');
  });

  it('is left out beside a current allergy, and counted, so the cell never says both', () => {
    const resources = [allergy(release, { text: 'No Known Allergies' }), allergy(release, penicillin, 'medication')];
    expect(shown(resources)).toBe('Penicillin');
    const warnings = new Warnings();
    expect(readAllergies(resources, warnings).map((a) => a.substance)).toEqual(['Penicillin']);
    expect(warnings.list()).toEqual([{ code: 'allergy_none_known_contradicted', count: 1 }]);
  });

  it.each(['No known allergies.', 'NO KNOWN  ALLERGY', ' nka ', 'N.K.A.', 'No allergies'])('reads %j as no known allergies', (text) => {
    expect(readAllergies([allergy(release, { text })])[0].noneKnown).toBe(true);
  });

  it('reads the display of a coding the app does not know (a local code) alike', () => {
    const local = { coding: [{ system: 'urn:oid:1.2.840.114350.1.13.0.1.7.2.707679', code: '9001', display: 'No Known Allergies' }] };
    expect(readAllergies([allergy(release, local)])[0].noneKnown).toBe(true);
  });

  it.each([
    ['NKDA', 'medication', 'food', 'Peanut'],
    ['No known drug allergies', 'medication', 'food', 'Peanut'],
    ['No known allergies to medications', 'medication', 'food', 'Peanut'],
    ['No known food allergies', 'food', 'medication', 'Amoxicillin'],
    ['No known environmental allergies', 'environment', 'food', 'Peanut'],
  ])('reads %j as a statement of one kind (%s): kept beside a %s allergy, left out beside one of its kind', (text, kind, other, name) => {
    const statement = allergy(release, { text });
    expect(readAllergies([statement])[0]).toMatchObject({ substance: text, noneKnown: false });
    expect(shown([allergy(release, { text: name }, other), statement])).toBe(`${name}, ${text}`);
    expect(shown([allergy(release, { text: 'Something' }, kind), statement])).toBe('Something');
  });

  it('reads "No known latex allergy" as contradicted by a latex allergy only (by its substance)', () => {
    const statement = allergy(release, { text: 'No known latex allergy' });
    expect(shown([allergy(release, { text: 'Birch pollen' }, 'environment'), statement])).toBe('Birch pollen, No known latex allergy');
    expect(shown([allergy(release, { text: 'Natural rubber latex' }, 'environment'), statement])).toBe('Natural rubber latex');
  });

  it.each([
    ['words that say more than the phrase', { text: 'No known allergies to latex except gloves' }],
    ['an allergy', { text: 'Allergy to peanuts' }],
    ['a phrase inside other words', { text: 'Patient reports no known allergies' }],
    ['a text beside a coded substance', { coding: [{ system: SCT, code: '764146007', display: 'Penicillin' }], text: 'No known allergies' }],
    ['a text beside a code without words', { coding: [{ system: SCT, code: '764146007' }], text: 'No known allergies' }],
    ['words of two kinds', { coding: [{ system: 'urn:oid:1.2.3', code: '1', display: 'NKDA' }], text: 'No known allergies' }],
  ])('leaves %s an allergy (the safe side)', (_, concept) => {
    expect(readAllergies([allergy(release, concept)])[0]).toMatchObject({ noneKnown: false, current: true });
    // Listed as an allergy beside another one, not left out as a contradicted statement.
    expect(readAllergies([allergy(release, { text: 'Peanut' }, 'food'), allergy(release, concept)])).toHaveLength(2);
  });

  it('keeps the coded reading first: a code of one kind is that kind whatever the text says', () => {
    const nkda = { coding: [{ system: SCT, code: '409137002' }], text: 'No known allergies' };
    expect(readAllergies([allergy(release, nkda)])[0].noneKnown).toBe(false);
    expect(shown([allergy(release, { text: 'Peanut' }, 'food'), allergy(release, nkda)])).toBe('Peanut, No known allergies');
  });
});

describe('words that do not state "no known allergies"', () => {
  it.each([
    ['a question', { text: 'NKA?' }],
    [
      'a substance code whose display says otherwise',
      { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '7980', display: 'No known allergies' }] },
    ],
  ])('%s stays an allergy to a substance', (_, code) => {
    const [allergy] = readAllergies([
      { resourceType: 'AllergyIntolerance', id: 'a', clinicalStatus: 'active', verificationStatus: 'confirmed', code },
    ]);
    expect(allergy.noneKnown).toBe(false);
  });
});
