import { describe, expect, it } from 'vitest';
import { showCell } from '../../../client/shared/cells';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import { readAllergies, readConditions } from '../../../server/ehr/clinical/records.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import { cellText } from '../../../server/features/lists/cell-text.js';
import { csvRowOf } from './clinical-server.js';

/**
 * SNOMED CT written by its HL7 OID, urn:oid:2.16.840.1.113883.6.96 (DSTU2 identifier-registry, R4
 * terminologies-systems.html; what records converted from CDA carry), or with https, is SNOMED CT:
 * a record coded only so that states no known allergy (716186003, 409137002…) reads as that
 * statement, never as an allergy called "SNOMED CT 716186003", and a condition's severity coded so
 * (24484000) reads "severe". Read as the list and the CSV show it: assemblePart → cellsFor.
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
const OID = 'urn:oid:2.16.840.1.113883.6.96';

function shown(resources: JsonObject[]): { list: string; csv: string } {
  const cells = assemblePart('allergies', { ok: true, set: { resources, included: [] } }, new Map(), new Warnings());
  const clinical = { careProvider: { status: 'none' }, warnings: [], ...cells } as unknown as PatientClinical;
  const cell = cellsFor(['allergies'], clinical, undefined).allergies;
  const display = showCell('allergies', cell);
  return { list: display.full ?? display.text, csv: cellText('allergies', csvRowOf({ allergies: cell }), 'UTC') };
}

/** A current, confirmed AllergyIntolerance of each release; `category` one code (DSTU2) or a list (STU3, R4). */
function allergy(release: Release, concept: JsonObject, category?: string): JsonObject {
  return {
    resourceType: 'AllergyIntolerance',
    patient: { reference: 'Patient/p1' },
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

const coded = (system: string, code: string) => ({ coding: [{ system, code }] });
const penicillin = { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '7980', display: 'Penicillin G' }] };

describe.each(['DSTU2', 'STU3', 'R4'] as const)('SNOMED CT by its OID or https (%s)', (release) => {
  it.each([OID, 'https://snomed.info/sct', 'http://snomed.info/sct/'])('no known allergy coded in %s reads "No known allergies"', (system) => {
    expect(shown([allergy(release, coded(system, '716186003'))])).toEqual({ list: 'No known allergies', csv: 'No known allergies' });
  });

  it('a statement of one kind keeps its words, and gives way to a current allergy of its kind', () => {
    expect(shown([allergy(release, coded(OID, '409137002'))]).csv).toBe('No known drug allergy');
    const warnings = new Warnings();
    const views = readAllergies([allergy(release, coded(OID, '409137002')), allergy(release, penicillin, 'medication')], warnings);
    expect(views.map((a) => a.substance)).toEqual(['Penicillin G']);
    expect(warnings.list()).toEqual([{ code: 'allergy_none_known_contradicted', count: 1 }]);
  });

  it('"No known allergies" beside a current allergy is left out, never shown as an allergy of its own', () => {
    expect(shown([allergy(release, coded(OID, '716186003')), allergy(release, penicillin, 'medication')])).toEqual({
      list: 'Penicillin G',
      csv: 'Penicillin G',
    });
  });

  it("a condition's severity coded so reads as its word", () => {
    const condition = {
      resourceType: 'Condition',
      code: { text: 'Community-acquired pneumonia' },
      severity: coded(OID, '24484000'),
      ...(release === 'R4' ? {} : { verificationStatus: 'confirmed' }),
    };
    expect(readConditions([condition])[0].severity).toBe('severe');
  });
});
