import { afterEach, describe, expect, it } from 'vitest';
import { multipleBirthText } from '../../../client/features/patient-details/multiple-birth.js';
import { setLanguage } from '../../../client/shared/i18n/t.js';

describe('a multiple birth beside the birth date in the details', () => {
  afterEach(() => setLanguage('en'));

  it('says the birth order when the EHR gives it, and only that it was a multiple birth otherwise', () => {
    expect(multipleBirthText(2)).toBe('multiple birth, birth order 2');
    expect(multipleBirthText(true)).toBe('multiple birth');
  });

  it('says nothing for a single birth or a value it cannot read', () => {
    for (const value of [undefined, null, false, 0, -1, 1.5, '2']) expect(multipleBirthText(value)).toBe('');
  });

  it('speaks the user language', () => {
    setLanguage('ru');
    expect(multipleBirthText(2)).toBe('многоплодные роды, порядок рождения 2');
  });
});
