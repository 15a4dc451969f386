import { currentLanguage, t } from './i18n/t';

/** Birth date with age; partial dates ("1951", "1951-08") give an approximate age. */
export function birthDateWithAge(birthDate: string | null, today = new Date()): string {
  if (!birthDate) return t('value.none');
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(birthDate);
  if (!m) return birthDate;
  const [year, month, day] = [Number(m[1]), m[2] ? Number(m[2]) : undefined, m[3] ? Number(m[3]) : undefined];
  let age = today.getFullYear() - year;
  if (month !== undefined && day !== undefined) {
    if (today.getMonth() + 1 < month || (today.getMonth() + 1 === month && today.getDate() < day)) age -= 1;
    return t('age.years', { date: birthDate, age });
  }
  return t('age.about', { date: birthDate, age });
}

export function genderLabel(gender: string | null): string {
  if (gender === 'male' || gender === 'female' || gender === 'other' || gender === 'unknown') return t(`gender.${gender}`);
  return t('value.none');
}

/** A point in time, formatted for the active language. */
export function dateTime(value: string | number | Date): string {
  return new Date(value).toLocaleString(currentLanguage(), { dateStyle: 'medium', timeStyle: 'short' });
}
