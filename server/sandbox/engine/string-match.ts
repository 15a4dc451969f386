/**
 * FHIR string search, one rule for every release the sandbox speaks (search.html#string in
 * DSTU2, STU3 and R4): by default a value matches when it, or one of its words, starts with the
 * text asked, ignoring case and accents; `:contains` matches anywhere in it; `:exact` matches the
 * whole value as written. A HumanName is searched by each of its parts (text, family, given,
 * prefix, suffix).
 */

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

export const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** The strings a value is searched by: itself, or each part of a HumanName (or name-like value). */
export function searchableStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    return [v.text, v.family, v.given, v.prefix, v.suffix].flatMap(arr).filter((s): s is string => typeof s === 'string');
  }
  return [];
}

/** The modifiers a string parameter takes here; others are refused. */
export const stringModifiers = ['contains', 'exact', 'missing'] as const;

export function matchString(values: string[], wanted: string, modifier: string): boolean {
  const w = fold(wanted);
  return values.some((v) => {
    if (modifier === 'exact') return v === wanted;
    const f = fold(v);
    if (modifier === 'contains') return f.includes(w);
    return f.startsWith(w) || f.split(/[\s-]+/).some((part) => part.startsWith(w));
  });
}
