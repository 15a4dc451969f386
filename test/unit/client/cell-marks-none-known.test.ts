import { afterEach, describe, expect, it } from 'vitest';
import { cellText, sortValue } from '../../../client/shared/cells';
import { setLanguage } from '../../../client/shared/i18n/t';

/**
 * The tab's words for two clinical rules: a statement of no known allergy the EHR has not confirmed
 * (AllergyIntolerance DSTU2 `status`, STU3/R4 `verificationStatus` `unconfirmed`) keeps its mark, as
 * every allergy does; different current orders of one drug, counted by the server (`count`), read
 * "Heparin ×2", never a single "Heparin".
 */
const ok = (value: unknown) => ({ status: 'ok' as const, value });

describe('list cell marks', () => {
  afterEach(() => setLanguage('en'));

  it('says "No known allergies (unconfirmed)" for a statement the EHR has not confirmed, in every language', () => {
    const nka = ok([{ substance: null, criticality: null, noneKnown: true, verification: 'unconfirmed' }]);
    expect(cellText('allergies', nka).text).toBe('No known allergies (unconfirmed)');
    setLanguage('ru');
    expect(cellText('allergies', nka).text).toBe('Известных аллергий нет (не подтверждено)');
    setLanguage('en');
    expect(cellText('allergies', ok([{ substance: null, criticality: null, noneKnown: true, qualified: true }])).text).toBe(
      'No known allergies (check in EHR)',
    );
    expect(cellText('allergies', ok([{ substance: null, criticality: null, noneKnown: true }])).text).toBe('No known allergies');
  });

  it('counts different orders of one drug: "Heparin ×2", with its marks, and sorts by it', () => {
    const heparin = ok([
      { name: 'Heparin', status: 'active', count: 2 },
      { name: 'Warfarin', status: 'on-hold', count: 3 },
    ]);
    expect(cellText('medications', heparin).text).toBe('Heparin ×2, Warfarin ×3 (on hold)');
    expect(sortValue('medications', heparin)).toBe('heparin ×2, warfarin ×3 (on hold)');
    // A count the tab does not understand is no count.
    expect(cellText('medications', ok([{ name: 'Heparin', status: 'active', count: 'two' }])).text).toBe('Heparin');
    expect(cellText('medications', ok([{ name: 'Heparin', status: 'active', count: 1 }])).text).toBe('Heparin');
  });
});
