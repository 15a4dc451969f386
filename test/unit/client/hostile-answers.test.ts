import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../client/shared/api/api-client';
import { readListSummaries, readListView } from '../../../client/features/lists/api/read-list-answers';
import { cellText, columnLabel, showCell, sortValue } from '../../../client/shared/cells';
import { allColumns } from '../../../client/shared/columns';
import { errorText } from '../../../client/shared/error-text';
import type { MessageKey } from '../../../client/shared/i18n/en';
import { catalogs } from '../../../client/shared/i18n/catalogs';
import { setLanguage, t } from '../../../client/shared/i18n/t';

// Columns with a cell of their own (name, MRN, birth date and gender come with the row).
const cellColumns = allColumns.filter((c) => !['name', 'mrn', 'birthDate', 'gender'].includes(c));

/** Cells no server of this app sends, as a buggy or newer one might. */
const hostileCells: unknown[] = [
  null,
  undefined,
  'ok',
  42,
  true,
  [],
  [{ status: 'ok', value: 1 }],
  {},
  { status: 'fine', value: { value: { value: 80, unit: '/min' } } },
  { status: 'OK', value: 'x' },
  { status: 'ok' },
  { status: 'ok', value: null },
  { status: 'ok', value: { weird: 1 } },
  { status: 'ok', value: 'a string' },
  { status: 'ok', value: 12 },
  { status: 'ok', value: [] },
  { status: 'ok', value: [null, 'Asthma', 3] },
  { status: 'ok', value: { value: 'eighty', time: { text: 7 } } },
  { status: 'ok', value: { value: { value: Number.NaN }, time: 'yesterday' } },
  { status: 'ok', value: { systolic: 'high', diastolic: { value: '90' } } },
  { status: 'ok', value: { text: { nested: true }, authorName: ['x'] } },
  { status: 'ok', value: { location: { ward: 4 }, room: {}, bed: [] } },
  { status: 'ok', value: { text: 20260101, epochMs: 'soon' } },
  { status: 'ok', value: Object.create(null) },
];

describe('list cells from a hostile server', () => {
  afterEach(() => setLanguage('en'));

  it.each(cellColumns)('%s: a cell of a shape the tab does not know is "Not available", and never throws', (column) => {
    // A care provider is a name: text (or a number) is what it holds.
    const fitting = column === 'careProvider' ? ['a string', 12] : [];
    for (const cell of hostileCells.filter((c) => !fitting.includes((c as { value?: unknown } | null)?.value as string))) {
      const shown = showCell(column, cell);
      expect(shown, `${column} ${JSON.stringify(cell)}`).toEqual({ status: 'unavailable', text: 'Not available' });
      expect(sortValue(column, cell)).toBeNull();
    }
  });

  it('shows a column the tab does not know by its id, with every cell "Not available"', () => {
    expect(columnLabel('vitalsScore')).toBe('vitalsScore');
    expect(columnLabel('constructor')).toBe('constructor');
    expect(columnLabel('field:anything')).toBe('field:anything');
    expect(cellText('vitalsScore', { status: 'ok', value: { value: { value: 3, unit: '' } } })).toEqual({ text: 'Not available' });
    expect(cellText('__proto__', { status: 'ok', value: 'x' })).toEqual({ text: 'Not available' });
    // "None recorded" is still what it says.
    expect(cellText('vitalsScore', { status: 'none' })).toEqual({ text: 'None recorded' });
    setLanguage('ru');
    expect(columnLabel('vitalsScore')).toBe('vitalsScore');
    expect(cellText('vitalsScore', { status: 'ok', value: 3 }).text).toBe(catalogs.ru['value.unavailable']);
    setLanguage('zh-TW');
    expect(cellText('vitalsScore', null).text).toBe(catalogs['zh-TW']['value.unavailable']);
  });

  it("shows a Manual-mode field's text or number, and anything else there as not available", () => {
    expect(cellText('field:ward', { status: 'ok', value: '4 West' })).toEqual({ text: '4 West' });
    expect(cellText('field:score', { status: 'ok', value: 1234.5 })).toEqual({ text: '1,234.5' });
    expect(cellText('field:score', { status: 'ok', value: { weird: 1 } })).toEqual({ text: 'Not available' });
    expect(sortValue('field:score', { status: 'ok', value: 7 })).toBe(7);
  });

  it('still shows good cells next to hostile ones', () => {
    expect(cellText('conditions', { status: 'ok', value: [{ display: 'Asthma' }, { display: null }] })).toEqual({ text: 'Asthma, Name not given' });
    expect(cellText('bloodPressure', { status: 'ok', value: { systolic: { value: 120, unit: 'mmHg' }, diastolic: null, time: null } }).text).toBe(
      '120/? mmHg',
    );
    expect(cellText('latestNote', { status: 'ok', value: { text: 'Seen', authorName: 'Dr. A' } })).toEqual({ text: 'Seen', detail: 'Dr. A' });
    // A note whose author the app cannot vouch for reads as such in the list, whatever name it carries.
    expect(cellText('latestNote', { status: 'ok', value: { text: 'Seen', authorName: '(not verified…)', authorUnverified: 'altered' } })).toEqual({
      text: 'Seen',
      detail: 'Author not verified: changed outside Patients',
    });
    expect(cellText('careProvider', { status: 'ok', value: 'Dr. B' })).toEqual({ text: 'Dr. B' });
  });

  it('gives a message key no catalog has in English, or as the key itself, instead of failing', () => {
    setLanguage('ru');
    expect(t('column.vitalsScore' as MessageKey)).toBe('column.vitalsScore');
    expect(t('app.retry')).toBe('Повторить');
  });
});

