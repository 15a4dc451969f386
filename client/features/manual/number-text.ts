import { currentLocale } from '../../shared/i18n/t';

/** The decimal mark of a locale: "." in English and Chinese, "," in Russian. */
const decimalMark = (locale: string) => new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';

/**
 * A number as typed into a team field or a field's bounds: digits with at most one decimal mark,
 * "." or the user's locale's own ("," in Russian); anything else is no number (NaN), refused in
 * words, never guessed. (A browser's number input guesses: in an English tab it read "72,5" as 725.)
 */
export function numberFromText(text: string, locale = currentLocale()): number {
  const mark = decimalMark(locale);
  const typed = text.trim().replace(/^\u2212/, '-');
  const plain = mark === '.' ? typed : typed.replace(mark, '.');
  return /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(plain) ? Number(plain) : NaN;
}

/** A stored number as the text of its input, with the user's decimal mark and no grouping ("72,5" in Russian). */
export const numberInputText = (value: number, locale = currentLocale()) =>
  value.toLocaleString(locale, { useGrouping: false, maximumFractionDigits: 20 });
