/**
 * Constants of the contract that the tab uses as values, without zod: the tab's first download
 * must not carry the schemas (issue 12: initial JavaScript at most 250 kB gzip). The schema
 * modules (`cells.ts`, `notes.ts`) build on these and export them again.
 */

/** Why a cell is "not available": the EHR does not offer that data, its answer failed, or it could not be read. */
export const unavailableReasons = ['not_offered', 'failed', 'malformed'] as const;
export type UnavailableReason = (typeof unavailableReasons)[number];

/** The longest note, in characters; a longer one is refused, never cut. */
export const NOTE_MAX_LENGTH = 4000;
