import { z } from 'zod';
import { ticketShape } from '../../platform/held-items.js';
import { Problem, problem } from '../../platform/problem.js';
import { fhirDate, isFhirDate, pageQuery, patientSearchQuery, type PatientSearchCriteria } from '../../../contract/patients.js';

/**
 * Query strings of the patient routes, checked before anything reaches the EHR: a bad value is
 * the caller's mistake (400), never the EHR's (502). The shapes are the contract's; the page
 * cursor, an opaque ticket standing for the EHR's next link (page-links.ts), is checked for
 * shape here.
 */

export { fhirDate, isFhirDate, pageQuery, patientSearchQuery, type PatientSearchCriteria };

/** Why a page cursor is refused, in plain words, or the ticket it is (what it stands for is checked in page-links.ts). */
export function pageCursorProblem(cursor: unknown): { ticket: string } | { problem: string } {
  if (typeof cursor !== 'string' || cursor.length === 0) return { problem: 'it is empty' };
  // Only what this server issues: a ticket of 32 random bytes (held-items.ts); anything else is refused unread.
  if (!ticketShape.test(cursor)) return { problem: 'it was changed or cut short' };
  return { ticket: cursor };
}

/** The 400 `invalid_page` of a page link this server cannot use: the same words whatever the reason's detail. */
export const invalidPage = (why: string) => new Problem('invalid_page', `The page link is not valid (${why}). Search again.`);

/** The ticket of a page cursor; a 400 `invalid_page` when it cannot be one of ours. */
export function decodePageCursor(cursor: unknown): string {
  const checked = pageCursorProblem(cursor);
  if ('problem' in checked) throw invalidPage(checked.problem);
  return checked.ticket;
}

/** A page cursor as a zod schema: the ticket, or a `validation_failed` issue. */
export const pageCursor = z.string().transform((cursor, ctx) => {
  const checked = pageCursorProblem(cursor);
  if ('problem' in checked) {
    ctx.addIssue({ code: 'custom', message: `is not a valid page link (${checked.problem})` });
    return z.NEVER;
  }
  return checked.ticket;
});

/**
 * The whole patient-search query in one call: a next page (`?page=`, alone) with the ticket it
 * is (redeemed in page-links.ts, for the caller and team only), or search criteria with at least
 * one criterion beside `count`. Throws a ZodError (400 `validation_failed` through the error
 * handler) or a Problem (`invalid_page`, `search_criteria_required`).
 */
export type PatientSearch = { kind: 'page'; ticket: string } | { kind: 'search'; criteria: PatientSearchCriteria };

export function parsePatientSearch(query: unknown): PatientSearch {
  if (query !== null && typeof query === 'object' && 'page' in query) {
    const { page } = pageQuery.parse(query);
    return { kind: 'page', ticket: decodePageCursor(page) };
  }
  const criteria = patientSearchQuery.parse(query);
  if (Object.keys(criteria).every((k) => k === 'count')) {
    throw problem('search_criteria_required', 'Give a name, an MRN, a birth date or a gender to search for.');
  }
  return { kind: 'search', criteria };
}
