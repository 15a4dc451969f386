import { describe, expect, it } from 'vitest';
import { showCell } from '../../../client/shared/cells';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import { readAllergies } from '../../../server/ehr/clinical/records.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';

/**
 * The substanceExposureRisk extension (STU3 and R4 core extension: "a more completely structured and
 * flexible alternative to the 'code' element for representing positive and negative allergy and
 * intolerance statements"; with it, `code` SHALL be omitted). A record without a code is read from
 * it: `known-reaction-risk` is an allergy to its substance, `no-known-reaction-risk` no known allergy
 * to it, never an allergy in the cell. Read the way the list shows it: assemblePart → cellsFor → showCell.
 */
type Release = 'STU3' | 'R4';
const releases: Release[] = ['STU3', 'R4'];
const SCT = 'http://snomed.info/sct';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const URL = 'http://hl7.org/fhir/StructureDefinition/allergyintolerance-substanceExposureRisk';
const RISK_STU3_R4 = 'http://hl7.org/fhir/allergy-intolerance-substance-exposure-risk';
const RISK_THO = 'http://terminology.hl7.org/CodeSystem/allergy-intolerance-substance-exposure-risk';

const penicillinG = { coding: [{ system: RXNORM, code: '7980', display: 'Penicillin G' }] };
const peanut = { coding: [{ system: SCT, code: '256349002', display: 'Peanut' }] };
const nka = { coding: [{ system: SCT, code: '716186003', display: 'No known allergy' }] };

function shown(resources: JsonObject[]): string {
  const cells = assemblePart('allergies', { ok: true, set: { resources, included: [] } }, new Map(), new Warnings());
  const clinical = { careProvider: { status: 'none' }, warnings: [], ...cells } as unknown as PatientClinical;
  const display = showCell('allergies', cellsFor(['allergies'], clinical, undefined).allergies);
  return display.full ?? display.text;
}

/** One substanceExposureRisk extension; `risk` null leaves exposureRisk out. */
function exposure(substance: JsonObject | null, risk: string | null, system = RISK_STU3_R4): JsonObject {
  return {
    url: URL,
    extension: [
      ...(substance ? [{ url: 'substance', valueCodeableConcept: substance }] : []),
      ...(risk ? [{ url: 'exposureRisk', valueCodeableConcept: { coding: [{ system, code: risk }] } }] : []),
    ],
  };
}

/** A current, confirmed AllergyIntolerance of the release, with high criticality (as the probe's record). */
function allergy(release: Release, fields: JsonObject): JsonObject {
  return {
    resourceType: 'AllergyIntolerance',
    ...(release === 'STU3'
      ? { clinicalStatus: 'active', verificationStatus: 'confirmed' }
      : {
          clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
          verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] },
        }),
    criticality: 'high',
    ...fields,
  };
}

describe.each(releases)('AllergyIntolerance substanceExposureRisk (%s)', (release) => {
  it.each([RISK_STU3_R4, RISK_THO])('reads known-reaction-risk (%s) as an allergy to its substance, named as a code would name it', (system) => {
    const record = allergy(release, { extension: [exposure(penicillinG, 'known-reaction-risk', system)] });
    expect(shown([record])).toBe('Penicillin G (high criticality)');
    expect(readAllergies([record])).toMatchObject([{ substance: 'Penicillin G', current: true, noneKnown: false, criticality: 'high' }]);
  });

  it('names a substance coded without words by its code, as for a code', () => {
    const record = allergy(release, { extension: [exposure({ coding: [{ system: RXNORM, code: '7980' }] }, 'known-reaction-risk')] });
    expect(shown([record])).toBe('RxNorm 7980 (high criticality)');
  });

  it('never lists no-known-reaction-risk as an allergy: the details say it, the cell has no allergy', () => {
    const record = allergy(release, { extension: [exposure(penicillinG, 'no-known-reaction-risk')] });
    expect(shown([record])).toBe('None recorded');
    expect(readAllergies([record])).toMatchObject([
      { substance: 'No known allergy to Penicillin G', noneKnown: false, current: false, clinicalStatus: 'active', verificationStatus: 'confirmed' },
    ]);
  });

  it('keeps the "No known allergy" record beside no-known-reaction-risk: the cell reads "No known allergies"', () => {
    const resources = [allergy(release, { extension: [exposure(penicillinG, 'no-known-reaction-risk')] }), allergy(release, { code: nka })];
    expect(shown(resources)).toBe('No known allergies');
    const warnings = new Warnings();
    expect(readAllergies(resources, warnings).map((a) => [a.substance, a.noneKnown])).toEqual([
      ['No known allergy to Penicillin G', false],
      ['No known allergy', true],
    ]);
    expect(warnings.list()).toEqual([]);
  });

  it('leaves "No known allergies" out beside a known-reaction-risk allergy, as beside any allergy', () => {
    const resources = [allergy(release, { extension: [exposure(penicillinG, 'known-reaction-risk')] }), allergy(release, { code: nka })];
    expect(shown(resources)).toBe('Penicillin G (high criticality)');
  });

  it('shows only the allergies beside a no-known-reaction-risk statement of another substance', () => {
    const resources = [allergy(release, { extension: [exposure(penicillinG, 'no-known-reaction-risk')] }), allergy(release, { code: peanut })];
    expect(shown(resources)).toBe('Peanut (high criticality)');
    expect(readAllergies(resources)).toHaveLength(2);
  });

  it('leaves no-known-reaction-risk out beside a current allergy to that very substance, and counts it', () => {
    const resources = [allergy(release, { extension: [exposure(penicillinG, 'no-known-reaction-risk')] }), allergy(release, { code: penicillinG })];
    const warnings = new Warnings();
    expect(readAllergies(resources, warnings).map((a) => a.substance)).toEqual(['Penicillin G']);
    expect(warnings.list()).toEqual([{ code: 'allergy_none_known_contradicted', count: 1 }]);
    expect(shown(resources)).toBe('Penicillin G (high criticality)');
  });

  it('reads each extension of a record as one statement', () => {
    const record = allergy(release, {
      extension: [
        exposure(penicillinG, 'known-reaction-risk'),
        exposure(peanut, 'no-known-reaction-risk'),
        exposure({ text: 'Latex' }, 'known-reaction-risk'),
      ],
    });
    expect(shown([record])).toBe('Penicillin G (high criticality), Latex (high criticality)');
    expect(readAllergies([record]).map((a) => a.substance)).toEqual(['Penicillin G', 'No known allergy to Peanut', 'Latex']);
  });

  it.each([
    ['an unknown risk code', 'possible-reaction-risk'],
    ['no risk at all', null],
  ])('names the substance of %s and marks it "check in EHR"', (_, risk) => {
    const record = allergy(release, { extension: [exposure(penicillinG, risk)] });
    expect(shown([record])).toBe('Penicillin G (high criticality, check in EHR)');
  });

  it('marks a record whose extension names no substance "check in EHR", never a plain allergy of unstated substance', () => {
    const record = allergy(release, { extension: [exposure(null, 'known-reaction-risk')] });
    expect(shown([record])).toBe('Substance not stated (high criticality, check in EHR)');
  });

  it('reads the code when the record has one (with the extension, code SHALL be omitted)', () => {
    const record = allergy(release, { code: peanut, extension: [exposure(penicillinG, 'no-known-reaction-risk')] });
    expect(shown([record])).toBe('Peanut (high criticality)');
  });
});
