import { FUTURE_ALLOWANCE_MS, earliestMs } from '../../../contract/fhir-time.js';
import { withHistoryMark, withReadingMark } from './reading-marks.js';
import type { Cell, LatestVitals, VitalHistory, When } from './types.js';

// A reading dated more than this after `now` is dated in the future (one rule with the tab's: contract/fhir-time.ts).
export { FUTURE_ALLOWANCE_MS };

/**
 * Whether a reading's time is in the future at `now`: its earliest possible moment (a zone-less time
 * or a day at the widest offset east of UTC, contract `earliestMs`: a reading taken at 09:45 in
 * Shanghai is not in the future at 02:00 UTC) more than FUTURE_ALLOWANCE_MS after `now`.
 */
export function datedInFuture(time: When | null | undefined, now: number): boolean {
  if (time?.epochMs == null) return false;
  return (earliestMs(time.text) ?? time.epochMs) - now > FUTURE_ALLOWANCE_MS;
}

/**
 * A vitals cell with each latest reading dated in the future marked `future` (contract `future`).
 * Such a reading is the latest only when its kind has no reading that is not (vitals.ts latestRank);
 * it is then still shown, never as a plain current value.
 */
export const withFutureMarks = <C extends Cell<LatestVitals> | undefined>(cell: C, now = Date.now()): C =>
  withReadingMark(cell, 'future', (reading) => datedInFuture(reading.time, now));

/**
 * The details' history with every reading dated in the future marked `future`: unlike the latest,
 * which is one only when its kind has nothing better, each such reading of the history is one.
 */
export const withFutureHistoryMarks = <C extends Cell<VitalHistory> | undefined>(cell: C, now = Date.now()): C =>
  withHistoryMark(cell, 'future', (reading) => datedInFuture(reading.time, now));
