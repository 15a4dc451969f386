import { describe, expect, it } from 'vitest';
import { epochMsOf, newestFirst, when } from '../../../server/ehr/clinical/values.js';

/**
 * `when` keeps the EHR's text, which is what the tab and the export show (contract/fhir-time.ts),
 * with a sort key: the moment of a time with a zone; a zone-less or partial one's fields read as UTC.
 */
describe('the sort key of a FHIR time', () => {
  it.each([
    ['2026-12-05T08:00:00Z', Date.UTC(2026, 11, 5, 8)],
    ['2026-12-05T08:00:00.5-05:00', Date.UTC(2026, 11, 5, 13, 0, 0, 500)],
    ['2026-12-05T08:00:00+0530', Date.UTC(2026, 11, 5, 2, 30)],
    ['2026-12-05T08:00:00', Date.UTC(2026, 11, 5, 8)],
    ['2026-12-05T08:00', Date.UTC(2026, 11, 5, 8)],
    ['2026-12-05', Date.UTC(2026, 11, 5)],
    ['2026-12', Date.UTC(2026, 11, 1)],
    ['2026', Date.UTC(2026, 0, 1)],
    ['2026-13', null],
    ['2026-12-05 08:00', null],
    ['yesterday', null],
  ])('%s sorts at %s', (text, epochMs) => {
    expect(epochMsOf(text)).toBe(epochMs);
    expect(when(text)).toEqual({ text, epochMs });
  });

  it('keeps the text as sent, so what is shown keeps its precision and zone sense', () => {
    expect(when('2026-12-05T08:00:00')?.text).toBe('2026-12-05T08:00:00');
    expect(when(undefined)).toBeNull();
  });

  it('orders newest first, values without a time last', () => {
    const times = ['2026-12-04', '2026-12-05T08:00:00Z', 'yesterday', '2026-12-05T09:00:00'].map(when);
    expect(times.sort(newestFirst).map((w) => w?.text)).toEqual(['2026-12-05T09:00:00', '2026-12-05T08:00:00Z', '2026-12-04', 'yesterday']);
  });
});
