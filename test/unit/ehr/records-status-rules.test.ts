import { describe, expect, it } from 'vitest';
import { showCell } from '../../../client/shared/cells';
import { readAllergies, readConditions } from '../../../server/ehr/clinical/records.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';

/** What the allergies and conditions cells show of records' clinical and verification statuses, as the tab reads them. */
type Release = 'DSTU2' | 'STU3' | 'R4';
const NOW = Date.parse('2026-06-01T12:00:00Z');

function shown(column: 'allergies' | 'conditions', resources: JsonObject[]): string {
  const value = column === 'allergies' ? readAllergies(resources, new Warnings()) : readConditions(resources, new Warnings(), NOW);
  const clinical = { careProvider: { status: 'none' }, warnings: [], [column]: value.length ? { status: 'ok', value } : { status: 'none' } };
  const display = showCell(column, cellsFor([column], clinical as unknown as PatientClinical, undefined)[column]);
  return display.full ?? display.text;
}

describe.each(['DSTU2', 'STU3', 'R4'] as const)('allergy clinical status (%s)', (release: Release) => {
  // DSTU2 AllergyIntolerance.status / STU3-R4 clinicalStatus `resolved`: history.
  it('leaves a resolved allergy out of the cell', () => {
    const resolved =
      release === 'DSTU2'
        ? { status: 'resolved' }
        : release === 'STU3'
          ? { clinicalStatus: 'resolved', verificationStatus: 'confirmed' }
          : { clinicalStatus: { text: 'Resolved' }, verificationStatus: { coding: [{ code: 'confirmed' }] } };
    const latex = { resourceType: 'AllergyIntolerance', [release === 'DSTU2' ? 'substance' : 'code']: { text: 'Latex' }, ...resolved };
    expect(shown('allergies', [latex])).not.toContain('Latex');
  });
});

describe('condition statuses', () => {
  // DSTU2 Condition.verificationStatus is 1..1 (provisional | differential | confirmed | refuted |
  // entered-in-error | unknown) and clinicalStatus 0..1 (active | relapse | remission | resolved).
  it('DSTU2: shows a refuted diagnosis nowhere and marks a differential one', () => {
    const text = shown('conditions', [
      { resourceType: 'Condition', code: { text: 'Pulmonary embolism' }, verificationStatus: 'refuted', clinicalStatus: 'active' },
      { resourceType: 'Condition', code: { text: 'Pneumonia' }, verificationStatus: 'differential' },
    ]);
    expect(text).not.toContain('embolism');
    expect(text).toMatch(/Pneumonia \(differential/i);
  });

  // STU3 con-4: "If condition is abated, then clinicalStatus must be either inactive, resolved, or remission".
  it('STU3: reads a condition without clinicalStatus but with abatementDateTime as history', () => {
    const text = shown('conditions', [
      { resourceType: 'Condition', code: { text: 'Cellulitis' }, verificationStatus: 'confirmed', abatementDateTime: '2025-01-10' },
    ]);
    expect(text).not.toContain('Cellulitis');
  });
});
