import { afterEach, describe, expect, it } from 'vitest';
import { cellText, showCell } from '../../../client/shared/cells';
import { setLanguage } from '../../../client/shared/i18n/t';

const ok = (value: unknown) => ({ status: 'ok' as const, value });

describe('the location cell', () => {
  afterEach(() => setLanguage('en'));

  it('shows the room and bed the server chose once: the detail never repeats a room or bed, in any word the server reads them from', () => {
    expect(cellText('location', ok({ location: '4 West, Rm 412, Bd B', room: '412', bed: 'B' }))).toEqual({
      text: 'Room 412, Bed B',
      detail: '4 West',
    });
    expect(cellText('location', ok({ location: 'Ward 5 Room 12 Bed 3', room: '12', bed: '3' }))).toEqual({
      text: 'Room 12, Bed 3',
      detail: 'Ward 5',
    });
    expect(cellText('location', ok({ location: 'Ward 5, Room: 40', room: '40', bed: null }))).toEqual({ text: 'Room 40', detail: 'Ward 5' });
    // "Bedford" is no bed.
    expect(cellText('location', ok({ location: 'Bedford Wing, Room 40', room: '40', bed: null }))).toEqual({
      text: 'Room 40',
      detail: 'Bedford Wing',
    });
  });

  it('a patient on leave (Encounter.status onleave) keeps the place, and the text says so in words', () => {
    expect(cellText('location', ok({ location: 'Ward 5, Room 12, Bed 3', room: '12', bed: '3', onLeave: true }))).toEqual({
      text: 'Room 12, Bed 3 (on leave)',
      detail: 'Ward 5',
    });
    expect(cellText('location', ok({ location: 'Ward 5', room: null, bed: null, onLeave: true }))).toEqual({ text: 'Ward 5 (on leave)' });
    expect(cellText('location', ok({ location: 'Ward 5', room: null, bed: null, onLeave: true, qualified: true }))).toEqual({
      text: 'Ward 5 (on leave)',
      qualified: true,
    });
    // Another language says it in its own words.
    setLanguage('ru');
    expect(cellText('location', ok({ location: 'Ward 5', room: null, bed: null, onLeave: true })).text).toBe('Ward 5 (в отпуске)');
  });

  it('a current place the EHR does not name (location "", no room or bed) is "not available", never "none recorded"', () => {
    expect(showCell('location', ok({ location: '', room: null, bed: null }))).toEqual({ status: 'unavailable', text: 'Not available' });
    expect(showCell('location', ok({ location: '  ', room: null, bed: null })).status).toBe('unavailable');
  });
});