describe('a list answer from a hostile server', () => {
  it('keeps what can be shown and drops what cannot', () => {
    const view = readListView({
      id: 'l1',
      name: 'Rounds',
      version: 3,
      columns: ['name', 'field:anything', 42, null, 'heartRate', 'heartRate'],
      rows: [
        {
          patientId: 'p1',
          displayName: 'Ada Lovelace',
          mrn: { value: 'M1' },
          birthDate: 19121210,
          gender: ['female'],
          available: 'yes',
          cells: 'none',
          sortName: 7,
          deceased: { date: 19790711 },
          recordNotice: { kind: 'replaced', replacedById: ['x'], replacedByName: 'Ada King' },
        },
        { displayName: 'no id' },
        null,
        'p2',
        {
          patientId: 'p3',
          displayName: { first: 'Grace' },
          recordNotice: { kind: 'deleted' },
          cells: { heartRate: { status: 'ok', value: { value: { value: 80, unit: '/min' }, time: null } } },
        },
        { patientId: 'p3', displayName: 'again' },
      ],
      ehrError: { code: 5, message: { text: 'x' } },
    });
    expect(view.columns).toEqual(['name', 'field:anything', 'heartRate']);
    expect(view.rows).toEqual([
      // A death whose date is not text is still a death; a sort name that is not text is left out; so is
      // a notice of a kind this tab does not know (the record reads as in use), and its parts that are not text.
      {
        patientId: 'p1',
        displayName: 'Ada Lovelace',
        mrn: null,
        birthDate: '19121210',
        gender: null,
        deceased: { date: null },
        recordNotice: { kind: 'replaced', replacedById: null, replacedByName: 'Ada King' },
        available: true,
        cells: {},
      },
      {
        patientId: 'p3',
        displayName: null,
        mrn: null,
        birthDate: null,
        gender: null,
        deceased: null,
        recordNotice: null,
        available: true,
        cells: { heartRate: { status: 'ok', value: { value: { value: 80, unit: '/min' }, time: null } } },
      },
    ]);
    expect(view.ehrError).toEqual({ code: 'ehr_error', message: '' });
  });

  it('is an error in plain words when it is not a list at all', () => {
    for (const raw of [null, 'Rounds', [], { id: 'l1', rows: 'many' }]) {
      const error = (() => {
        try {
          readListView(raw);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ApiError);
      expect(errorText(error)).toBe("The server's answer could not be read. Try again in a moment.");
    }
  });

  it("reads the team's lists, leaving out entries without an id", () => {
    expect(
      readListSummaries([
        { id: 'l1', name: 'Rounds', patientCount: 3, isDefault: true },
        { name: 'no id' },
        null,
        { id: 'l2', name: { x: 1 }, patientCount: '4' },
      ]),
    ).toEqual([
      { id: 'l1', name: 'Rounds', patientCount: 3, isDefault: true },
      { id: 'l2', name: 'l2', patientCount: 0, isDefault: false },
    ]);
  });

  it('keeps that a list has rows the server does not read (its count is a least number), and only when the server says so', () => {
    expect(
      readListSummaries([
        { id: 'l1', name: 'Imported', patientCount: 5000, rowsUnread: true, isDefault: false },
        { id: 'l2', name: 'Rounds', patientCount: 3, rowsUnread: 'yes', isDefault: false },
      ]),
    ).toEqual([
      { id: 'l1', name: 'Imported', patientCount: 5000, rowsUnread: true, isDefault: false },
      { id: 'l2', name: 'Rounds', patientCount: 3, isDefault: false },
    ]);
  });
});
