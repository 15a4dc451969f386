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

/** A URL that `URL` can read and whose scheme `scheme` takes, spaces around it ignored. */
const address = (scheme: RegExp, message: string) =>
  z
    .string()
    .trim()
    .refine((u) => scheme.test(u) && URL.canParse(u), message);

/** An absolute http(s) address; `message` may add an example. */
export const httpAddress = (message = 'must be an http(s) address') => address(/^https?:\/\//i, message);

/** An https address only (the Key Vault's). */
export const httpsAddress = (message: string) => address(/^https:\/\//i, message);

/** Any absolute URI (an identifier system: `urn:oid:…` as well as `https://…`). */
export const absoluteUri = (message: string) => address(/^[a-z][a-z0-9+.-]*:/i, message);
