import { isVitalUnavailable } from '../../../contract/patients.js';
import type { Cell, LatestVitals, VitalHistory, VitalReading } from './types.js';

/** The marks a reading may get from what else is known of the patient or of now (contract/cells.ts). */
export type ReadingMark = 'afterDeath' | 'future';

/** A reading with `mark` when `dated` says its date is doubtful; unchanged otherwise. */
const marked = <R extends VitalReading>(reading: R, mark: ReadingMark, dated: (reading: VitalReading) => boolean): R =>
  dated(reading) ? { ...reading, [mark]: true } : reading;

/**
 * A vitals cell with each latest reading `dated` says is doubtful marked `mark`: it is still shown,
 * and still its kind's latest, so nothing is hidden, but never as a plain current value. The one
 * way marks of the reading's date are added (after-death.ts, future.ts).
 */
export function withReadingMark<C extends Cell<LatestVitals> | undefined>(cell: C, mark: ReadingMark, dated: (reading: VitalReading) => boolean): C {
  if (cell?.status !== 'ok') return cell;
  const value = Object.fromEntries(
    Object.entries(cell.value).map(([kind, latest]) => [kind, latest && !isVitalUnavailable(latest) ? marked(latest, mark, dated) : latest]),
  );
  return { status: 'ok', value } as C;
}

/**
 * The details' history (the trend's points and table) with every reading `dated` says is doubtful
 * marked `mark`, by the same rule as the latest (withReadingMark): a reading dated after death or
 * in the future is as doubtful in the history as at its top, so the trend never shows it plain.
 */
export function withHistoryMark<C extends Cell<VitalHistory> | undefined>(cell: C, mark: ReadingMark, dated: (reading: VitalReading) => boolean): C {
  if (cell?.status !== 'ok') return cell;
  const value = Object.fromEntries(Object.entries(cell.value).map(([kind, readings]) => [kind, readings?.map((r) => marked(r, mark, dated))]));
  return { status: 'ok', value } as C;
}
