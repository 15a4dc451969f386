/** Tolerant readers for JSON from EHRs, where any field may be missing or wrongly typed. */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty trimmed string, or undefined. */
export function str(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The value as an array: arrays as they are, a single value wrapped, nothing as []. */
export function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value];
}

/** Objects of a value that should be an array of objects (a lone object is accepted). */
export function objects(value: unknown): JsonObject[] {
  return list(value).filter(isObject);
}

/** Strings of a value that should be an array of strings (a lone string is accepted). */
export function strings(value: unknown): string[] {
  return list(value)
    .map(str)
    .filter((s): s is string => s !== undefined);
}
