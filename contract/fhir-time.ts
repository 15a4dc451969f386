/**
 * What a FHIR date, dateTime or instant as the EHR sent it (`When.text`) says, and how precisely:
 * one reading for the server (sort keys), the tab (what it shows) and the export (what it writes).
 * Plain TypeScript, so the tab reads it without loading the schemas.
 *
 * The rule, for every time the tab or the export shows:
 * - `instant`: a date-time with a zone or offset ("2026-12-05T08:00:00-05:00", "…Z") is a moment:
 *   shown in the user's zone (the export's zone), as it always was.
 * - `local`: a date-time without a zone ("2026-12-05T08:00:00") is the clock time where it was
 *   taken, at an offset nobody told us: shown as written, never converted to another zone.
 * - `day`, `month`, `year` ("2026-12-05", "2026-12", "2026"): that precision only, no made-up time.
 *
 * Tolerated beyond the FHIR grammar, as the server always has: a time without seconds, an offset
 * without its colon.
 */

export type TimePrecision = 'year' | 'month' | 'day' | 'local' | 'instant';

/** A FHIR time's fields as written (month and day 1, times 0 where the precision leaves them out). */
export interface FhirTime {
  precision: TimePrecision;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC of an `instant`; null otherwise. */
  offsetMinutes: number | null;
}

const FHIR_TIME = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;

/** The offsets a FHIR time may carry run from -14:00 to +14:00 (real zones from -12:00 to +14:00). */
export const WIDEST_OFFSET_MS = 14 * 60 * 60 * 1000;

/** A FHIR date, dateTime or instant's fields and precision; null for text that is none (or an impossible month, day or time). */
export function fhirTime(text: string): FhirTime | null {
  const m = FHIR_TIME.exec(text);
  if (!m) return null;
  // Indexes rather than destructuring with defaults: the server reads every resource's times through this.
  const month = m[2] === undefined ? 1 : +m[2];
  const day = m[3] === undefined ? 1 : +m[3];
  const hour = m[4] === undefined ? 0 : +m[4];
  const minute = m[5] === undefined ? 0 : +m[5];
  const second = m[6] === undefined ? 0 : +m[6];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return null;
  const zone = m[8];
  let offsetMinutes: number | null = null;
  if (zone === 'Z') offsetMinutes = 0;
  else if (zone !== undefined) offsetMinutes = (zone.charCodeAt(0) === 45 /* - */ ? -1 : 1) * (+zone.slice(1, 3) * 60 + +zone.slice(zone.length - 2));
  const precision: TimePrecision =
    m[4] !== undefined ? (zone === undefined ? 'local' : 'instant') : m[3] !== undefined ? 'day' : m[2] !== undefined ? 'month' : 'year';
  return {
    precision,
    year: +m[1],
    month,
    day,
    hour,
    minute,
    second,
    millisecond: m[7] === undefined ? 0 : Math.round(+m[7] * 1000),
    offsetMinutes,
  };
}

/** The precision a FHIR time was sent at, from its text; null for text that is not one. */
export const timePrecision = (text: string): TimePrecision | null => fhirTime(text)?.precision ?? null;

/**
 * The fields as written, read as if in UTC: what the tab and the export format with time zone
 * UTC to show a zone-less or partial time as written, and the sort key of one (a stable order
 * beats none; an `instant` is ordered by its real moment).
 */
export const asWrittenMs = (t: FhirTime): number => Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, t.millisecond);

/** The moment of an `instant`; for the other precisions the as-written fields read as UTC (a sort key, not a moment). */
export const sortKeyMs = (t: FhirTime): number => asWrittenMs(t) - (t.offsetMinutes ?? 0) * 60_000;

/**
 * The earliest moment a FHIR time can mean: an `instant` is itself; any other (a zone-less
 * date-time, a day, month or year) its clock time read at the widest offset east of UTC, 14 hours
 * before it read as UTC (a day begins in the easternmost zone first). Null for text that is not a FHIR time.
 */
export function earliestMs(text: string): number | null {
  const t = fhirTime(text);
  if (!t) return null;
  return t.precision === 'instant' ? sortKeyMs(t) : asWrittenMs(t) - WIDEST_OFFSET_MS;
}

/**
 * A time more than this after now is dated in the future (a wrong clock or time zone, or a value
 * typed against the wrong day). The allowance covers the clock skew between the EHR and the reader:
 * 5 minutes, well above NTP-synchronised drift and the seconds between an EHR's write and this read.
 */
export const FUTURE_ALLOWANCE_MS = 5 * 60_000;

/**
 * Whether a FHIR time is still to come at `nowMs`: its earliest possible moment (earliestMs: a day
 * begins first in the easternmost zone) more than FUTURE_ALLOWANCE_MS after it. False for text that
 * is not a FHIR time.
 */
export function datedAfterNow(text: string, nowMs: number): boolean {
  const at = earliestMs(text);
  return at !== null && at - nowMs > FUTURE_ALLOWANCE_MS;
}

/**
 * The latest moment a FHIR time can mean: an `instant` is itself; a zone-less date-time may have
 * been written as far west as UTC-14:00, so up to 14 hours after its clock time read as UTC; a
 * day, month or year lasts to its end, and is zone-less too ("2026-12-04" means up to
 * 2026-12-05T00:00 at UTC-14:00, 2026-12-05T14:00Z). Null for text that is not a FHIR time.
 */
export function latestMs(text: string): number | null {
  const t = fhirTime(text);
  if (!t) return null;
  if (t.precision === 'instant') return sortKeyMs(t);
  const end =
    t.precision === 'year'
      ? Date.UTC(t.year + 1, 0, 1)
      : t.precision === 'month'
        ? Date.UTC(t.year, t.month, 1)
        : t.precision === 'day'
          ? Date.UTC(t.year, t.month - 1, t.day + 1)
          : asWrittenMs(t);
  return end + WIDEST_OFFSET_MS;
}
