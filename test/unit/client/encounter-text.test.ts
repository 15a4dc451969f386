import { afterEach, describe, expect, it } from 'vitest';
import { encounterText } from '../../../client/features/patient-details/encounter-text.js';
import { setLanguage } from '../../../client/shared/i18n/t.js';
import type { EncounterView } from '../../../contract/patients.js';

/** A stay as the details list it: place and kind, then dates, class and status, each said once. */
const stay = (extra: Partial<EncounterView>): EncounterView =>
  ({
    type: null,
    class: 'inpatient',
    status: 'in-progress',
    start: '2026-12-01',
    end: null,
    location: 'Ward 5',
    room: null,
    bed: null,
    ...extra,
  }) as EncounterView;

describe('a stay in the details', () => {
  afterEach(() => setLanguage('en'));

  it('says "on leave" once, with the place, not again as the status', () => {
    const { title, detail } = encounterText(stay({ status: 'onleave', onLeave: true }));
    expect(title).toBe('Ward 5 (on leave)');
    expect(`${title} ${detail}`.match(/on leave/g)).toHaveLength(1);
  });

  it('on leave from no named place: said once, in the title', () => {
    const { title, detail } = encounterText(stay({ status: 'onleave', onLeave: true, location: null }));
    expect(title).toBe('On leave (place not recorded)');
    expect(detail).not.toMatch(/on leave/);
  });

  it('any other status is said in the detail line', () => {
    const { title, detail } = encounterText(stay({}));
    expect(title).toBe('Ward 5');
    expect(detail).toMatch(/in progress/i);
  });
});
