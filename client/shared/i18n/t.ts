import { en, type MessageKey } from './en';
import { ru } from './ru';
import { zhCN } from './zh-CN';
import { zhTW } from './zh-TW';

export type Language = 'en' | 'zh-CN' | 'zh-TW' | 'ru';
export const catalogs: Record<Language, Record<MessageKey, string>> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW, ru };

/** The app's language for a locale tag (Teams' `app.locale`, the browser's, or `?lang=`). */
export function languageFor(locale: string | null | undefined): Language {
  const tag = (locale ?? '').toLowerCase();
  if (/^zh-(tw|hk|mo|hant)/.test(tag)) return 'zh-TW';
  if (tag.startsWith('zh')) return 'zh-CN';
  if (tag.startsWith('ru')) return 'ru';
  return 'en';
}

let active: Language = 'en';
let locale: string = 'en';

/**
 * The locale dates, times, numbers and plurals are written in: the Teams (or browser) locale tag
 * when it is of the app's language, so an en-GB user keeps 24-hour times although the words are
 * the "en" catalog's; else the language itself (a de-DE user reads English words, English dates).
 */
function formattingLocale(tag: string | null | undefined, language: Language): string {
  if (!tag || languageFor(tag) !== language || !tag.toLowerCase().startsWith(language.slice(0, 2))) return language;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return Intl.DateTimeFormat.supportedLocalesOf(canonical).length ? canonical : language;
  } catch {
    return language;
  }
}

/** Set once at start, before the first render: the language of the locale tag (`app.locale`, `?lang=`, the browser's), and the tag for formats. */
export function setLocale(tag: string | null | undefined): void {
  setLanguage(languageFor(tag), tag);
}

/** Set once at start, before the first render (see `setLocale`). */
export function setLanguage(language: Language, tag?: string | null): void {
  active = language;
  locale = formattingLocale(tag, language);
  if (typeof document === 'undefined') return;
  document.documentElement.lang = language;
  document.title = catalogs[language]['app.title'];
}

/** The active language (of the words). */
export const currentLanguage = (): Language => active;

/** The user's locale, for Intl formatting of dates, times, numbers and plurals ("en-GB", "ru-RU", "zh-CN"). */
export const currentLocale = (): string => locale;

// `{count, plural, one {# patient} other {# patients}}`: the form Intl.PluralRules picks for the
// count in the user's locale (`=0` exact forms first), `#` being the count in the locale's digits.
const pluralBlock = /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{[^{}]*\})+)\s*\}/g;
const pluralForm = /(=\d+|zero|one|two|few|many|other)\s*\{([^{}]*)\}/g;

function plural(name: string, forms: string, params: Record<string, string | number>, locale: string): string {
  const count = Number(params[name]);
  if (params[name] === undefined || !Number.isFinite(count)) return `{${name}}`;
  const found = new Map([...forms.matchAll(pluralForm)].map((m) => [m[1], m[2]]));
  const form = found.get(`=${count}`) ?? found.get(new Intl.PluralRules(locale).select(count)) ?? found.get('other') ?? '';
  return form.replace(/#/g, count.toLocaleString(locale));
}

/** A catalog message with its plural forms chosen for the locale and `{name}` placeholders filled in. */
export function formatMessage(text: string, params: Record<string, string | number>, locale: string): string {
  return text
    .replace(pluralBlock, (_, name: string, forms: string) => plural(name, forms, params, locale))
    .replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/**
 * The message for a key in the active language, with plural forms for the user's locale and
 * `{name}` placeholders filled in. A key no catalog has (a code or column made up at run time)
 * falls back to English, then to the key itself.
 */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const message: unknown = catalogs[active][key] ?? catalogs.en[key];
  return formatMessage(typeof message === 'string' ? message : String(key), params, locale);
}
