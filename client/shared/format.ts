import { ageSpan, dateParts, earliestDay, latestDay, type DateParts } from '../../contract/age-span';
import { asWrittenMs, datedAfterNow, fhirTime, sortKeyMs, type FhirTime } from '../../contract/fhir-time';
import type { MessageKey } from './i18n/en';
import { isUnverifiedReason } from '../../contract/plain-constants';
import { currentLocale, english, t } from './i18n/t';

/** A calendar date (no time of day), in the user's locale; UTC so that no time zone shifts the day. */
export function calendarDate(year: number, month?: number, day?: number): string {
  const options: Intl.DateTimeFormatOptions =
    day !== undefined ? { dateStyle: 'medium' } : month !== undefined ? { year: 'numeric', month: 'long' } : { year: 'numeric' };
  return new Date(Date.UTC(year, (month ?? 1) - 1, day ?? 1)).toLocaleDateString(currentLocale(), { ...options, timeZone: 'UTC' });
}

/** `young`: a child's age in words of months ("5 months", "4–5 months" when the days leave either), days ("12 days"), or only under a unit ("under 1 year"). */
function yearsUntil(from: DateParts, to: DateParts) {
  const { age, exact, months, days, under } = ageSpan(from, to);
  const young = under
    ? t('age.under', { span: unitWords(under.count, under.unit) })
    : !months
      ? undefined
      : months.least < months.most
        ? unitFormat('month').formatRange(months.least, months.most)
        : days !== undefined
          ? unitWords(days, 'day')
          : unitWords(months.most, 'month');
  return { age, exact, young };
}

/**
 * Birth date with age; partial dates ("1951", "1951-08") give an approximate age when the parts
 * they give leave the whole years open (ageSpan). For a deceased
 * patient (Patient.deceased[x]) the age is the age at death with the date of death, or only
 * "deceased" when the EHR gives no date: never an age as if the patient were alive.
 * Dates that contradict each other (Patient.birthDate after the date of death, or after today, even
 * at the widest a partial date allows) give no age at all, never a negative one: both dates are
 * shown as the EHR gave them, said to conflict ("dates conflict: check in EHR"), so the record is
 * checked rather than a wrong age believed.
 */
export function birthDateWithAge(birthDate: string | null, today = new Date(), deceased?: { date: string | null } | null): string {
  if (!birthDate) return deceased ? deceasedText(deceased, today) : t('value.none');
  const birth = dateParts(birthDate);
  if (!birth) return deceased ? `${birthDate} (${deceasedText(deceased, today)})` : birthDate;
  const date = calendarDate(...birth);
  if (deceased) {
    const death = deceased.date ? dateParts(deceased.date) : null;
    if (!death) return t('age.deceased', { date });
    // As a living child's age: a child who died under two is aged in months or days, never "aged 0".
    const { age, exact, young } = yearsUntil(birth, death);
    const died = calendarDate(...death);
    if (latestDay(death) < earliestDay(birth) || age < 0 || diedLater(deceased, today)) return t('age.diedDatesConflict', { date, died });
    return t(young ? 'age.diedYoung' : exact ? 'age.died' : 'age.diedAbout', { date, died, age: young ?? age });
  }
  const now: DateParts = [today.getFullYear(), today.getMonth() + 1, today.getDate()];
  const { age, exact, young } = yearsUntil(birth, now);
  if (earliestDay(birth) > latestDay(now) || age < 0) return t('age.datesConflict', { date });
  return t(young ? 'age.young' : exact ? 'age.years' : 'age.about', { date, age: young ?? age });
}

/** Patient.deceased as another program's JSON sends it: an object is a death (with a date when it is text), anything else alive. */
export function deceasedOf(x: unknown): { date: string | null } | null {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return null;
  const date = (x as Record<string, unknown>).date;
  return { date: typeof date === 'string' ? date : null };
}

/** A replaced, qualified, inactive or secondary patient record (contract recordNotice). */
export interface RecordNoticeValue {
  kind: 'replaced' | 'qualified' | 'inactive' | 'refer';
  replacedById: string | null;
  replacedByName: string | null;
}

/** Patient.recordNotice as another program's JSON sends it: a kind this tab does not know reads as a record in use. */
export function recordNoticeOf(x: unknown): RecordNoticeValue | null {
  if (typeof x !== 'object' || x === null) return null;
  const { kind, replacedById, replacedByName } = x as Record<string, unknown>;
  if (kind !== 'replaced' && kind !== 'qualified' && kind !== 'inactive' && kind !== 'refer') return null;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return { kind, replacedById: text(replacedById), replacedByName: text(replacedByName) };
}

/** "Replaced record", "Inactive record", "Not the main record": the words beside the name. */
export function recordNoticeLabel(notice: RecordNoticeValue): string {
  const key = { replaced: 'record.replaced', qualified: 'record.qualified', inactive: 'record.inactive', refer: 'record.refer' } as const;
  return t(key[notice.kind]);
}

/**
 * A date of death still to come (Patient.deceasedDateTime, DSTU2, STU3 and R4: "indicates if the
 * individual is deceased or not") is a record error, a year or day typed wrong: a death cannot be
 * later than now. Its date is shown as given and said to conflict, never aged by nor stated plain.
 */
const diedLater = (deceased: { date: string | null }, today: Date) => !!deceased.date && datedAfterNow(deceased.date, today.getTime());

/** "Deceased", with the date of death when the EHR gives one (said to conflict when it is still to come: diedLater). */
export function deceasedText(deceased: { date: string | null }, today = new Date()): string {
  const death = deceased.date ? dateParts(deceased.date) : null;
  if (!death) return t('deceased.label');
  return t(diedLater(deceased, today) ? 'deceased.onDatesConflict' : 'deceased.on', { died: calendarDate(...death) });
}

