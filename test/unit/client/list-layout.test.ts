import { afterEach, describe, expect, it } from 'vitest';
import { listColumns } from '../../../contract/columns';
import { unavailableReasons } from '../../../contract/cells';
import { columnMaxWidth, emptyHint, emptyKind, isSortableColumn, TEXT_MAX_WIDTH } from '../../../client/features/lists/list-layout';
import { showCell } from '../../../client/shared/cells';
import { catalogs } from '../../../client/shared/i18n/catalogs';
import { setLanguage, t } from '../../../client/shared/i18n/t';

describe('the list table layout', () => {
  afterEach(() => setLanguage('en'));

  it('makes sort buttons of the columns with an order only', () => {
    const unordered = listColumns.filter((c) => !isSortableColumn(c));
    // Sets of entries and free text have no order a clinician could use.
    expect(unordered).toEqual(['conditions', 'allergies', 'medications', 'latestNote']);
    for (const column of ['name', 'mrn', 'birthDate', 'admissionDate', 'heartRate', 'bloodPressure', 'location', 'coverage', 'careProvider'])
      expect(isSortableColumn(column), column).toBe(true);
    // A column the tab does not know (a newer server's) and a Manual team's field still sort, by the text shown.
    expect(isSortableColumn('vitalsScore')).toBe(true);
    expect(isSortableColumn('field:score')).toBe(true);
  });

  it('caps every column, the text columns at the widest', () => {
    for (const column of listColumns) expect(columnMaxWidth(column), column).toBeLessThanOrEqual(TEXT_MAX_WIDTH);
    for (const column of ['conditions', 'allergies', 'medications', 'coverage', 'careProvider', 'latestNote', 'field:comment', 'unknown'])
      expect(columnMaxWidth(column), column).toBe(TEXT_MAX_WIDTH);
    expect(TEXT_MAX_WIDTH).toBe(280);
    // Short values have narrower caps, so a new list's columns fit a narrow pane (the browser test measures it).
    for (const column of ['mrn', 'gender', 'admissionDate']) expect(columnMaxWidth(column), column).toBeLessThan(TEXT_MAX_WIDTH);
  });

  it('tells "none recorded" from each reason a cell is not available, as the cell was sent', () => {
    expect(emptyKind('ok', { status: 'ok', value: 1 })).toBeNull();
    expect(emptyKind('none', { status: 'none' })).toBe('none');
    for (const reason of unavailableReasons) expect(emptyKind('unavailable', { status: 'unavailable', reason })).toBe(reason);
    // A reason this tab does not know, none at all, or a value it could not read: it says it could not read it.
    expect(emptyKind('unavailable', { status: 'unavailable', reason: 'brand-new' })).toBe('unreadable');
    expect(emptyKind('unavailable', { status: 'unavailable' })).toBe('unreadable');
    expect(emptyKind('unavailable', { status: 'ok', value: { nonsense: true } })).toBe('unreadable');
    expect(emptyKind('unavailable', null)).toBe('unreadable');
    expect(emptyKind('unavailable', 'ok')).toBe('unreadable');
    // As the list shows them: showCell's status, with the cell as sent.
    const sent = { status: 'unavailable', reason: 'not_offered' };
    expect(emptyKind(showCell('heartRate', sent).status, sent)).toBe('not_offered');
    const odd = { status: 'ok', value: 'fast' };
    expect(emptyKind(showCell('heartRate', odd).status, odd)).toBe('unreadable');
  });

  it('explains each kind of empty cell in its own sentence, in every language', () => {
    expect(t(emptyHint('none'))).toBe('The EHR has no record of this for the patient.');
    expect(t(emptyHint('not_offered'))).toBe('Not available: this source does not provide this information.');
    expect(t(emptyHint('failed'))).toMatch(/^Not available: the EHR could not give this just now/);
    const kinds = ['none', ...unavailableReasons, 'unreadable'] as const;
    for (const language of Object.keys(catalogs) as (keyof typeof catalogs)[]) {
      const sentences = kinds.map((kind) => catalogs[language][emptyHint(kind)]);
      expect(new Set(sentences).size, language).toBe(kinds.length);
      for (const sentence of sentences) expect(sentence, language).toMatch(/\S{2}/);
      if (language !== 'en')
        for (const kind of kinds) expect(catalogs[language][emptyHint(kind)], `${language} ${kind}`).not.toBe(catalogs.en[emptyHint(kind)]);
    }
  });
});
