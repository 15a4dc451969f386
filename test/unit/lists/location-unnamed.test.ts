import { describe, expect, it } from 'vitest';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import { cellText } from '../../../server/features/lists/cell-text.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';
import { showCell } from '../../../client/shared/cells.js';

/**
 * Encounter.location.location is a Reference (DSTU2, STU3, R4): an EHR may give the place by
 * `reference` alone. The patient is somewhere the EHR knows but does not name in the answer:
 * the list says "Not available" (no name to show), never "None recorded" (nothing known).
 */
const encounter = (version: string) => ({
  resourceType: 'Encounter',
  id: `e-${version}`,
  status: 'in-progress',
  ...(version === 'dstu2' ? { class: 'inpatient' } : { class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' } }),
  period: { start: '2026-12-01T08:00:00Z' },
  location: [{ location: { reference: 'Location/123' } }],
});

describe.each(['dstu2', 'stu3', 'r4'])('a current place given only as a reference (%s)', (version) => {
  const parts = assemblePart('encounter', { ok: true, set: { resources: [encounter(version)] as never, included: [] } }, new Map(), new Warnings(), {
    history: false,
  });
  const clinical = { encounter: parts.encounter } as never;
  const cells = cellsFor(['location'], clinical, undefined);

  it('is "Not available" in the tab, not "None recorded"', () => {
    expect(cells.location.status).toBe('ok');
    expect(showCell('location', cells.location as never)).toMatchObject({ status: 'unavailable', text: 'Not available' });
  });

  it('is "Not available" in the CSV, never an empty cell', () => {
    const row: ListRow = { patientId: 'p1', displayName: 'A', mrn: null, birthDate: null, gender: null, available: true, cells };
    expect(cellText('location', row)).toBe('Not available');
  });
});
