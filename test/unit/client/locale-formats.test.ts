import { afterEach, describe, expect, it } from 'vitest';
import { shortTime } from '../../../client/shared/cells';
import { dateTime, numberText, shortDateTime } from '../../../client/shared/format';
import { currentLanguage, currentLocale, setLanguage, setLocale, t } from '../../../client/shared/i18n/t';

const at = new Date(Date.UTC(2026, 11, 3, 14, 5));
const now = new Date(Date.UTC(2026, 11, 4, 9, 0));

afterEach(() => setLanguage('en'));

describe('dates and times in the Teams locale', () => {
  it('gives an en-GB user 24-hour times and an en-US user 12-hour ones, with the same English words', () => {
    setLocale('en-GB');
    expect(currentLanguage()).toBe('en');
    expect(shortDateTime(at, now, 'UTC')).toBe('3 Dec, 14:05');
    expect(dateTime(at, 'UTC')).toBe('3 Dec 2026, 14:05');
    setLocale('en-US');
    expect(shortDateTime(at, now, 'UTC')).toBe('Dec 3, 2:05 PM');
    expect(dateTime(at, 'UTC')).toBe('Dec 3, 2026, 2:05 PM');
  });

  it('writes Russian and Chinese times as Intl gives them', () => {
    setLocale('ru-RU');
    expect(shortDateTime(at, now, 'UTC')).toBe('3 дек., 14:05');
    setLocale('zh-CN');
    expect(shortDateTime(at, now, 'UTC')).toBe('12月3日 14:05');
    setLocale('zh-TW');
    expect(shortDateTime(at, now, 'UTC')).toBe('12月3日 下午2:05');
  });

  it('adds the year only for another year', () => {
    setLocale('en-GB');
    expect(shortDateTime(new Date(Date.UTC(2025, 2, 2, 8, 0)), now, 'UTC')).toBe('2 Mar 2025, 08:00');
  });

  it('a reading time in the list follows the locale too (no AM/PM for en-GB)', () => {
    setLocale('en-GB');
    expect(shortTime({ text: '2026-12-03T14:05:00Z', epochMs: at.getTime() }, now)).not.toMatch(/AM|PM/);
    setLocale('en-US');
    expect(shortTime({ text: '2026-12-03T14:05:00Z', epochMs: at.getTime() }, now)).toMatch(/AM|PM/);
  });

  it('keeps the words of the app language and formats in it when the locale is of another language', () => {
    setLocale('de-DE');
    expect([currentLanguage(), currentLocale()]).toEqual(['en', 'en']);
    expect(numberText(1234.5)).toBe('1,234.5');
    setLocale('not a locale!');
    expect(currentLocale()).toBe('en');
    setLocale('ru-RU');
    expect(numberText(1234.5)).toBe('1\u00a0234,5');
  });
});

describe('counts with plural rules', () => {
  it('English: one and other', () => {
    setLocale('en-GB');
    expect(t('lists.deleteBody', { count: 1 })).toMatch(/^The list and its 1 patient will/);
    expect(t('lists.deleteBody', { count: 2 })).toMatch(/^The list and its 2 patients will/);
    expect(t('lists.deleteBody', { count: 0 })).toMatch(/^The list and its 0 patients will/);
    expect(t('setup.found', { version: 'R4', auth: 'open', count: 1, resources: 'Patient' })).toContain('1 resource type:');
    // What a screen reader hears after Refresh and as the filter settles.
    expect(t('lists.refreshed', { count: 1 })).toBe('List refreshed, 1 patient');
    expect(t('lists.refreshed', { count: 2 })).toBe('List refreshed, 2 patients');
    expect(t('lists.shownOf', { shown: 1, total: 1 })).toBe('1 of 1 patient shown');
    expect(t('lists.shownOf', { shown: 0, total: 3 })).toBe('0 of 3 patients shown');
  });

  it('Russian: one, few and many', () => {
    setLocale('ru-RU');
    expect(t('lists.deleteBody', { count: 1 })).toContain('1 пациент ');
    expect(t('lists.deleteBody', { count: 3 })).toContain('3 пациента ');
    expect(t('lists.deleteBody', { count: 5 })).toContain('5 пациентов ');
    expect(t('lists.deleteBody', { count: 21 })).toContain('21 пациент ');
    expect(t('search.addSelected', { count: 1, list: 'Обход' })).toBe('Добавить 1 выбранного пациента в Обход');
    expect(t('search.addSelected', { count: 5, list: 'Обход' })).toBe('Добавить 5 выбранных пациентов в Обход');
  });

  it('Chinese: one form', () => {
    setLocale('zh-CN');
    expect(t('lists.deleteBody', { count: 1 })).toContain('其中的 1 位患者');
    expect(t('lists.deleteBody', { count: 5 })).toContain('其中的 5 位患者');
  });

  it('writes the count in the locale digits and leaves a missing count visible', () => {
    setLocale('en-US');
    expect(t('lists.deleteBody', { count: 1200 })).toContain('1,200 patients');
    expect(t('lists.deleteBody')).toContain('{count}');
  });
});
