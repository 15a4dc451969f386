import { describe, expect, it } from 'vitest';
import { showCell } from '../../../client/shared/cells';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import { cellText } from '../../../server/features/lists/cell-text.js';
import { csvRowOf } from './clinical-server.js';

/**
 * A Condition's or AllergyIntolerance's clinicalStatus or verificationStatus stated in a way other
 * than FHIR's codes (an EHR's own code system alone, `urn:oid:…` code "1" display "Active"; a code
 * written "Active") was read as a status code the app does not know: a current allergy or problem was
 * hidden from the list as history ("None recorded" beside a peanut allergy), and a confirmed one read
 * "(unconfirmed)". Both elements are modifiers (STU3, R4), so such a status is read by its words when
 * they are a code of its value set (condition-clinical, allergyintolerance-clinical, condition-ver-status,
 * allergyintolerance-verification), and a clinical status that still cannot be read is shown as
 * current, marked "check in EHR", never hidden.
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
const OWN = 'urn:oid:1.2.840.114350.1.13.0.1.7.4.698084.10';

/** A status as `release` writes it: DSTU2 and STU3 a code (the EHR's words for it), R4 a concept in the EHR's own system. */
const stated = (release: Release, code: string, display: string): unknown =>
  release === 'R4' ? { coding: [{ system: OWN, code, display }] } : display;
/** A status in the EHR's own code that says nothing the app can read. */
const unreadable = (release: Release): unknown => (release === 'R4' ? { coding: [{ system: OWN, code: '7' }] } : 'chronic');

function problem(release: Release, fields: JsonObject): JsonObject {
  return {
    resourceType: 'Condition',
    ...(release === 'DSTU2' ? { patient: { reference: 'Patient/p1' } } : { subject: { reference: 'Patient/p1' } }),
    code: { text: 'Asthma' },
    ...(release === 'DSTU2' ? { verificationStatus: 'confirmed' } : {}),
    ...fields,
  };
}
const allergy = (fields: JsonObject): JsonObject => ({
  resourceType: 'AllergyIntolerance',
  patient: { reference: 'Patient/p1' },
  code: { text: 'Peanut' },
  ...fields,
});

/** A cell as the list and the CSV show it. */
function shown(part: 'conditions' | 'allergies', resources: JsonObject[]): { list: string; csv: string } {
  const cells = assemblePart(part, { ok: true, set: { resources, included: [] } }, new Map(), new Warnings());
  const clinical = { careProvider: { status: 'none' }, warnings: [], ...cells } as unknown as PatientClinical;
  const cell = cellsFor([part], clinical, undefined)[part];
  const display = showCell(part, cell);
  return { list: display.full ?? display.text, csv: cellText(part, csvRowOf({ [part]: cell }), 'UTC') };
}

describe.each(['DSTU2', 'STU3', 'R4'] as const)('a condition whose clinicalStatus is the EHR’s own code (%s)', (release) => {
  it('reads it by its words: "Active" is current, "Resolved" history', () => {
    expect(shown('conditions', [problem(release, { clinicalStatus: stated(release, '1', 'Active') })])).toEqual({ list: 'Asthma', csv: 'Asthma' });
    expect(shown('conditions', [problem(release, { clinicalStatus: stated(release, '3', 'Resolved') })]).list).toBe('None recorded');
  });

  it('shows one it cannot read as current, marked "check in EHR", never hidden', () => {
    expect(shown('conditions', [problem(release, { clinicalStatus: unreadable(release) })])).toEqual({
      list: 'Asthma (check in EHR)',
      csv: 'Asthma (check in EHR)',
    });
  });

  it('reads a verification in words: "Confirmed" is not "(unconfirmed)", "Refuted" is left out', () => {
    const active = release === 'R4' ? { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] } : 'active';
    const verified = (code: string, display: string) =>
      problem(release, { clinicalStatus: active, verificationStatus: stated(release, code, display) });
    expect(shown('conditions', [verified('C', 'Confirmed')]).list).toBe('Asthma');
    expect(shown('conditions', [verified('R', 'Refuted')]).list).toBe('None recorded');
    // A code it cannot read is never taken as confirmed.
    expect(shown('conditions', [problem(release, { clinicalStatus: active, verificationStatus: unreadable(release) })]).list).toBe(
      'Asthma (unconfirmed)',
    );
  });
});

describe.each(['STU3', 'R4'] as const)('an allergy whose clinicalStatus is the EHR’s own code (%s)', (release) => {
  it('reads it by its words: an active peanut allergy is listed, an inactive one is not', () => {
    expect(shown('allergies', [allergy({ clinicalStatus: stated(release, '1', 'Active') })])).toEqual({ list: 'Peanut', csv: 'Peanut' });
    expect(shown('allergies', [allergy({ clinicalStatus: stated(release, '2', 'Inactive') })]).list).toBe('None recorded');
  });

  it('shows one it cannot read, marked "check in EHR", never "None recorded"', () => {
    expect(shown('allergies', [allergy({ clinicalStatus: unreadable(release) })])).toEqual({
      list: 'Peanut (check in EHR)',
      csv: 'Peanut (check in EHR)',
    });
  });

  it('reads a verification in words: "Confirmed" is not "(unconfirmed)"', () => {
    expect(shown('allergies', [allergy({ verificationStatus: stated(release, 'C', 'Confirmed') })]).list).toBe('Peanut');
    expect(shown('allergies', [allergy({ verificationStatus: unreadable(release) })]).list).toBe('Peanut (unconfirmed)');
  });
});
