import { describe, expect, it } from 'vitest';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import { readEncounters } from '../../../server/ehr/clinical/encounter.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { showCell } from '../../../client/shared/cells.js';

/**
 * Encounter.location.location given as `{"reference": "#loc1"}` refers to the Location the
 * Encounter holds in its own `contained` (references.html#contained, DSTU2, STU3 and R4): its
 * name, else the reference's display. Never a resource contained in another resource.
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
const klass: Record<Release, unknown> = {
  DSTU2: 'inpatient',
  STU3: { system: 'http://hl7.org/fhir/v3/ActCode', code: 'IMP' },
  R4: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
};
const now = Date.parse('2026-06-15T12:00:00Z');

describe.each(['DSTU2', 'STU3', 'R4'] as const)('a %s location given as a contained resource', (release) => {
  const encounter = (reference: Record<string, unknown>, contained: unknown[] | undefined, extra: Record<string, unknown> = {}) => ({
    resourceType: 'Encounter',
    status: 'in-progress',
    class: klass[release],
    period: { start: '2026-06-10T08:00:00Z' },
    ...(contained ? { contained } : {}),
    location: [{ location: reference }],
    ...extra,
  });
  const loc1 = { resourceType: 'Location', id: 'loc1', name: 'Ward 4, Room 7, Bed 1' };
  const place = (e: Record<string, unknown>) => readEncounters([e], now)[0];

  it('reads the contained Location’s name (room and bed from it), not "Not available"', () => {
    const view = place(encounter({ reference: '#loc1' }, [loc1]));
    expect(view).toMatchObject({ location: 'Ward 4, Room 7, Bed 1', room: '7', bed: '1' });
    const parts = assemblePart(
      'encounter',
      { ok: true, set: { resources: [encounter({ reference: '#loc1' }, [loc1])], included: [] } },
      new Map(),
      new Warnings(),
      {
        history: false,
      },
    );
    const cell = cellsFor(['location'], { ...parts } as PatientClinical, undefined).location;
    expect(showCell('location', cell)).toMatchObject({ status: 'ok', text: 'Room 7, Bed 1', detail: 'Ward 4' });
  });

  it('the name comes before the reference’s display; without a name the display stands', () => {
    expect(place(encounter({ reference: '#loc1', display: 'Old name' }, [loc1])).location).toBe('Ward 4, Room 7, Bed 1');
    expect(place(encounter({ reference: '#loc1', display: 'Ward 6' }, [{ resourceType: 'Location', id: 'loc1' }])).location).toBe('Ward 6');
  });

  it('the contained resource is matched by id, among several', () => {
    const contained = [{ resourceType: 'Location', id: 'loc0', name: 'Ward 1' }, loc1];
    expect(place(encounter({ reference: '#loc1' }, contained)).location).toBe('Ward 4, Room 7, Bed 1');
  });

  it('a contained resource that is not a Location, or no such id, names nothing', () => {
    expect(place(encounter({ reference: '#loc1' }, [{ resourceType: 'Organization', id: 'loc1', name: 'Acme' }])).location).toBe('');
    expect(place(encounter({ reference: '#loc2' }, [loc1])).location).toBe('');
    expect(place(encounter({ reference: '#loc2', display: 'Ward 6' }, [loc1])).location).toBe('Ward 6');
  });

  it('never a resource contained in another resource', () => {
    const holder = encounter({ reference: '#loc1' }, [loc1], { id: 'other', period: { start: '2026-06-01T08:00:00Z' }, status: 'finished' });
    const [current] = readEncounters([encounter({ reference: '#loc1' }, undefined), holder], now);
    expect(current.location).toBe('');
    // A Location nested inside a contained resource is not the Encounter's own either.
    const nested = [{ resourceType: 'Organization', id: 'org', contained: [loc1] }];
    expect(place(encounter({ reference: '#loc1' }, nested)).location).toBe('');
  });

  it('a bed the contained Location says it is (physicalType bd) is the bed', () => {
    const bed = { resourceType: 'Location', id: 'loc1', name: 'B2', physicalType: { coding: [{ code: 'bd' }] } };
    expect(place(encounter({ reference: '#loc1' }, [bed]))).toMatchObject({ location: 'B2', bed: 'B2' });
  });
});
