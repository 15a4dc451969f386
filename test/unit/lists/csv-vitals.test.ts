import { describe, expect, it } from 'vitest';
import { csvColumns, localTime } from '../../../server/features/lists/cell-text.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';

const row = (cells: ListRow['cells'], available = true): ListRow => ({
  patientId: 'p1',
  displayName: 'Ada Lovelace',
  mrn: 'MRN-1',
  birthDate: '1951-06-15',
  gender: 'female',
  available,
  cells,
});
const at = (iso: string) => ({ text: iso, epochMs: Date.parse(iso) });
const columns = (column: Parameters<typeof csvColumns>[0], r: ListRow, zone = 'Europe/London') =>
  Object.fromEntries(csvColumns(column, column === 'bloodPressure' ? 'Blood pressure' : 'Heart rate', zone).map((c) => [c.heading, c.value(r)]));

describe('CSV times', () => {
  it('are written in the zone, 24-hour and zero-padded, as spreadsheets sort them, summer time included', () => {
    expect(localTime('2026-12-03T14:05:00Z', 'Europe/London')).toBe('2026-12-03 14:05');
    expect(localTime('2026-07-01T13:05:00Z', 'Europe/London')).toBe('2026-07-01 14:05');
    expect(localTime('2026-12-03T00:05:00Z', 'UTC')).toBe('2026-12-03 00:05');
    expect(localTime('2026-12-03T23:30:00Z', 'Asia/Tokyo')).toBe('2026-12-04 08:30');
    expect(localTime('2026-12', 'UTC')).toBe('2026-12-01 00:00');
    expect(localTime('not a time', 'UTC')).toBe('not a time');
    expect(localTime(null, 'UTC')).toBe('');
  });
});

describe('CSV vital sign columns', () => {
  it('put value, unit, time and flag in columns of their own, the flag by the tab rule', () => {
    const r = row({ heartRate: { status: 'ok', value: { time: at('2026-07-01T13:05:00Z'), value: { value: 135, unit: '/min' } } } });
    expect(columns('heartRate', r)).toEqual({
      'Heart rate': 135,
      'Heart rate unit': '/min',
      'Heart rate time (Europe/London)': '2026-07-01 14:05',
      'Heart rate flag': 'Critical high',
    });
    // A child (NEWS2 is not for under-16s): the value without an adult's flag.
    expect(columns('heartRate', { ...r, birthDate: new Date(Date.now() - 3 * 365 * 86_400_000).toISOString().slice(0, 10) })).toMatchObject({
      'Heart rate': 135,
      'Heart rate flag': '',
    });
    // An adult now, a child then (born 2010-01-13, a pressure of 2019): the reading is a child's, without an adult's flag.
    const childhood = row({
      bloodPressure: {
        status: 'ok',
        value: { time: at('2019-03-30T10:00:00Z'), systolic: { value: 85, unit: 'mmHg' }, diastolic: { value: 50, unit: 'mmHg' } },
      },
    });
    expect(columns('bloodPressure', { ...childhood, birthDate: '2010-01-13' })).toMatchObject({
      'Blood pressure systolic': 85,
      'Blood pressure flag': '',
    });
    expect(columns('bloodPressure', childhood)).toMatchObject({ 'Blood pressure flag': 'Critical low' });
    const calm = row({ heartRate: { status: 'ok', value: { time: null, value: { value: 72, unit: '/min' } } } });
    expect(columns('heartRate', calm)).toMatchObject({ 'Heart rate': 72, 'Heart rate time (Europe/London)': '', 'Heart rate flag': '' });
  });

  it('write a bound the EHR gave with its comparator ("<35"), flagged only when every value it allows would be', () => {
    const cold = row({ temperature: { status: 'ok', value: { time: null, value: { value: 35, unit: '°C', comparator: '<' } } } });
    const [value, , , flag] = csvColumns('temperature', 'Temperature', 'UTC');
    expect([value.value(cold), flag.value(cold)]).toEqual(['<35', 'Critical low']);
    const under = row({ heartRate: { status: 'ok', value: { time: null, value: { value: 120, unit: '/min', comparator: '<' } } } });
    expect(columns('heartRate', under)).toMatchObject({ 'Heart rate': '<120', 'Heart rate flag': '' });
    const bp = row({
      bloodPressure: {
        status: 'ok',
        value: { time: null, systolic: { value: 70, unit: 'mmHg', comparator: '<=' }, diastolic: { value: 40, unit: 'mmHg' } },
      },
    });
    expect(columns('bloodPressure', bp)).toMatchObject({
      'Blood pressure systolic': '<=70',
      'Blood pressure diastolic': 40,
      'Blood pressure flag': 'Critical low',
    });
  });

  it('give blood pressure as systolic and diastolic numbers, flagged by the systolic value', () => {
    const r = row({
      bloodPressure: {
        status: 'ok',
        value: { time: at('2026-12-03T14:05:00Z'), systolic: { value: 88, unit: 'mmHg' }, diastolic: { value: 50, unit: 'mmHg' } },
      },
    });
    expect(columns('bloodPressure', r)).toEqual({
      'Blood pressure systolic': 88,
      'Blood pressure diastolic': 50,
      'Blood pressure unit': 'mmHg',
      'Blood pressure time (Europe/London)': '2026-12-03 14:05',
      'Blood pressure flag': 'Critical low',
    });
  });

  it('say why a reading is missing in the value column and leave the rest empty', () => {
    expect(Object.values(columns('heartRate', row({ heartRate: { status: 'none' } })))).toEqual(['None recorded', '', '', '']);
    expect(Object.values(columns('heartRate', row({ heartRate: { status: 'unavailable', reason: 'failed' } })))).toEqual([
      'Not available',
      '',
      '',
      '',
    ]);
    expect(Object.values(columns('bloodPressure', row({}, false)))).toEqual(['Not available', '', '', '', '']);
  });
});
