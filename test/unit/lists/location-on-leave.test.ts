import { describe, expect, it } from 'vitest';
import { cellText } from '../../../server/features/lists/cell-text.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';

/** A patient on leave (Encounter.status onleave, DSTU2, STU3 and R4) keeps the place; the CSV says "on leave" beside it, as the tab does. */
const row = (value: unknown): ListRow => ({
  patientId: 'p1',
  displayName: 'Ann Doe',
  mrn: null,
  birthDate: null,
  gender: null,
  available: true,
  cells: { location: { status: 'ok', value } } as ListRow['cells'],
});

describe('the CSV location of a patient on leave', () => {
  it('keeps the place and says "on leave"', () => {
    expect(cellText('location', row({ location: 'Ward 5, Room 12, Bed 3', room: '12', bed: '3', onLeave: true }))).toBe(
      'Ward 5, Room 12, Bed 3 (on leave)',
    );
    expect(cellText('location', row({ location: null, room: '12', bed: '3', onLeave: true }))).toBe('Room 12, Bed 3 (on leave)');
  });

  it('with a qualified place, both marks', () => {
    expect(cellText('location', row({ location: 'Ward 5', room: null, bed: null, onLeave: true, qualified: true }))).toBe(
      'Ward 5 (on leave, check in EHR)',
    );
  });

  it('a patient in the bed has no mark', () => {
    expect(cellText('location', row({ location: 'Ward 5', room: null, bed: null }))).toBe('Ward 5');
  });
});
