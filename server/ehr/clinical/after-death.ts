import { earliestMs, latestMs } from '../../../contract/fhir-time.js';
import { withHistoryMark, withReadingMark } from './reading-marks.js';
import type { Cell, LatestVitals, VitalHistory, VitalReading } from './types.js';

/**
 * Whether a reading is dated after the patient's death: its earliest possible moment after the
 * latest the date of death allows (a partial or zone-less date at its widest: contract fhir-time),
 * so a reading on the day of death, or in the year of a death known only to the year, is not.
 */
function datedAfter(reading: VitalReading, latestAliveMs: number): boolean {
  const text = reading.time?.text;
  const at = text === undefined ? null : earliestMs(text);
  return at !== null && at > latestAliveMs;
}

/**
 * A vitals cell with each latest reading dated after the patient's death marked `afterDeath`
 * (contract `afterDeath`): it is still shown, and still its kind's latest, so nothing is hidden, but
 * never as a plain current value. Unchanged when the EHR gives no date of death (`deceasedBoolean`)
 * or one that is not a FHIR dateTime.
 */
export function withAfterDeathMarks<C extends Cell<LatestVitals> | undefined>(cell: C, deathDate: string | null | undefined): C {
  const latestAliveMs = deathDate ? latestMs(deathDate) : null;
  if (latestAliveMs === null) return cell;
  return withReadingMark(cell, 'afterDeath', (reading) => datedAfter(reading, latestAliveMs));
}

/** The details' history with every reading dated after the patient's death marked `afterDeath` (as withAfterDeathMarks). */
export function withAfterDeathHistoryMarks<C extends Cell<VitalHistory> | undefined>(cell: C, deathDate: string | null | undefined): C {
  const latestAliveMs = deathDate ? latestMs(deathDate) : null;
  if (latestAliveMs === null) return cell;
  return withHistoryMark(cell, 'afterDeath', (reading) => datedAfter(reading, latestAliveMs));
}
