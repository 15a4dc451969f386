/**
 * Encounter.location levels (DSTU2, STU3, R4): every current entry is where the patient is, at its
 * own level (physicalType, else the room or bed words of its name); the latest period.start only
 * chooses between entries of one level. What the clinician sees, through the real cell pipeline.
 */
import { describe, expect, it } from 'vitest';
import { showCell } from '../../../client/shared/cells';
import { assemblePart, indexMedications } from '../../../server/ehr/clinical/assemble.js';
import { readEncounters } from '../../../server/ehr/clinical/encounter.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { cellText } from '../../../server/features/lists/cell-text.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';

function shown(resources: JsonObject[]) {
  const cells = assemblePart('encounter', { ok: true, set: { resources, included: [] } } as never, indexMedications([]), new Warnings(), {
    history: false,
  });
  const clinical = { careProvider: { status: 'none' }, warnings: [], ...cells } as unknown as PatientClinical;
  const cell = cellsFor(['location'], clinical, undefined).location;
  const display = showCell('location', cell, Date.now());
  const row = { patientId: 'p', displayName: 'A', available: true, cells: { location: cell } } as unknown as ListRow;
  return { tab: display.text, detail: display.detail, qualified: display.qualified, csv: cellText('location', row) };
}
const hrs = (h: number) => new Date(Date.now() + h * 3600e3).toISOString();
const VERSIONS = [
  ['DSTU2', { class: 'inpatient' }],
  ['STU3', { class: { code: 'IMP' } }],
  ['R4', { class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' } }],
] as const;
const stay = (klass: JsonObject, location: JsonObject[], extra: JsonObject = {}) => [
  {
    resourceType: 'Encounter',
    patient: { reference: 'Patient/p' },
    subject: { reference: 'Patient/p' },
    status: 'in-progress',
    ...klass,
    period: { start: hrs(-100) },
    location,
    ...extra,
  },
];

describe.each(VERSIONS)('%s Encounter.location: every current level is said, widest first', (_v, klass) => {
  it('a ward since admission and a bed since a move 2 h ago: both, ward first', () => {
    const cell = shown(
      stay(klass, [
        { location: { display: 'Ward 5 North' }, status: 'active', period: { start: hrs(-100) } },
        { location: { display: 'Room 12, Bed 3' }, status: 'active', period: { start: hrs(-2) } },
      ]),
    );
    expect(cell).toMatchObject({ tab: 'Room 12, Bed 3', detail: 'Ward 5 North', csv: 'Ward 5 North, Room 12, Bed 3' });
  });

  it('a dated ward and an undated bed: the bed is still said', () => {
    const cell = shown(stay(klass, [{ location: { display: 'Ward 5 North' }, period: { start: hrs(-100) } }, { location: { display: 'Bed 3' } }]));
    expect(cell).toMatchObject({ tab: 'Bed 3', detail: 'Ward 5 North', csv: 'Ward 5 North, Bed 3' });
  });

  it('within one level the latest start wins: a move from Room 12 to Room 40 not closed in the EHR says Room 40, with the ward', () => {
    const cell = shown(
      stay(klass, [
        { location: { display: 'Ward 5' }, period: { start: hrs(-100) } },
        { location: { display: 'Room 12' }, period: { start: hrs(-100) } },
        { location: { display: 'Room 40' }, period: { start: hrs(-3) } },
      ]),
    );
    expect(cell).toMatchObject({ tab: 'Room 40', detail: 'Ward 5', csv: 'Ward 5, Room 40' });
  });

  it('a place named from a contained Location carrying a modifierExtension is marked "check in EHR"', () => {
    const mod = [{ url: 'http://example.org/fhir/StructureDefinition/unknown-modifier', valueBoolean: true }];
    const resources = stay(klass, [{ location: { reference: '#l' } }], {
      contained: [{ resourceType: 'Location', id: 'l', modifierExtension: mod, name: 'Ward 9' }],
    });
    const [e] = readEncounters(resources);
    expect(e).toMatchObject({ location: 'Ward 9', qualified: true });
    expect(shown(resources)).toMatchObject({ tab: 'Ward 9', qualified: true, csv: 'Ward 9 (check in EHR)' });
  });
});

describe('R4 Encounter.location.physicalType: levels by type, named widest first in the tab and the CSV alike', () => {
  const typed = (display: string, code: string, start = hrs(-10)) => ({
    location: { display },
    physicalType: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code }] },
    period: { start },
  });

  it('room and bed given by number: "Room 12, Bed 3" in the tab and the CSV', () => {
    const cell = shown(stay(VERSIONS[2][1], [typed('12', 'ro'), typed('3', 'bd')]));
    expect(cell).toMatchObject({ tab: 'Room 12, Bed 3', csv: 'Room 12, Bed 3' });
  });

  it('a bed listed before its ward (a later move) is still named after the ward', () => {
    const cell = shown(stay(VERSIONS[2][1], [typed('3', 'bd', hrs(-1)), typed('Ward 5 North', 'wa', hrs(-50)), typed('12', 'ro', hrs(-1))]));
    expect(cell).toMatchObject({ tab: 'Room 12, Bed 3', detail: 'Ward 5 North', csv: 'Ward 5 North, Room 12, Bed 3' });
  });
});
