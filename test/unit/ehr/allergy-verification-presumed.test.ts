import { describe, expect, it } from 'vitest';
import { showCell } from '../../../client/shared/cells';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import { readAllergies } from '../../../server/ehr/clinical/records.js';
import type { ClinicalPart } from '../../../server/ehr/clinical/types.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';

/**
 * A verification status that is stated and is neither `confirmed` nor never shown (refuted,
 * entered-in-error) is not confirmed, and the list says so: R4 allergyintolerance-verification
 * `presumed` is a child of `unconfirmed` (terminology.hl7.org/CodeSystem-allergyintolerance-verification),
 * read "(unconfirmed)", never as confirmed. Read the way the list shows it: assemblePart → cellsFor → showCell.
 */
const SCT = 'http://snomed.info/sct';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';
const penicillin = { coding: [{ system: SCT, code: '764146007', display: 'Penicillin' }] };
const nka = { coding: [{ system: SCT, code: '716186003', display: 'No known allergy' }] };

function shown(part: ClinicalPart & ('conditions' | 'allergies'), resources: JsonObject[]): string {
  const cells = assemblePart(part, { ok: true, set: { resources, included: [] } }, new Map(), new Warnings());
  const clinical = { careProvider: { status: 'none' }, warnings: [], ...cells } as unknown as PatientClinical;
  const display = showCell(part, cellsFor([part], clinical, undefined)[part]);
  return display.full ?? display.text;
}

/** A current R4 AllergyIntolerance with this verification code (of `system`). */
function allergy(code: JsonObject, verification: string, system = VERIFICATION): JsonObject {
  return {
    resourceType: 'AllergyIntolerance',
    code,
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
    verificationStatus: { coding: [{ system, code: verification }] },
  };
}

describe('R4 AllergyIntolerance verificationStatus presumed', () => {
  it('reads a presumed allergy as unconfirmed in the cell, and keeps the code as given for the details', () => {
    expect(shown('allergies', [allergy(penicillin, 'presumed')])).toBe('Penicillin (unconfirmed)');
    expect(readAllergies([allergy(penicillin, 'presumed')])).toMatchObject([{ substance: 'Penicillin', verificationStatus: 'presumed' }]);
  });

  it('reads a presumed "No known allergy" as "No known allergies (unconfirmed)"', () => {
    expect(shown('allergies', [allergy(nka, 'presumed')])).toBe('No known allergies (unconfirmed)');
  });

  it('lets a confirmed record of the same substance speak for a presumed one', () => {
    expect(shown('allergies', [allergy(penicillin, 'presumed'), allergy(penicillin, 'confirmed')])).toBe('Penicillin');
  });

  it('marks a stated code the app does not know as unconfirmed, and leaves confirmed unmarked', () => {
    expect(shown('allergies', [allergy(penicillin, 'suspected', 'http://example.org/local-verification')])).toBe('Penicillin (unconfirmed)');
    expect(shown('allergies', [allergy(penicillin, 'confirmed')])).toBe('Penicillin');
  });

  it('keeps the contract codes as they are: a provisional condition reads "(provisional)"', () => {
    const condition = (code: string) => ({
      resourceType: 'Condition',
      code: { text: 'Asthma' },
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code }] },
    });
    expect(shown('conditions', [condition('provisional')])).toBe('Asthma (provisional)');
    expect(shown('conditions', [condition('confirmed')])).toBe('Asthma');
  });
});
