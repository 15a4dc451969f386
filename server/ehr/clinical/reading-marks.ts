import { isVitalUnavailable } from '../../../contract/patients.js';
import type { Cell, LatestVitals, VitalReading } from './types.js';

/** The marks a kind's latest reading may get from what else is known of the patient or of now (contract/cells.ts). */
export type ReadingMark = 'afterDeath' | 'future';

/**
 * A vitals cell with each latest reading `dated` says is doubtful marked `mark`: it is still shown,
 * and still its kind's latest, so nothing is hidden, but never as a plain current value. The one
 * way marks of the reading's date are added (after-death.ts, future.ts).
 */
export function withReadingMark<C extends Cell<LatestVitals> | undefined>(cell: C, mark: ReadingMark, dated: (reading: VitalReading) => boolean): C {
  if (cell?.status !== 'ok') return cell;
  const marked = Object.fromEntries(
    Object.entries(cell.value).map(([kind, latest]) =>
      latest && !isVitalUnavailable(latest) && dated(latest) ? [kind, { ...latest, [mark]: true }] : [kind, latest],
    ),
  );
  return { status: 'ok', value: marked } as C;
}
