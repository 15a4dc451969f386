import { describe, expect, it } from 'vitest';
import { readListView } from '../../../client/features/lists/api/read-list-answers';
import { removableIds } from '../../../client/features/lists/removable';

// "Remove N patients that cannot be shown" takes rows off a ward's list for good: it is offered
// only for rows the team's source said are gone, never for rows the EHR failed to give (an
// outage, a timeout, a refused token), and never while the answer carries an EHR error.

const row = (patientId: string, unavailable?: string) => ({
  patientId,
  displayName: null,
  mrn: null,
  birthDate: null,
  gender: null,
  available: false,
  ...(unavailable ? { unavailable } : {}),
  cells: {},
});
const shown = { patientId: 'here', displayName: 'Ada Here', mrn: 'M1', birthDate: null, gender: null, available: true, cells: {} };
const list = (rows: unknown[], ehrError?: unknown) =>
  readListView({ id: 'l1', name: 'Ward 5', columns: ['name'], version: 3, rows, ...(ehrError ? { ehrError } : {}) });

describe('the patients that cannot be shown offered for removal', () => {
  it('counts only the rows the source said are gone', () => {
    expect(removableIds(list([shown, row('deleted', 'gone'), row('flaky', 'failed'), row('gone2', 'gone')]))).toEqual(['deleted', 'gone2']);
  });

  it('offers none when every row failed (an EHR outage)', () => {
    expect(removableIds(list(['p1', 'p2', 'p3', 'p4', 'p5'].map((id) => row(id, 'failed'))))).toEqual([]);
  });

  it('offers none while the answer carries an EHR error, even for rows marked gone', () => {
    const outage = list([row('p1', 'gone'), row('p2', 'failed')], { code: 'ehr_error', message: 'The EHR answered 503.' });
    expect(outage.ehrError?.code).toBe('ehr_error');
    expect(removableIds(outage)).toEqual([]);
  });

  it('reads a row without a reason (an older server) or with one it does not know as failed, never gone', () => {
    const read = list([row('old'), row('odd', 'vanished')]);
    expect(read.rows.map((r) => r.unavailable)).toEqual(['failed', 'failed']);
    expect(removableIds(read)).toEqual([]);
  });

  it('gives an available row no reason', () => {
    expect(list([{ ...shown, unavailable: 'gone' }]).rows[0].unavailable).toBeUndefined();
  });
});
