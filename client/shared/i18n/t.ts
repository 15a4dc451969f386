import { en, type MessageKey } from './en';

export type Language = 'en' | 'zh-CN' | 'zh-TW' | 'ru';
type Catalog = Record<MessageKey, string>;

/**
 * English, the fallback for every key: the first download's words (`en`), and the on-demand
 * screens' (`en-screens.ts`) once `loadScreenWords` has them; the other languages are fetched whole.
 */
export const english: Partial<Catalog> = { ...en };

let screenWords: Promise<void> | null = null;
/**
 * Fetches the English words of the screens fetched on demand, once; `onDemand` waits for them with
 * each screen. Not fetched (the network dropped): it fails, and a later call tries again.
 */
export function loadScreenWords(): Promise<void> {
  return (screenWords ??= import('./en-screens').then(
    (m) => void Object.assign(english, m.enScreens),
    (error: unknown) => {
      screenWords = null;
      throw error;
    },
  ));
}

// The other catalogs are fetched on demand (each one its own chunk), before the first render in
// that language: a user downloads the words of their own language only.
const loaders: Record<Exclude<Language, 'en'>, () => Promise<Catalog>> = {
  ru: () => import('./ru').then((m) => m.ru),
  'zh-CN': () => import('./zh-CN').then((m) => m.zhCN),
  'zh-TW': () => import('./zh-TW').then((m) => m.zhTW),
};
const loaded: Partial<Record<Language, Partial<Catalog>>> = { en: english };

/** Makes a catalog available without fetching it (the tests' full set of catalogs does this). */
export function addCatalog(language: Language, catalog: Catalog): void {
  loaded[language] = catalog;
  if (language === 'en') Object.assign(english, catalog);
}

/**
 * Fetches the catalog of a language, once. A catalog that cannot be fetched (the network dropped)
 * leaves the words English rather than leaving the tab blank; a later call tries again.
 */
export async function loadLanguage(language: Language): Promise<void> {
  if (language === 'en' || loaded[language]) return;
  try {
    loaded[language] = await loaders[language]();
  } catch {
    // English stays: `setLanguage` speaks only a language whose catalog is here.
  }
}

/** Fetches the catalog of the locale tag's language, then sets the locale (`setLocale`): call before the first render. */
export async function loadLocale(tag: string | null | undefined): Promise<void> {
  await loadLanguage(languageFor(tag));
  setLocale(tag);
}

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

/** Set once at start, before the first render: the language of the locale tag (`app.locale`, `?lang=`, the browser's), and the tag for formats (see `loadLocale`). */
export function setLocale(tag: string | null | undefined): void {
  setLanguage(languageFor(tag), tag);
}

/**
 * Set once at start, before the first render (see `setLocale`), once the language's catalog is
 * here (`loadLanguage`); a language whose catalog is not here is spoken in English.
 */
export function setLanguage(language: Language, tag?: string | null): void {
  active = loaded[language] ? language : 'en';
  locale = formattingLocale(tag, active);
  if (typeof document === 'undefined') return;
  document.documentElement.lang = active;
  document.title = t('app.title');
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
  const message: unknown = loaded[active]?.[key] ?? english[key];
  return formatMessage(typeof message === 'string' ? message : String(key), params, locale);
}
