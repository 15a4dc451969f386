import { describe, expect, it } from 'vitest';
import { WIDEST_OFFSET_MS, asWrittenMs, fhirTime, latestMs, sortKeyMs, timePrecision } from '../../../contract/fhir-time.js';
import { isStale } from '../../../contract/vital-ranges.js';

const HOUR = 3_600_000;
/** A time as the server sends it: the EHR's text with its sort key (zone-less fields read as UTC). */
const sent = (text: string) => ({ text, epochMs: sortKeyMs(fhirTime(text)!) });

describe('the precision a FHIR time was sent at (contract/fhir-time.ts)', () => {
  it.each([
    ['2026', 'year'],
    ['2026-12', 'month'],
    ['2026-12-05', 'day'],
    ['2026-12-05T08:00:00', 'local'],
    ['2026-12-05T08:00', 'local'],
    ['2026-12-05T08:00:00.250', 'local'],
    ['2026-12-05T08:00:00Z', 'instant'],
    ['2026-12-05T08:00:00-05:00', 'instant'],
    ['2026-12-05T08:00:00+0530', 'instant'],
  ] as const)('%s is %s', (text, precision) => {
    expect(timePrecision(text)).toBe(precision);
  });

  it.each(['', 'early 2020', '2026-13', '2026-12-32', '2026-12-05T25:00:00', '05/12/2026', '2026-12-05 08:00'])('%j is no FHIR time', (text) => {
    expect(fhirTime(text)).toBeNull();
    expect(latestMs(text)).toBeNull();
  });

  it('keeps the fields as written, and reads an offset into the moment only for an instant', () => {
    const local = fhirTime('2026-12-05T08:00:00')!;
    expect(asWrittenMs(local)).toBe(Date.UTC(2026, 11, 5, 8));
    expect(local.offsetMinutes).toBeNull();
    const east = fhirTime('2026-12-05T08:00:00+05:30')!;
    expect(asWrittenMs(east)).toBe(Date.UTC(2026, 11, 5, 8));
    expect(sortKeyMs(east)).toBe(Date.parse('2026-12-05T08:00:00+05:30'));
    expect(sortKeyMs(fhirTime('2026-12-05T08:00:00+0530')!)).toBe(Date.parse('2026-12-05T08:00:00+05:30'));
    expect(sortKeyMs(fhirTime('2026-12')!)).toBe(Date.UTC(2026, 11, 1));
  });

  it('gives the latest moment a time can mean: an instant itself, a zone-less one 14 hours on, a date its end 14 hours on', () => {
    expect(WIDEST_OFFSET_MS).toBe(14 * HOUR);
    expect(latestMs('2026-12-05T08:00:00-05:00')).toBe(Date.parse('2026-12-05T13:00:00Z'));
    expect(latestMs('2026-12-05T08:00:00')).toBe(Date.parse('2026-12-05T22:00:00Z'));
    expect(latestMs('2026-12-04')).toBe(Date.parse('2026-12-05T14:00:00Z'));
    expect(latestMs('2026-12')).toBe(Date.parse('2027-01-01T14:00:00Z'));
    expect(latestMs('2026')).toBe(Date.parse('2027-01-01T14:00:00Z'));
  });
});

describe('stale readings, judged on the latest moment their time can mean', () => {
  it.each([
    // A zone-less clock time may be as far west as UTC-14:00: stale only 24 h after 22:00Z.
    ['2026-12-05T08:00:00', '2026-12-06T20:00:00Z', false],
    ['2026-12-05T08:00:00', '2026-12-06T22:00:00Z', false],
    ['2026-12-05T08:00:00', '2026-12-06T22:00:01Z', true],
    // A day lasts to its end (zone-less too): "2026-12-04" is stale after 2026-12-06T14:00Z.
    ['2026-12-04', '2026-12-06T12:00:00Z', false],
    ['2026-12-04', '2026-12-06T14:00:01Z', true],
    // A month lasts to its end.
    ['2026-12', '2026-12-20T12:00:00Z', false],
    ['2026-12', '2027-01-02T14:00:01Z', true],
    ['2025', '2026-12-20T12:00:00Z', true],
    // A time with a zone is the moment it names, as before.
    ['2026-12-05T08:00:00-05:00', '2026-12-06T13:00:00Z', false],
    ['2026-12-05T08:00:00-05:00', '2026-12-06T13:00:01Z', true],
  ])('a reading at %s is stale at %s: %s', (time, now, stale) => {
    expect(isStale(sent(time), Date.parse(now))).toBe(stale);
  });

  it('judges text that is no FHIR time by its sort key, and does not judge a reading without a time', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    expect(isStale({ text: 'yesterday', epochMs: now - 25 * HOUR }, now)).toBe(true);
    expect(isStale({ text: 'yesterday', epochMs: null }, now)).toBe(false);
    expect(isStale(null, now)).toBe(false);
    expect(isStale(undefined, now)).toBe(false);
  });
});
