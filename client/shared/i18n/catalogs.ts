import { en, type MessageKey } from './en';
import { enScreens } from './en-screens';
import { ru } from './ru';
import { addCatalog, type Language } from './t';
import { zhCN } from './zh-CN';
import { zhTW } from './zh-TW';

/**
 * Every catalog at once, made available to `t` without fetching: for the tests, which compare
 * the languages and switch between them. The tab never imports this module (its first download
 * carries English only; `loadLanguage` fetches the user's own).
 */
export const catalogs: Record<Language, Record<MessageKey, string>> = { en: { ...en, ...enScreens }, 'zh-CN': zhCN, 'zh-TW': zhTW, ru };

for (const [language, catalog] of Object.entries(catalogs) as [Language, Record<MessageKey, string>][]) addCatalog(language, catalog);
