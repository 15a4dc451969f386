import { describe, expect, it } from 'vitest';
import { assemblePart, indexMedications } from '../../../server/ehr/clinical/assemble.js';
import { readConditions } from '../../../server/ehr/clinical/records.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import type { JsonObject } from '../../../server/ehr/json.js';

/**
 * Condition.bodySite ("anatomical location where this condition manifests itself", 0..*
 * CodeableConcept in DSTU2, STU3 and R4) is where a record gives the side when the code does not:
 * the problem's words carry it in the list cell and the details, and two sites are two problems.
 */
const SNOMED = 'http://snomed.info/sct';
const status = {
  DSTU2: { clinicalStatus: 'active', verificationStatus: 'confirmed' },
  STU3: { clinicalStatus: 'active', verificationStatus: 'confirmed' },
  R4: {
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
  },
};
const femur = { coding: [{ system: SNOMED, code: '71620000', display: 'Fracture of femur' }] };
const condition = (release: keyof typeof status, id: string, extra: JsonObject): JsonObject => ({
  resourceType: 'Condition',
  id,
  ...(release === 'DSTU2' ? { patient: { reference: 'Patient/p' } } : { subject: { reference: 'Patient/p' } }),
  code: femur,
  onsetDateTime: '2026-11-30',
  ...status[release],
  ...extra,
});
const left = { coding: [{ system: SNOMED, code: '7771000', display: 'Left' }] };
const right = { coding: [{ system: SNOMED, code: '24028007', display: 'Right' }], text: 'Right' };

describe.each(['DSTU2', 'STU3', 'R4'] as const)('a problem at a body site, %s', (release) => {
  it('names the site beside the problem, in the cell and the details; two sides are two problems', () => {
    const resources = [condition(release, 'c1', { bodySite: [left] }), condition(release, 'c2', { bodySite: [right] })];
    expect(readConditions(resources).map((c) => c.display)).toEqual(['Fracture of femur (Left)', 'Fracture of femur (Right)']);
    const cell = assemblePart('conditions', { ok: true, set: { resources, included: [] } }, indexMedications([]), new Warnings());
    expect(cell.conditions).toMatchObject({
      status: 'ok',
      value: [{ display: 'Fracture of femur (Left)' }, { display: 'Fracture of femur (Right)' }],
    });
  });

  it('says a site once, not when the words hold it already, and by its code when it has no words', () => {
    const said = condition(release, 'c1', { code: { text: 'Left femur fracture' }, bodySite: [left, left] });
    const coded = condition(release, 'c2', { bodySite: [{ coding: [{ system: SNOMED, code: '7771000' }] }] });
    const none = condition(release, 'c3', { bodySite: [] });
    expect(readConditions([said, coded, none]).map((c) => c.display)).toEqual([
      'Left femur fracture',
      'Fracture of femur (SNOMED CT 7771000)',
      'Fracture of femur',
    ]);
  });

  it('reads the words whole: a site inside another word is still named ("Cleft lip" does not say Left)', () => {
    const cleft = condition(release, 'c1', { code: { text: 'Cleft lip' }, bodySite: [left] });
    const hearing = condition(release, 'c2', { code: { text: 'Hearing loss' }, bodySite: [{ text: 'Ear' }] });
    const bracketed = condition(release, 'c3', { code: { text: 'Burn (second degree)' }, bodySite: [{ text: 'Hand (left)' }] });
    expect(readConditions([cleft, hearing, bracketed]).map((c) => c.display)).toEqual([
      'Cleft lip (Left)',
      'Hearing loss (Ear)',
      'Burn (second degree) (Hand (left))',
    ]);
  });
});
