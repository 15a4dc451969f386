import { afterEach, describe, expect, it } from 'vitest';
import { errorCodes } from '../../../contract/errors';
import { ApiError } from '../../../client/shared/api/api-client';
import { errorText, messageOfCode } from '../../../client/shared/error-text';
import { catalogs } from '../../../client/shared/i18n/catalogs';
import { setLanguage, type Language } from '../../../client/shared/i18n/t';

const languages: Language[] = ['en', 'zh-CN', 'zh-TW', 'ru'];

describe('error texts', () => {
  afterEach(() => setLanguage('en'));

  it('has words in every language for every problem code of the contract', () => {
    // The server builds every problem from the contract's codes (its type allows no other).
    const missing = errorCodes.filter((code) => !Object.hasOwn(messageOfCode, code));
    expect(missing, 'codes without words in client/shared/error-text.ts').toEqual([]);
    for (const language of languages) {
      const catalog = catalogs[language] as Record<string, string>;
      const untold = errorCodes.filter((code) => !catalog[messageOfCode[code]]?.trim());
      expect(untold, `codes without a ${language} text`).toEqual([]);
    }
  });

  it('tells the user about the newer codes in plain words, in every language', () => {
    const shown = (code: string) => errorText(new ApiError(400, code, 'English detail', 'req-1'));
    setLanguage('ru');
    expect(shown('invalid_page')).toBe('Эта страница результатов больше недействительна. Выполните поиск заново.');
    expect(shown('throttled')).toBe('Microsoft 365 сейчас перегружен. Попробуйте чуть позже.');
    setLanguage('zh-CN');
    expect(shown('team_site_not_found')).toBe('找不到存放此团队列表的 SharePoint 网站。');
    setLanguage('zh-TW');
    expect(shown('too_much_contention')).toBe('有許多人正在同時變更此內容。請稍後再試一次。');
    setLanguage('en');
    // English keeps the server's own words, which carry details.
    expect(shown('malformed_path')).toBe('English detail');
  });

  it('shows an unknown code as the general error with the request id, in every language', () => {
    const error = new ApiError(418, 'brand_new_problem', 'Something only a newer tab knows about.', 'req-7f3a');
    expect(errorText(error)).toBe('The server could not handle the request. Try again in a moment. Reference: req-7f3a');
    setLanguage('zh-CN');
    expect(errorText(error)).toBe('服务器无法处理该请求。请稍后重试。 参考编号：req-7f3a');
    setLanguage('zh-TW');
    expect(errorText(error)).toBe('伺服器無法處理此要求。請稍後再試。 參考編號：req-7f3a');
    setLanguage('ru');
    expect(errorText(error)).toBe('Сервер не смог обработать запрос. Попробуйте чуть позже. Код запроса: req-7f3a');
    // Names of an object's own machinery are codes like any other.
    setLanguage('en');
    expect(errorText(new ApiError(400, 'constructor', 'x', 'req-8'))).toBe(
      'The server could not handle the request. Try again in a moment. Reference: req-8',
    );
    expect(errorText(new ApiError(400, '__proto__', 'x'))).toBe('The server could not handle the request. Try again in a moment.');
  });

  it('says how long to wait after too many requests, in every language', () => {
    const error = new ApiError(429, 'rate_limited', 'Too many requests. Try again in 12 seconds.', 'req-9', 12);
    expect(errorText(error)).toBe('Too many requests right now. Try again in 12 seconds.');
    setLanguage('ru');
    expect(errorText(error)).toBe('Сейчас слишком много запросов. Повторите попытку через 12 секунд.');
    setLanguage('zh-CN');
    expect(errorText(error)).toBe('当前请求过多。请在12秒钟后重试。');
    setLanguage('zh-TW');
    expect(errorText(error)).toBe('目前要求過多。請在 12 秒後再試一次。');
    setLanguage('en');
    expect(errorText(new ApiError(429, 'rate_limited', 'Too many requests.', 'req-9', 1))).toBe(
      'Too many requests right now. Try again in 1 second.',
    );
    expect(errorText(new ApiError(429, 'rate_limited', 'Too many requests.'))).toBe('Too many requests right now. Wait a moment, then try again.');
  });
});
