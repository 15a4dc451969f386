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

/** Set once at start, before the first render. */
export function setLanguage(language: Language): void {
  active = language;
  if (typeof document === 'undefined') return;
  document.documentElement.lang = language;
  document.title = catalogs[language]['app.title'];
}

/** The active language, for Intl formatting of dates and numbers. */
export const currentLanguage = (): Language => active;

/**
 * The message for a key in the active language, with `{name}` placeholders filled in. A key no
 * catalog has (a code or column made up at run time) falls back to English, then to the key itself.
 */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const message: unknown = catalogs[active][key] ?? catalogs.en[key];
  const text = typeof message === 'string' ? message : String(key);
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
