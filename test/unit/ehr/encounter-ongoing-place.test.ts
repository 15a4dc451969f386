import { describe, expect, it } from 'vitest';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import { currentEncounter, readEncounters } from '../../../server/ehr/clinical/encounter.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import type { PatientClinical } from '../../../server/ehr/index.js';

/** The location cell of an R4 stay: a visit during it, a planned move, and a stay entered in error. */
const NOW = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

function listCells(resources: Record<string, unknown>[]) {
  const parts = assemblePart('encounter', { ok: true, set: { resources, included: [] } }, new Map(), new Warnings(), { history: false });
  return cellsFor(['location', 'admissionDate'], { ...parts } as PatientClinical, undefined);
}

describe('the place of an ongoing R4 stay', () => {
  // R4 Encounter.class v3 ActCode: an ambulatory visit (AMB) begun during an inpatient stay (IMP) does not say where the patient is.
  it('a dialysis visit begun an hour ago does not replace the ward of the ongoing stay', () => {
    const ward = {
      resourceType: 'Encounter',
      id: 'ward',
      status: 'in-progress',
      class: { system: ACT_CODE, code: 'IMP' },
      period: { start: iso(NOW - 5 * DAY) },
      location: [{ location: { display: 'Ward 7, Room 3' } }],
    };
    const visit = {
      resourceType: 'Encounter',
      id: 'visit',
      status: 'in-progress',
      class: { system: ACT_CODE, code: 'AMB' },
      period: { start: iso(NOW - 3_600_000) },
      location: [{ location: { display: 'Dialysis Unit' } }],
    };
    const current = currentEncounter(readEncounters([visit, ward], NOW), NOW);
    expect(current?.location).toBe('Ward 7, Room 3');
  });

  // R4 encounter-location-status: planned "The patient is planned to be moved to this location at
  // some point in the future"; active "The patient is currently at this location".
  it('a planned move does not replace the room the patient is in', () => {
    const cells = listCells([
      {
        resourceType: 'Encounter',
        status: 'in-progress',
        class: { system: ACT_CODE, code: 'IMP' },
        period: { start: iso(NOW - DAY) },
        location: [
          { location: { display: 'Ward 4, Room 12' }, status: 'active', period: { start: iso(NOW - DAY) } },
          { location: { display: 'Ward 9, Room 1' }, status: 'planned', period: { start: iso(NOW - 60_000) } },
        ],
      },
    ]);
    expect(JSON.stringify(cells.location)).toContain('Ward 4');
    expect(JSON.stringify(cells.location)).not.toContain('Ward 9');
  });

  // STU3/R4 Encounter.status entered-in-error: never where the patient is.
  it('an entered-in-error stay gives no location', () => {
    const cells = listCells([
      {
        resourceType: 'Encounter',
        status: 'entered-in-error',
        class: { system: ACT_CODE, code: 'IMP' },
        period: { start: iso(NOW - DAY) },
        location: [{ location: { display: 'Ward 4' }, status: 'active' }],
      },
    ]);
    expect(cells.location.status).toBe('none');
  });
});
