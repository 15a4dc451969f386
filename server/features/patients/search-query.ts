import { z } from 'zod';
import { Problem, problem } from '../../platform/problem.js';
import { fhirDate, hasControlCharacters, isFhirDate, pageQuery, patientSearchQuery, type PatientSearchCriteria } from '../../../contract/patients.js';

/**
 * Query strings of the patient routes, checked before anything reaches the EHR: a bad value is
 * the caller's mistake (400), never the EHR's (502). The shapes are the contract's; the page
 * cursor, which wraps the EHR's own next link, is checked here.
 */

export { fhirDate, isFhirDate, pageQuery, patientSearchQuery, type PatientSearchCriteria };

/** The longest page cursor accepted (the base64url of an EHR's next link). */
const maxPageCursorLength = 4000;

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
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return { problem: 'it was changed or cut short' };
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.toString('base64url') !== cursor) return { problem: 'it was changed or cut short' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { problem: 'it was changed or cut short' };
  }
  if (hasControlCharacters(text)) return { problem: 'it holds characters a link cannot have' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: 'it does not lead to a web address' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: 'it does not lead to an http or https address' };
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

/**
 * The whole patient-search query in one call: a next page (`?page=`, alone) with the EHR link it
 * carries, or search criteria with at least one criterion beside `count`. Throws a ZodError
 * (400 `validation_failed` through the error handler) or a Problem (`invalid_page`,
 * `search_criteria_required`).
 */
export type PatientSearch = { kind: 'page'; pageUrl: string } | { kind: 'search'; criteria: PatientSearchCriteria };

export function parsePatientSearch(query: unknown): PatientSearch {
  if (query !== null && typeof query === 'object' && 'page' in query) {
    const { page } = pageQuery.parse(query);
    return { kind: 'page', pageUrl: decodePageCursor(page) };
  }
  const criteria = patientSearchQuery.parse(query);
  if (Object.keys(criteria).every((k) => k === 'count')) {
    throw problem('search_criteria_required', 'Give a name, an MRN, a birth date or a gender to search for.');
  }
  return { kind: 'search', criteria };
}
