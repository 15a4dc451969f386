import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fhirTime, sortKeyMs } from '../../../contract/fhir-time';
import { trendOf } from '../../../client/features/patient-details/trend-data';
import { cellText, dateText, shortTime } from '../../../client/shared/cells';
import { fhirTimeText } from '../../../client/shared/format';
import { setLanguage, setLocale } from '../../../client/shared/i18n/t';

/**
 * Every FHIR time the tab shows, at the precision and in the zone sense the EHR sent it, for a
 * user in New York (UTC-05:00 in December): the clinical reviewer's cases.
 */
const zone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'America/New_York';
});
afterAll(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});
afterEach(() => setLanguage('en'));

/** A time as the server sends it: the EHR's text with its sort key (zone-less fields read as UTC). */
const sent = (text: string) => ({ text, epochMs: sortKeyMs(fhirTime(text)!) });
/** Intl's spaces (narrow and no-break before AM/PM in some ICU versions) as plain ones. */
const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');
const now = new Date('2026-12-05T20:00:00Z');

describe('a reading time in the list (shortTime)', () => {
  it('shows a zone-less date-time as the clock time written, never shifted by the user’s offset', () => {
    expect(new Date(2026, 11, 5, 8).getTime()).not.toBe(Date.UTC(2026, 11, 5, 8)); // the test runs away from UTC
    setLocale('en-US');
    expect(plain(shortTime(sent('2026-12-05T08:00:00'), now))).toBe('Dec 5, 8:00 AM');
    setLocale('en-GB');
    expect(shortTime(sent('2026-12-05T08:00:00'), now)).toBe('5 Dec, 08:00');
    expect(shortTime(sent('2026-12-05T23:30:00'), now)).toBe('5 Dec, 23:30');
    expect(shortTime(sent('2025-12-31T23:30'), now)).toBe('31 Dec 2025, 23:30');
  });

  it('shows a date alone as that day, with no made-up time', () => {
    setLocale('en-US');
    expect(shortTime(sent('2026-12-05'), now)).toBe('Dec 5');
    setLocale('en-GB');
    expect(shortTime(sent('2026-12-05'), now)).toBe('5 Dec');
    expect(shortTime(sent('2025-12-05'), now)).toBe('5 Dec 2025');
  });

  it('shows a year-month as the month, a year as the year', () => {
    setLocale('en-US');
    expect(shortTime(sent('2026-12'), now)).toBe('Dec 2026');
    expect(shortTime(sent('2026'), now)).toBe('2026');
    setLocale('en-GB');
    expect(shortTime(sent('2026-12'), now)).toBe('Dec 2026');
  });

  it('shows a time with a zone or offset in the user’s zone, as before', () => {
    setLocale('en-US');
    expect(plain(shortTime(sent('2026-12-05T13:00:00Z'), now))).toBe('Dec 5, 8:00 AM');
    expect(plain(shortTime(sent('2026-12-05T14:00:00+01:00'), now))).toBe('Dec 5, 8:00 AM');
    setLocale('en-GB');
    expect(shortTime(sent('2026-12-05T13:00:00Z'), now)).toBe('5 Dec, 08:00');
  });

  it('shows text that is no FHIR time as sent', () => {
    expect(shortTime({ text: 'early morning', epochMs: null }, now)).toBe('early morning');
  });
});

describe('a date in the details (dateText: encounter start, condition onset, medication dates)', () => {
  it('takes the day of a zone-less date-time as written, and of an instant in the user’s zone', () => {
    setLocale('en-US');
    expect(dateText(sent('2026-12-05T00:30:00'))).toBe('Dec 5, 2026');
    expect(dateText(sent('2026-12-05T03:00:00Z'))).toBe('Dec 4, 2026');
    expect(dateText(sent('2026-12-05'))).toBe('Dec 5, 2026');
    expect(dateText(sent('2026-12'))).toBe('December 2026');
    setLocale('en-GB');
    expect(dateText(sent('2026-12-05T00:30:00'))).toBe('5 Dec 2026');
  });
});

