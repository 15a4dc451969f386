import { currentLocale } from '../../shared/i18n/t';

/**
 * Text as a clinician's filter matches it: letter case and accents aside ("nunez" finds Núñez,
 * "zoe" finds Zoë), as the patient search of every FHIR version does (string search:
 * https://hl7.org/fhir/R4/search.html#string, "ignoring case and accents").
 */
export function folded(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

export type SortKey = string | number | null;

/**
 * The order of two sort keys, missing values last whatever the direction is applied to the
 * rest: numbers by value, text as people read it in the user's language (accents and case
 * second, numbers inside text by value: "Room 2" before "Room 10", MRN 99 before MRN 100).
 */
export function sortKeyOrder(collator: Intl.Collator = textOrder()) {
  return (x: SortKey, y: SortKey, factor: 1 | -1): number => {
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    if (typeof x === 'string' && typeof y === 'string') return collator.compare(x, y) * factor;
    if (typeof x === 'number' && typeof y === 'number') return (x - y) * factor;
    // A number and a text (a date read and one that was not): numbers first, as the readable ones.
    return (typeof x === 'number' ? -1 : 1) * factor;
  };
}

export const textOrder = () => new Intl.Collator(currentLocale(), { numeric: true, sensitivity: 'base' });