/** A patient's name as shown: the EHR's, or "Unnamed patient" with the MRN when the record has no name. */
export function patientName(displayName: string | null | undefined, mrn: string | null | undefined): string {
  if (displayName) return displayName;
  return mrn ? t('name.unnamedMrn', { mrn }) : t('name.unnamed');
}

/** Who wrote (or discharged) something: the name, or, when the app cannot vouch for one, why (contract unverifiedReasons). */
export function authorText(name: unknown, unverified: unknown): string {
  if (isUnverifiedReason(unverified)) return t(`author.${unverified}`);
  return typeof name === 'string' ? name : '';
}

export function genderLabel(gender: string | null): string {
  if (gender === 'male' || gender === 'female' || gender === 'other' || gender === 'unknown') return t(`gender.${gender}`);
  return t('value.none');
}

/** A point in time in the user's locale and time zone (en-GB "3 Dec 2026, 14:05", en-US "Dec 3, 2026, 2:05 PM"). */
export function dateTime(value: string | number | Date, timeZone?: string): string {
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(value));
}

/**
 * A reading's time, short: day, month and time in the user's locale ("3 Dec, 14:05" in en-GB,
 * "Dec 3, 2:05 PM" in en-US), with the year only when it is not the year of `now`.
 */
export function shortDateTime(date: Date, now = new Date(), timeZone?: string): string {
  // A 24-hour locale writes "08:00", a 12-hour one "8:00 AM".
  const h24 = /h2[34]/.test(new Intl.DateTimeFormat(currentLocale(), { hour: 'numeric' }).resolvedOptions().hourCycle ?? '');
  const options: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', hour: h24 ? '2-digit' : 'numeric', minute: '2-digit', timeZone };
  // This year is the user's, whatever zone the time is written in.
  if (yearIn(date, timeZone) !== now.getFullYear()) options.year = 'numeric';
  return new Intl.DateTimeFormat(currentLocale(), options).format(date);
}

const yearIn = (date: Date, timeZone?: string) => Number(new Intl.DateTimeFormat('en', { year: 'numeric', timeZone }).format(date));

/**
 * How a FHIR date, dateTime or instant is shown: `short` as a list cell ("Dec 5, 8:00 AM", the year
 * only when not this year), `full` as the details' trend table ("Dec 5, 2026, 8:00 AM"), `date`
 * its day alone ("Dec 5, 2026").
 */
export type FhirTimeStyle = 'short' | 'full' | 'date';

/**
 * A FHIR time as the EHR sent it (`text`, with `epochMs` its sort key), at the precision and in the
 * zone sense it was sent (contract/fhir-time.ts): a time with a zone is a moment, shown in the
 * user's zone; a zone-less date-time is the clock time where it was taken, shown as written (its
 * fields formatted in UTC, so nothing shifts it); a day, month or year is shown alone, never with a
 * made-up time. Text that is no FHIR time is shown as sent.
 */
export function fhirTimeText(text: string, epochMs: number | null, style: FhirTimeStyle, now = new Date()): string {
  const time = fhirTime(text);
  if (!time) return text;
  if (time.precision === 'instant') {
    const date = new Date(epochMs ?? sortKeyMs(time));
    return style === 'short' ? shortDateTime(date, now) : style === 'full' ? dateTime(date) : mediumDate(date);
  }
  const { precision, year, month, day } = time;
  if (precision === 'year') return calendarDate(year);
  if (precision === 'month') return style === 'short' ? asWritten(time, { year: 'numeric', month: 'short' }) : calendarDate(year, month);
  if (precision === 'day' || style === 'date') {
    if (style !== 'short') return calendarDate(year, month, day);
    return asWritten(time, { day: 'numeric', month: 'short', ...(year !== now.getFullYear() ? { year: 'numeric' } : {}) });
  }
  const written = new Date(asWrittenMs(time));
  return style === 'short' ? shortDateTime(written, now, 'UTC') : dateTime(written, 'UTC');
}

/** A partial or zone-less FHIR time's fields as written, in the user's locale. */
const asWritten = (time: FhirTime, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(currentLocale(), { ...options, timeZone: 'UTC' }).format(asWrittenMs(time));

/** A day of a point in time in the user's locale ("3 Dec 2026"). */
export const mediumDate = (date: Date, timeZone?: string) => new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeZone }).format(date);

/** A number with the user's locale's decimal and grouping marks. */
export const numberText = (value: number) => value.toLocaleString(currentLocale());

/** A number with every digit it has (what an EHR sent), in the user's locale's marks. */
export const exactNumberText = (value: number) => value.toLocaleString(currentLocale(), { maximumFractionDigits: 20 });

/** A FHIR code the EHR sends (status, severity, criticality, encounter class) in words; unknown codes as sent. */
export function codeLabel(code: string | null | undefined): string {
  if (!code) return '';
  const key = `code.${code.toLowerCase()}`;
  return key in english ? t(key as MessageKey) : code;
}

/** Numbers of a unit (an Intl unit: second, day, month, year…) in words of the active language ("5 seconds", "5 секунд", "5秒钟"). */
export const unitFormat = (unit: string) => new Intl.NumberFormat(currentLocale(), { style: 'unit', unit, unitDisplay: 'long' });
const unitWords = (value: number, unit: string) => unitFormat(unit).format(value);
export const durationText = (seconds: number) => unitWords(seconds, 'second');
