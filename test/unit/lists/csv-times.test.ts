import { describe, expect, it } from 'vitest';
import { fhirTime, sortKeyMs } from '../../../contract/fhir-time.js';
import { cellText, csvColumns, whenText } from '../../../server/features/lists/cell-text.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';

/** A time as the server sends it: the EHR's text with its sort key (zone-less fields read as UTC). */
const sent = (text: string) => ({ text, epochMs: sortKeyMs(fhirTime(text)!) });
const row = (cells: ListRow['cells']): ListRow => ({
  patientId: 'p1',
  displayName: 'Ada Lovelace',
  mrn: 'MRN-1',
  birthDate: '1951-06-15',
  gender: 'female',
  available: true,
  cells,
});
const ZONE = 'America/New_York';
const timeColumn = (column: 'heartRate' | 'bloodPressure', r: ListRow) =>
  csvColumns(column, 'X', ZONE)
    .find((c) => c.heading === `X time (${ZONE})`)!
    .value(r);
const heartRateAt = (time: string) => row({ heartRate: { status: 'ok', value: { time: sent(time), value: { value: 72, unit: '/min' } } } });

describe('CSV export times, at the precision and in the zone sense the EHR sent them', () => {
  it('write a time with a zone in the export’s zone, as before', () => {
    expect(timeColumn('heartRate', heartRateAt('2026-12-05T13:00:00Z'))).toBe('2026-12-05 08:00');
    expect(timeColumn('heartRate', heartRateAt('2026-12-05T08:00:00-05:00'))).toBe('2026-12-05 08:00');
  });

  it('write a zone-less date-time as written, not converted, and say the zone was not given', () => {
    expect(timeColumn('heartRate', heartRateAt('2026-12-05T08:00:00'))).toBe('2026-12-05 08:00 (zone not given)');
    const bp = row({
      bloodPressure: {
        status: 'ok',
        value: { time: sent('2026-12-05T08:00:00'), systolic: { value: 120, unit: 'mmHg' }, diastolic: { value: 80, unit: 'mmHg' } },
      },
    });
    expect(timeColumn('bloodPressure', bp)).toBe('2026-12-05 08:00 (zone not given)');
  });

  it('write a date, a month or a year as given, with no made-up time', () => {
    expect(timeColumn('heartRate', heartRateAt('2026-12-05'))).toBe('2026-12-05');
    expect(timeColumn('heartRate', heartRateAt('2026-12'))).toBe('2026-12');
    expect(timeColumn('heartRate', heartRateAt('2026'))).toBe('2026');
  });

  it('write the admission date the same way', () => {
    const admitted = (time: string) => cellText('admissionDate', row({ admissionDate: { status: 'ok', value: sent(time) } }), ZONE);
    expect(admitted('2026-12-05T08:00:00')).toBe('2026-12-05 08:00 (zone not given)');
    expect(admitted('2026-12-05T13:00:00Z')).toBe('2026-12-05 08:00');
    expect(admitted('2026-12-05')).toBe('2026-12-05');
    expect(admitted('2026-12')).toBe('2026-12');
  });

  it('leave text that is no FHIR time as sent, and nothing for no time', () => {
    expect(whenText({ text: 'early morning', epochMs: null }, ZONE)).toBe('early morning');
    expect(whenText(null, ZONE)).toBe('');
  });
});
