import { z } from 'zod';
import { Problem, problem } from '../../platform/problem.js';

/**
 * Query strings of the patient routes, checked before anything reaches the EHR: a bad value is
 * the caller's mistake (400), never the EHR's (502).
 */

const controlCharacters = /[\p{Cc}\p{Cs}]/u;

/** Days in a month of the proleptic Gregorian calendar (month 1..12). */
function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True for a FHIR `date` that names a real day, month or year: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
export function isFhirDate(value: string): boolean {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  if (year < 1) return false;
  if (match[2] === undefined) return true;
  const month = Number(match[2]);
  if (month < 1 || month > 12) return false;
  if (match[3] === undefined) return true;
  const day = Number(match[3]);
  return day >= 1 && day <= daysIn(year, month);
}

/** A FHIR date that is a real calendar date (leap years included). */
export const fhirDate = z.string().refine(isFhirDate, 'must be a real date like 1951-08-24, or a year-month like 1951-08, or a year like 1951');

/** FHIR resource id syntax. */
const resourceId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'must be a FHIR resource id');

/** A name or part of one: trimmed, 1..200 characters, no control characters. */
const searchText = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((s) => !controlCharacters.test(s), 'must not contain control characters');

/** An identifier value (an MRN), or `system|value` / `|value` as FHIR token search has it. */
const identifier = searchText.refine((s) => {
  const parts = s.split('|');
  if (parts.length === 1) return true;
  if (parts.length > 2) return false;
  const [system, value] = parts;
  return /^\S*$/.test(system) && value.trim().length > 0;
}, 'must be an identifier value, or system|value');

/** `count` as a query string gives it: a whole number from 1 to 100. */
const count = z
  .string()
  .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be a whole number from 1 to 100').max(100, 'must be a whole number from 1 to 100'));

/** `GET …/patients?name=&family=&given=&identifier=&birthdate=&gender=&id=&count=`; nothing else. */
export const patientSearchQuery = z
  .object({
    name: searchText.optional(),
    family: searchText.optional(),
    given: searchText.optional(),
    identifier: identifier.optional(),
    birthdate: fhirDate.optional(),
    gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
    id: resourceId.optional(),
    count: count.optional(),
  })
  .strict();

export type PatientSearchCriteria = z.infer<typeof patientSearchQuery>;

/** The longest page cursor accepted (the base64url of an EHR's next link). */
export const maxPageCursorLength = 4000;

/** The next-page cursor: base64url of the EHR's absolute next link. */
export function encodePageCursor(url: string): string {
  return Buffer.from(url, 'utf8').toString('base64url');
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Why a page cursor is refused, in plain words, or the EHR link it carries. */
export function pageCursorProblem(cursor: unknown): { url: string } | { problem: string } {
  if (typeof cursor !== 'string' || cursor.length === 0) return { problem: 'it is empty' };
  if (cursor.length > maxPageCursorLength) return { problem: 'it is too long' };
  // Buffer decoding skips what it does not understand; a cursor must be exactly what we encoded.
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return { problem: 'it is not base64url' };
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.toString('base64url') !== cursor) return { problem: 'it is not base64url' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { problem: 'it is not UTF-8 text' };
  }
  if (controlCharacters.test(text)) return { problem: 'it contains control characters' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: 'it is not an absolute address' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: 'it is not an http or https address' };
  return { url: text };
}

/** The EHR's next link a page cursor carries; a 400 `invalid_page` when it is not one of ours. */
export function decodePageCursor(cursor: unknown): string {
  const checked = pageCursorProblem(cursor);
  if ('problem' in checked) throw new Problem('invalid_page', `The page link is not valid (${checked.problem}). Search again.`);
  return checked.url;
}

/** A page cursor as a zod schema: the decoded link, or a `validation_failed` issue. */
export const pageCursor = z.string().transform((cursor, ctx) => {
  const checked = pageCursorProblem(cursor);
  if ('problem' in checked) {
    ctx.addIssue({ code: 'custom', message: `is not a valid page link (${checked.problem})` });
    return z.NEVER;
  }
  return checked.url;
});

/** `GET …/patients?page=`; nothing else. The raw cursor: decode it with `decodePageCursor`. */
export const pageQuery = z.object({ page: z.string() }).strict();

/**
 * The whole patient-search query in one call: a next page (`?page=`, alone) with the EHR link it
 * carries, or search criteria with at least one criterion beside `count`. Throws a ZodError
 * (400 `validation_failed` through the error handler) or a Problem (`invalid_page`,
 * `search_criteria_required`).
 */
export function parsePatientSearch(query: unknown): { kind: 'page'; pageUrl: string } | { kind: 'search'; criteria: PatientSearchCriteria } {
  if (query !== null && typeof query === 'object' && 'page' in query) {
    const { page } = pageQuery.parse(query);
    return { kind: 'page', pageUrl: decodePageCursor(page) };
  }
  const criteria = patientSearchQuery.parse(query);
  if (Object.keys(criteria).every((k) => k === 'count')) {
    throw problem('search_criteria_required', 'Give at least one of name, family, given, identifier, birthdate, gender or id.');
  }
  return { kind: 'search', criteria };
}
