import { describe, expect, it } from 'vitest';
import { cellText } from '../../../client/shared/cells';
import { readEncounters } from '../../../server/ehr/clinical/encounter.js';

/**
 * A room word right after another word is part of a place's name ("Operating Room 3"): the room is
 * not split from it, so the tab never shows "Room 3" with "Operating" as the ward. Encounter.location
 * is the same in DSTU2, STU3 and R4; R4 adds physicalType.
 */
const now = Date.parse('2026-06-15T12:00:00Z');
const ok = (value: unknown) => ({ status: 'ok' as const, value });

describe.each(['DSTU2', 'STU3', 'R4'] as const)('a place named with a room word in %s', (release) => {
  const encounter = (display: string, physicalType?: unknown) => ({
    resourceType: 'Encounter',
    status: 'in-progress',
    period: { start: '2026-06-14T08:00:00Z' },
    location: [{ location: { display }, status: 'active', ...(physicalType && release === 'R4' ? { physicalType } : {}) }],
  });
  const shown = (display: string, physicalType?: unknown) => {
    const [view] = readEncounters([encounter(display, physicalType)], now);
    return { view, cell: cellText('location', ok(view)) };
  };

  it.each(['Operating Room 3', 'Recovery Room 2', 'Delivery Room B'])('%s is shown whole', (name) => {
    const { view, cell } = shown(name);
    expect(view).toMatchObject({ location: name, room: null });
    expect(cell).toEqual({ text: name });
  });

  it('a room of that name given as a room (physicalType ro) is shown whole too, never "Room Operating Room 3"', () => {
    const { cell } = shown('Operating Room 3', { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'ro' }] });
    expect(cell.text).toBe('Operating Room 3');
    expect(cell.detail).toBeUndefined();
  });

  it.each([
    ['Ward 5 Rm 12', '12', 'Room 12', 'Ward 5'],
    ['ICU, Room 4', '4', 'Room 4', 'ICU'],
    ['Room 412, Bed B', '412', 'Room 412, Bed B', undefined],
  ])('%s still gives the room', (name, room, text, detail) => {
    const { view, cell } = shown(name);
    expect(view.room).toBe(room);
    expect(cell).toEqual({ text, ...(detail ? { detail } : {}) });
  });
});
