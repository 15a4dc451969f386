import { describe, expect, it } from 'vitest';
import { offeredColumns, startingColumns } from '../../../client/features/lists/ColumnsDialog';
import { readListView } from '../../../client/features/lists/api/read-list-answers';
import { allColumns } from '../../../client/shared/columns';
import { fieldSortValue, listColumnLabel, showFieldCell } from '../../../client/shared/field-cells';
import { readListFields, type ListField } from '../../../client/shared/list-fields';

const ok = (value: unknown) => ({ status: 'ok', value });
const none = { status: 'none' };

/** Values sorted ascending the way the list sorts them: by the key, empty ones last. */
function sorted(field: ListField, values: unknown[]): unknown[] {
  const keyed = values.map((v) => ({ v, k: fieldSortValue(field, v === undefined ? none : ok(v)) }));
  keyed.sort((a, b) => (a.k === null || b.k === null ? (a.k === b.k ? 0 : a.k === null ? 1 : -1) : a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map((x) => x.v);
}

describe('sorting a team field column by its type', () => {
  it('orders numbers numerically, not as text', () => {
    expect(sorted({ id: 'w', label: 'Weight', type: 'number', unit: 'kg' }, [100, 9, undefined, 61.5])).toEqual([9, 61.5, 100, undefined]);
  });

  it('orders dates and date-times by time, whatever the zone written', () => {
    expect(sorted({ id: 'd', label: 'Admitted', type: 'date' }, ['2026-12-01', '2025-03-10', '2026-01-31'])).toEqual([
      '2025-03-10',
      '2026-01-31',
      '2026-12-01',
    ]);
    expect(sorted({ id: 't', label: 'Seen', type: 'dateTime' }, ['2026-11-23T14:30+01:00', '2026-11-23T14:00Z', '2026-11-23T13:45+00:00'])).toEqual([
      '2026-11-23T14:30+01:00',
      '2026-11-23T13:45+00:00',
      '2026-11-23T14:00Z',
    ]);
  });

  it('orders yes before no, and a choice by its place among the choices, not alphabetically', () => {
    expect(sorted({ id: 'i', label: 'Isolation', type: 'yesNo' }, [false, undefined, true])).toEqual([true, false, undefined]);
    const status: ListField = { id: 's', label: 'Status', type: 'choice', choices: ['Stable', 'Watch', 'Critical'] };
    expect(sorted(status, ['Critical', 'Stable', 'Retired', 'Watch'])).toEqual(['Stable', 'Watch', 'Critical', 'Retired']);
  });

  it('orders a person by name and text without case', () => {
    const nurse: ListField = { id: 'n', label: 'Nurse', type: 'person' };
    expect(
      sorted(nurse, [
        { id: '2', name: 'zoe' },
        { id: '1', name: 'Adele' },
      ]),
    ).toEqual([
      { id: '1', name: 'Adele' },
      { id: '2', name: 'zoe' },
    ]);
    expect(sorted({ id: 'b', label: 'Bed', type: 'text' }, ['b', 'A', 'c'])).toEqual(['A', 'b', 'c']);
  });

  it('puts a value that does not fit the field’s type last, shown as not available', () => {
    const weight: ListField = { id: 'w', label: 'Weight', type: 'number' };
    expect(fieldSortValue(weight, ok('heavy'))).toBeNull();
    expect(showFieldCell(weight, ok('heavy')).text).toBe('Not available');
  });
});

describe('showing a team field cell', () => {
  it('writes a number with its unit, yes/no in words, a person by name, and a choice with its colour', () => {
    expect(showFieldCell({ id: 'w', label: 'Weight', type: 'number', unit: 'kg' }, ok(61.5))).toEqual({ status: 'ok', text: '61.5 kg' });
    expect(showFieldCell({ id: 'i', label: 'Isolation', type: 'yesNo' }, ok(false)).text).toBe('No');
    expect(showFieldCell({ id: 'n', label: 'Nurse', type: 'person' }, ok({ id: 'u1', name: 'Megan Bowen' })).text).toBe('Megan Bowen');
    const status: ListField = { id: 's', label: 'Status', type: 'choice', choices: ['Stable', 'Critical'], colours: { Critical: 'red' } };
    expect(showFieldCell(status, ok('Critical'))).toEqual({ status: 'ok', text: 'Critical', choice: { colour: 'red' } });
    expect(showFieldCell(status, ok('Stable'))).toEqual({ status: 'ok', text: 'Stable', choice: { colour: null } });
  });
});

describe('field columns in the list and the column chooser', () => {
  const fields: ListField[] = [{ id: 'status', label: 'Status', type: 'choice', choices: ['A'] }];

  it('heads a field by its label, and a field the team removed as removed', () => {
    expect(listColumnLabel('field:status', fields)).toBe('Status');
    expect(listColumnLabel('field:gone', fields)).toBe('Removed field (gone)');
    expect(listColumnLabel('heartRate', fields)).toBe('Heart rate');
  });

  it('offers Manual mode its own columns and the team’s fields, and an EHR team every built-in column', () => {
    expect(offeredColumns({ fields })).toEqual(['name', 'mrn', 'birthDate', 'gender', 'location', 'latestNote', 'field:status']);
    expect(offeredColumns({})).toEqual([...allColumns]);
  });

  it('starts the chooser without removed fields, so saving drops them', () => {
    expect(startingColumns({ columns: ['name', 'field:gone', 'field:status'], fields })).toEqual(['name', 'field:status']);
    expect(startingColumns({ columns: ['field:gone'], fields })).toEqual(['name']);
  });

  it('reads the fields of a list answer leniently, leaving out what is not a field', () => {
    expect(
      readListFields([
        { id: 'a', label: 'A', type: 'number', unit: 'kg' },
        { id: 'b', type: 'number' },
        null,
        { id: 'c', label: 'C', type: 'rocket' },
      ]),
    ).toEqual([{ id: 'a', label: 'A', type: 'number', unit: 'kg' }]);
    const view = readListView({
      id: 'l',
      name: 'L',
      version: 1,
      columns: ['name', 'field:a'],
      fields: [{ id: 'a', label: 'A', type: 'yesNo' }],
      rows: [],
    });
    expect(view.fields).toEqual([{ id: 'a', label: 'A', type: 'yesNo' }]);
    expect(readListView({ id: 'l', name: 'L', version: 1, columns: ['name'], rows: [] }).fields).toBeUndefined();
  });
});
