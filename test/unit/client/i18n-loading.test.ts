import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ru } from '../../../client/shared/i18n/ru';

// The tab carries English only and fetches the user's language before its first render. The unit
// project's setup makes every catalog available; a fresh copy of the module has English alone.
const freshI18n = async () => {
  vi.resetModules();
  return import('../../../client/shared/i18n/t');
};

describe('catalogs fetched on demand', () => {
  beforeEach(() => vi.resetModules());

  it('speaks English for a language whose catalog is not here yet, and the language once it is fetched', async () => {
    const i18n = await freshI18n();
    i18n.setLocale('ru-RU');
    expect(i18n.currentLanguage()).toBe('en');
    expect(i18n.currentLocale()).toBe('en');
    expect(i18n.t('app.retry')).toBe('Try again');

    await i18n.loadLocale('ru-RU');
    expect(i18n.currentLanguage()).toBe('ru');
    expect(i18n.currentLocale()).toBe('ru-RU');
    expect(i18n.t('app.retry')).toBe(ru['app.retry']);
  });

  it('makes the language asked for available, and no other', async () => {
    const i18n = await freshI18n();
    await Promise.all([i18n.loadLanguage('zh-TW'), i18n.loadLanguage('en')]);
    i18n.setLanguage('zh-TW');
    expect(i18n.currentLanguage()).toBe('zh-TW');
    i18n.setLanguage('zh-CN');
    expect(i18n.currentLanguage()).toBe('en');
  });
});
