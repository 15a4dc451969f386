import type { MessageKey } from './i18n/en';
import { catalogs, currentLanguage, t } from './i18n/t';

/** A calendar date (no time of day), in the active language; UTC so that no time zone shifts the day. */
export function calendarDate(year: number, month?: number, day?: number): string {
  const options: Intl.DateTimeFormatOptions =
    day !== undefined ? { dateStyle: 'medium' } : month !== undefined ? { year: 'numeric', month: 'long' } : { year: 'numeric' };
  return new Date(Date.UTC(year, (month ?? 1) - 1, day ?? 1)).toLocaleDateString(currentLanguage(), { ...options, timeZone: 'UTC' });
}

/** Birth date with age; partial dates ("1951", "1951-08") give an approximate age. */
export function birthDateWithAge(birthDate: string | null, today = new Date()): string {
  if (!birthDate) return t('value.none');
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(birthDate);
  if (!m) return birthDate;
  const [year, month, day] = [Number(m[1]), m[2] ? Number(m[2]) : undefined, m[3] ? Number(m[3]) : undefined];
  let age = today.getFullYear() - year;
  const date = calendarDate(year, month, day);
  if (month !== undefined && day !== undefined) {
    if (today.getMonth() + 1 < month || (today.getMonth() + 1 === month && today.getDate() < day)) age -= 1;
    return t('age.years', { date, age });
  }
  return t('age.about', { date, age });
}

export function genderLabel(gender: string | null): string {
  if (gender === 'male' || gender === 'female' || gender === 'other' || gender === 'unknown') return t(`gender.${gender}`);
  return t('value.none');
}

/** A point in time, formatted for the active language. */
export function dateTime(value: string | number | Date): string {
  return new Date(value).toLocaleString(currentLanguage(), { dateStyle: 'medium', timeStyle: 'short' });
}

/** A number with the active language's decimal and grouping marks. */
export const numberText = (value: number) => value.toLocaleString(currentLanguage());

/** A FHIR code the EHR sends (status, severity, criticality, encounter class) in words; unknown codes as sent. */
export function codeLabel(code: string | null | undefined): string {
  if (!code) return '';
  const key = `code.${code.toLowerCase()}`;
  return key in catalogs.en ? t(key as MessageKey) : code;
}

/** A number of seconds in words of the active language ("5 seconds", "5 секунд", "5秒钟"). */
export const durationText = (seconds: number) =>
  new Intl.NumberFormat(currentLanguage(), { style: 'unit', unit: 'second', unitDisplay: 'long' }).format(seconds);
