import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { readListStream, readListView } from '../../../client/features/lists/api/read-list-answers';
import { ListLimitNotice } from '../../../client/features/lists/ListLimitNotice';
import { setLanguage } from '../../../client/shared/i18n/t';

// A list whose rows were added outside the app (in SharePoint) past the 500 patients a list shows
// comes with `beyondLimit`, how many more it names: the tab reads it, and says so above the list.

const head = { id: 'l1', name: 'Ward 5', columns: ['name'], version: 3 };
const row = { patientId: 'p1', displayName: 'Ada Lovelace', mrn: 'M1', birthDate: null, gender: null, available: true, cells: {} };

/** The notice as rendered (its text only), for a list with that `beyondLimit`. */
const notice = (beyondLimit?: number) =>
  renderToStaticMarkup(createElement(FluentProvider, { theme: webLightTheme }, createElement(ListLimitNotice, { list: { beyondLimit } })))
    .replace(/<style[^>]*>[^<]*<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

afterEach(() => setLanguage('en'));

describe('a list holding more patients than it shows', () => {
  it('is read with how many more the list names, from the answer and from its line-by-line form', async () => {
    expect(readListView({ ...head, beyondLimit: 37, rows: [row] }).beyondLimit).toBe(37);
    const lines = [{ list: { ...head, beyondLimit: 37 } }, { row }, { end: {} }].map((item) => `${JSON.stringify(item)}\n`).join('');
    const streamed = await readListStream(new Response(lines).body!);
    expect(streamed).toMatchObject({ beyondLimit: 37, rows: [{ patientId: 'p1' }] });
  });

  it('reads no beyondLimit from a list within the limit, or from a value that is not a count', () => {
    for (const beyondLimit of [undefined, 0, -3, 1.5, '37', null, Number.POSITIVE_INFINITY]) {
      expect(readListView({ ...head, beyondLimit, rows: [row] }), String(beyondLimit)).not.toHaveProperty('beyondLimit');
    }
  });

  it('says above the list how many more were added outside the app, and what to do', () => {
    expect(notice(37)).toBe(
      'Not every patient on this list is shown This list holds more patients than the 500 a list can show: ' +
        '37 more were added outside the app (in SharePoint) and are not shown. Take patients off the list to show them.',
    );
    expect(notice(1)).toContain('1 more was added outside the app (in SharePoint) and is not shown.');
    expect(notice(1200)).toContain('1,200 more were added');
  });

  it('shows nothing for a list within the limit', () => {
    expect(notice(undefined)).toBe('');
  });

  it("says it in the user's language, with the count's plural form", () => {
    setLanguage('ru');
    expect(notice(3)).toContain('ещё 3 пациента добавлены вне приложения (в SharePoint) и не показаны');
    expect(notice(21)).toContain('ещё 21 пациент добавлен вне приложения (в SharePoint) и не показан');
    setLanguage('zh-CN');
    expect(notice(37)).toContain('另有 37 位是在应用外（在 SharePoint 中）添加的');
  });
});
