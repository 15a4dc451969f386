import { describe, expect, it } from 'vitest';
import { catalogs } from '../../../client/shared/i18n/catalogs';
import { languageFor } from '../../../client/shared/i18n/t';

// A placeholder is `{name}` or a plural block `{name, plural, …}`: a language may inflect a count English does not.
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]))].sort();
const pluralBlocks = (text: string) => [...text.matchAll(/\{\w+, plural,((?:\s*(?:=\d+|\w+)\s*\{[^{}]*\})+)\s*\}/g)].map((m) => m[1]);
const locales = { en: 'en', ru: 'ru', 'zh-CN': 'zh-CN', 'zh-TW': 'zh-TW' } as const;

describe('message catalogs', () => {
  const english = catalogs.en;
  it.each(['zh-CN', 'zh-TW', 'ru'] as const)('%s has every English key, no other, with the same placeholders, translated', (language) => {
    const catalog = catalogs[language] as Record<string, string>;
    expect(Object.keys(catalog).sort()).toEqual(Object.keys(english).sort());
    for (const [key, text] of Object.entries(english)) {
      expect(placeholders(catalog[key]), key).toEqual(placeholders(text));
      expect(catalog[key].trim(), key).not.toBe('');
    }
    const untranslated = Object.entries(english).filter(
      ([key, text]) => /[a-z]{4,}/.test(text.replace(/\{\w+\}|https?:\S+|FHIR|CSV|SpO2|BMI|EHR/g, '')) && catalog[key] === text,
    );
    expect(untranslated.map(([key]) => key)).toEqual([]);
  });

  it.each(Object.keys(locales) as (keyof typeof locales)[])('%s gives each count every plural form its language needs, and no other', (language) => {
    const needed = new Intl.PluralRules(locales[language]).resolvedOptions().pluralCategories.slice().sort();
    const catalog = catalogs[language] as Record<string, string>;
    const counted = Object.entries(catalog).filter(([, text]) => text.includes(', plural,'));
    expect(counted.length).toBeGreaterThan(0);
    for (const [key, text] of counted) {
      const blocks = pluralBlocks(text);
      expect(blocks.length, key).toBeGreaterThan(0);
      for (const forms of blocks) {
        const categories = [...forms.matchAll(/(\w+)\s*\{([^{}]*)\}/g)].map((m) => m[1]).sort();
        expect(categories, key).toEqual(needed);
        for (const [, , form] of forms.matchAll(/(\w+)\s*\{([^{}]*)\}/g)) expect(form.trim(), key).not.toBe('');
      }
    }
  });

  it('keys FHIR codes in lower case, as the tab looks them up', () => {
    expect(Object.keys(english).filter((key) => key.startsWith('code.') && key !== key.toLowerCase())).toEqual([]);
  });

  it('picks the language from a Teams or browser locale', () => {
    expect(languageFor('zh-cn')).toBe('zh-CN');
    expect(languageFor('zh-SG')).toBe('zh-CN');
    expect(languageFor('zh-tw')).toBe('zh-TW');
    expect(languageFor('zh-HK')).toBe('zh-TW');
    expect(languageFor('ru-RU')).toBe('ru');
    expect(languageFor('en-GB')).toBe('en');
    expect(languageFor('de-DE')).toBe('en');
    expect(languageFor(undefined)).toBe('en');
  });
});
