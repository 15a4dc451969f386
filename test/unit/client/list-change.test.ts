import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../../contract/connection';
import { ApiError } from '../../../client/shared/api/api-client';
import { errorText } from '../../../client/shared/error-text';
import { setLanguage, type Language } from '../../../client/shared/i18n/t';
import { listChangeOf, listChangeText } from '../../../client/shared/list-change';
import { refusedUnconfirmed, sourceChangeWords } from '../../../client/features/setup/api/source-change';

const languages: Language[] = ['en', 'ru', 'zh-CN', 'zh-TW'];
/** A problem as the server sends it, in English, with its status from the contract. */
const problem = (status: number, code: string, message: string) => new ApiError(status, code, message, 'req-1');

afterEach(() => setLanguage('en'));

describe('a change of a list that met a colleague’s change', () => {
  it('says in words what the colleague did, for each problem code the lists routes answer with', () => {
    expect(listChangeText(problem(412, 'version_conflict', 'Someone else changed this in the meantime. Reload it and try again.'))).toBe(
      'A colleague changed this list; it now shows their change. Try again if still needed.',
    );
    expect(listChangeText(problem(412, 'precondition_failed', 'A condition of the request does not hold.'))).toBe(
      'A colleague changed this list; it now shows their change. Try again if still needed.',
    );
    expect(listChangeText(problem(404, 'patient_not_on_list', 'This patient is not on the list.'))).toMatch(
      /^This patient is no longer on this list\./,
    );
    expect(listChangeText(problem(404, 'list_not_found', 'There is no such list in this team.'))).toBe('This list was deleted by a colleague.');
    // A move's list_not_found while the list moved from is still there: the list moved to went.
    expect(listChangeText(problem(404, 'list_not_found', 'There is no such list in this team.'), true)).toBe(
      'The list you chose was deleted by a colleague, so the patient was not moved.',
    );
    expect(listChangeText(problem(404, 'patient_not_on_list', 'x'), true)).toMatch(/^This patient is no longer on this list\./);
    expect(listChangeText(problem(503, 'too_much_contention', 'Too many people are changing this at once; try again.'))).toBe(
      'Many people are changing this at once. Try again in a moment.',
    );
  });

  it('says it in every language, never the generic words', () => {
    const codes = ['version_conflict', 'patient_not_on_list', 'list_not_found', 'too_much_contention'];
    const generic = (language: Language) => {
      setLanguage(language);
      return errorText(problem(500, 'internal_error', 'x'));
    };
    for (const language of languages) {
      const general = generic(language);
      const texts = [
        ...codes.map((code) => listChangeText(problem(400, code, 'English detail'))),
        listChangeText(problem(404, 'list_not_found', 'English detail'), true),
      ];
      expect(new Set(texts).size, language).toBe(codes.length + 1);
      for (const text of texts) {
        expect(text, language).not.toBe('English detail');
        expect(text, language).not.toBe(general);
        expect(text.trim(), language).not.toBe('');
      }
    }
    setLanguage('ru');
    expect(listChangeText(problem(404, 'list_not_found', 'x'))).toBe('Этот список удалён коллегой.');
  });

  it('leaves other failures to the general error words', () => {
    const full = problem(409, 'list_full', 'A list holds at most 500 patients.');
    expect(listChangeOf(full)).toBeNull();
    expect(listChangeText(full)).toBe(errorText(full));
    expect(listChangeOf(new Error('boom'))).toBeNull();
    expect(listChangeText(new ApiError(0, 'network_error', 'The server could not be reached.'))).toBe('The server could not be reached.');
  });
});

describe('problem codes with the tab’s own words', () => {
  it('tells too_much_contention as many people changing it at once, in every language (English too, over the server’s words)', () => {
    const busy = problem(503, 'too_much_contention', 'Too many people are changing this at once; try again.');
    const expected: Record<Language, string> = {
      en: 'Many people are changing this at once. Try again in a moment.',
      ru: 'Сейчас это меняют многие одновременно. Повторите попытку через минуту.',
      'zh-CN': '有很多人正在同时更改此内容。请稍后重试。',
      'zh-TW': '有許多人正在同時變更此內容。請稍後再試一次。',
    };
    for (const language of languages) {
      setLanguage(language);
      expect(errorText(busy), language).toBe(expected[language]);
    }
  });

  it('never calls a 412 precondition_failed a version conflict, nor shows the API’s "confirm": true', () => {
    const refused = problem(
      412,
      'precondition_failed',
      'Setting a source is a change of source. Send the change again with "confirm": true to make it.',
    );
    for (const language of languages) {
      setLanguage(language);
      const text = errorText(refused);
      expect(text, language).not.toContain('confirm');
      expect(text, language).not.toBe(errorText(problem(412, 'version_conflict', 'x')));
    }
  });
});

describe('a setting refused as an unconfirmed change of source', () => {
  const unset: Connection = { mode: 'unset' };
  const ehr: Connection = { mode: 'ehr', url: 'https://ehr.example.org/fhir', name: 'EHR', fhirVersion: 'R4', auth: 'none', resources: [] };
  const refused = problem(412, 'precondition_failed', 'x');

  it('is asked again to confirm: only a 412 of a setting sent without confirm', () => {
    expect(refusedUnconfirmed(refused, { mode: 'manual' })).toBe(true);
    expect(refusedUnconfirmed(refused, { mode: 'manual', confirm: true })).toBe(false);
    expect(refusedUnconfirmed(problem(422, 'not_fhir', 'x'), { mode: 'manual' })).toBe(false);
    expect(refusedUnconfirmed(refused, undefined)).toBe(false);
  });

  it('says that the setting could not be read when the connection reads unset, and what changed otherwise', () => {
    expect(sourceChangeWords({ body: { mode: 'manual' }, impact: null }, unset)).toBe('setup.unknownSource');
    expect(sourceChangeWords({ body: { mode: 'manual' }, impact: null }, ehr)).toBe('setup.changedSince');
    expect(sourceChangeWords({ body: { mode: 'manual' }, impact: { lists: 1, patients: 2 } }, ehr)).toBe('setup.changeToManual');
    expect(
      sourceChangeWords({ body: { mode: 'ehr', url: 'https://other.example.org', name: 'Other' }, impact: { lists: 1, patients: 2 } }, ehr),
    ).toBe('setup.changeToEhr');
    expect(
      sourceChangeWords(
        { body: { mode: 'ehr', url: 'https://other.example.org', name: 'Other' }, impact: { lists: 1, patients: 2 } },
        { mode: 'manual' },
      ),
    ).toBe('setup.changeManualToEhr');
  });
});
