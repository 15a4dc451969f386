/**
 * The age from one FHIR date to another, worked out once for the tab (client/shared/format.ts) and
 * the export (server/features/lists/cell-text.ts), which word it each their own way.
 */

/** A FHIR date or dateTime's calendar day as written: year, and month and day when given ("1979-07-11T21:51:36+00:00" is 11 July 1979). */
export type DateParts = [year: number, month: number | undefined, day: number | undefined];

export function dateParts(value: string): DateParts | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(value);
  return m ? [Number(m[1]), m[2] ? Number(m[2]) : undefined, m[3] ? Number(m[3]) : undefined] : null;
}

/** The earliest and latest day a partial FHIR date can mean, as comparable numbers (yyyymmdd). */
export const earliestDay = ([year, month, day]: DateParts) => year * 10_000 + (month ?? 1) * 100 + (day ?? 1);
export const latestDay = ([year, month, day]: DateParts) => year * 10_000 + (month ?? 12) * 100 + (day ?? 31);

export interface AgeSpan {
  /** Whole years: of the most months the dates allow, or the year difference when a month is missing. */
  age: number;
  /** Whether every day the dates allow gives the same whole years. */
  exact: boolean;
  /** Certainly under two years: the least and most whole months the dates allow. */
  months?: { least: number; most: number };
  /** Under a month, from full dates: the whole days. */
  days?: number;
  /**
   * When the least age the dates allow is none at all (an infant's dates given to the year or the
   * month only): the age is known only to be under `count` years or months, and is said so ("under
   * 1 year", "under 2 months"), never "about 0" nor "0 months", which state it more precisely than
   * the dates allow.
   */
  under?: { count: number; unit: 'year' | 'month' };
}

/**
 * From the parts both dates give: a date given to the month leaves m or m-1 whole months (m the
 * month difference; never under 0, the dates may agree), so the years are exact whenever the months
 * of the year differ, else "about" the larger; a year alone gives "about" the year difference. A
 * child certainly under two is aged in months, and under a month, from full dates, in days, as a
 * child's age is said (a newborn is never "0 y"); an infant whose dates allow no whole unit at all
 * is "under" one (AgeSpan.under).
 */
export function ageSpan([year, month, day]: DateParts, [toYear, toMonth, toDay]: DateParts): AgeSpan {
  if (month === undefined || toMonth === undefined) {
    // A year alone leaves y or y-1 whole years (y the year difference): under 1 or under 2 when y-1 may be none.
    const age = toYear - year;
    return { age, exact: false, ...(age === 0 || age === 1 ? { under: { count: age + 1, unit: 'year' as const } } : {}) };
  }
  const full = day !== undefined && toDay !== undefined;
  const most = (toYear - year) * 12 + toMonth - month - (full && toDay < day ? 1 : 0);
  const least = full ? most : Math.max(most - 1, 0);
  const age = Math.floor(most / 12);
  return {
    age,
    exact: Math.floor(least / 12) === age,
    ...(most <= 23 ? { months: { least, most } } : {}),
    ...(full && most === 0 ? { days: (Date.UTC(toYear, toMonth - 1, toDay) - Date.UTC(year, month - 1, day)) / 864e5 } : {}),
    // Partial dates that allow no whole month at all: under 1 or under 2 months (full dates give the days).
    ...(!full && least === 0 ? { under: { count: most + 1, unit: 'month' as const } } : {}),
  };
}
