import { z } from 'zod';

/**
 * Value kinds of the settings (config.ts), each refused with one line that says what is allowed:
 * zod's own words ("Invalid input: expected int, received number", "expected number, received
 * NaN", "Invalid URL") name no range or form, and say it twice when two checks fail.
 */

/**
 * A whole number from `min` to `max` (or of `min` or more). Digits only, spaces around them
 * ignored: a value of spaces alone is refused, where a number coercion would read it as 0 (PORT
 * would then be any free port).
 */
export function wholeNumber(min: number, max?: number) {
  const message = `must be a whole number ${max === undefined ? `of ${min} or more` : `from ${min} to ${max}`}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, message)
    .transform(Number)
    .refine((n) => n >= min && (max === undefined || n <= max), message);
}

/** An absolute http(s) address; `message` may add an example. */
export function httpAddress(message = 'must be an http(s) address') {
  return z
    .string()
    .trim()
    .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), message);
}

/** An https address only (the Key Vault's). */
export function httpsAddress(message: string) {
  return z
    .string()
    .trim()
    .refine((u) => /^https:\/\//i.test(u) && URL.canParse(u), message);
}

/** Any absolute URI (an identifier system: `urn:oid:…` as well as `https://…`). */
export function absoluteUri(message: string) {
  return z
    .string()
    .trim()
    .refine((u) => /^[a-z][a-z0-9+.-]*:/i.test(u) && URL.canParse(u), message);
}