describe('a vital sign cell: its time and whether it is stale', () => {
  const hr = (time: string) => ({ status: 'ok', value: { value: { value: 72, unit: '/min' }, time: sent(time) } });

  it('writes the reviewer’s cases at their precision', () => {
    setLocale('en-US');
    const at = now.getTime();
    expect(plain(cellText('heartRate', hr('2026-12-05T08:00:00'), at).detail ?? '')).toBe('Dec 5, 8:00 AM');
    expect(cellText('heartRate', hr('2026-12-05'), at).detail).toBe('Dec 5');
    expect(cellText('heartRate', hr('2026-12'), at).detail).toBe('Dec 2026');
  });

  it('is not called stale while the latest moment its time can mean is within 24 hours', () => {
    // "2026-12-05T08:00:00" may be as late as 22:00Z (a source at UTC-14:00).
    expect(cellText('heartRate', hr('2026-12-05T08:00:00'), Date.parse('2026-12-06T20:00:00Z')).stale).toBeUndefined();
    expect(cellText('heartRate', hr('2026-12-05T08:00:00'), Date.parse('2026-12-06T22:00:01Z')).stale).toBe(true);
    // "2026-12-04" lasts to its end, at UTC-14:00 too.
    expect(cellText('heartRate', hr('2026-12-04'), Date.parse('2026-12-06T12:00:00Z')).stale).toBeUndefined();
    expect(cellText('heartRate', hr('2026-12-04'), Date.parse('2026-12-06T14:00:01Z')).stale).toBe(true);
    expect(cellText('heartRate', hr('2026-12'), Date.parse('2026-12-20T12:00:00Z')).stale).toBeUndefined();
    const bp = { status: 'ok', value: { systolic: { value: 120, unit: 'mmHg' }, diastolic: { value: 80, unit: 'mmHg' }, time: sent('2026-12-04') } };
    expect(cellText('bloodPressure', bp, Date.parse('2026-12-06T12:00:00Z')).stale).toBeUndefined();
    expect(cellText('bloodPressure', bp, Date.parse('2026-12-07T12:00:00Z')).stale).toBe(true);
  });
});

describe('a trend in the details', () => {
  const reading = (time: string, value: number) => ({ kind: 'heartRate', time: sent(time), value: { value, unit: '/min' } });

  it('writes each reading’s time at its precision, and places a zone-less one at its clock time on the local axis', () => {
    setLocale('en-GB');
    const trend = trendOf('heartRate', [reading('2026-12-05T13:30:00Z', 80), reading('2026-12-05T08:00:00', 72), reading('2026-12-04', 70)]);
    expect(trend.rows.map((r) => [r.value, r.timeText])).toEqual([
      ['70', '4 Dec 2026'],
      ['72', '5 Dec 2026, 08:00'],
      ['80', '5 Dec 2026, 08:30'],
    ]);
    expect(trend.series[0].points.map((p) => [p.time, p.timeText])).toEqual([
      [new Date(2026, 11, 4).getTime(), '4 Dec 2026'],
      [new Date(2026, 11, 5, 8).getTime(), '5 Dec 2026, 08:00'],
      [Date.parse('2026-12-05T13:30:00Z'), '5 Dec 2026, 08:30'],
    ]);
  });
});

describe('fhirTimeText', () => {
  it('writes each precision in full for the details', () => {
    setLocale('en-US');
    expect(plain(fhirTimeText('2026-12-05T08:00:00', Date.UTC(2026, 11, 5, 8), 'full'))).toBe('Dec 5, 2026, 8:00 AM');
    expect(fhirTimeText('2026-12-05', Date.UTC(2026, 11, 5), 'full')).toBe('Dec 5, 2026');
    expect(fhirTimeText('2026-12', Date.UTC(2026, 11, 1), 'full')).toBe('December 2026');
    expect(plain(fhirTimeText('2026-12-05T13:00:00Z', Date.parse('2026-12-05T13:00:00Z'), 'full'))).toBe('Dec 5, 2026, 8:00 AM');
  });
});
