/**
 * Constants of the contract that the tab uses as values, without zod: the tab's first download
 * must not carry the schemas (issue 12: initial JavaScript at most 250 kB gzip). The schema
 * modules (`cells.ts`, `notes.ts`) build on these and export them again.
 */

/**
 * Why a cell is "not available": the EHR does not offer that data, its answer failed, it could not
 * be read, the EHR recorded a reading whose value the app cannot read (`unreadable_value`), or the
 * row's record was replaced by another and must no longer be used (`replaced_record`).
 */
export const unavailableReasons = ['not_offered', 'failed', 'malformed', 'unreadable_value', 'replaced_record'] as const;
export type UnavailableReason = (typeof unavailableReasons)[number];

/**
 * Verification statuses of a diagnosis or allergy the EHR has not confirmed: Condition.verificationStatus
 * `provisional` and `differential` (condition-ver-status, DSTU2 to R4; R4 also `unconfirmed`, their
 * parent), AllergyIntolerance `unconfirmed` (DSTU2 `status`, STU3 and R4 `verificationStatus`,
 * allergy-verification-status). The list keeps such a record and says so beside it: "Asthma
 * (provisional)" is not an established diagnosis.
 */
export const unconfirmedVerifications = ['unconfirmed', 'provisional', 'differential'] as const;
export type UnconfirmedVerification = (typeof unconfirmedVerifications)[number];
export const isUnconfirmed = (code: unknown): code is UnconfirmedVerification => (unconfirmedVerifications as readonly unknown[]).includes(code);

/** The longest note, in characters; a longer one is refused, never cut. */
export const NOTE_MAX_LENGTH = 4000;

/**
 * Why the app cannot vouch for who wrote (or discharged) what a row of the team's site holds: its
 * sealed fields were changed outside the app (`altered`), or it was written before the app sealed
 * its records, or outside the app (`unsealed`). The author is then no one: the id is empty and the
 * name an English explanation (for exports and older tabs), never the name in the row; the tab
 * says it in the user's language.
 */
export const unverifiedReasons = ['altered', 'unsealed'] as const;
export type UnverifiedReason = (typeof unverifiedReasons)[number];
export const isUnverifiedReason = (value: unknown): value is UnverifiedReason => (unverifiedReasons as readonly unknown[]).includes(value);

/**
 * The most patients one list holds: a ward or a unit census, with room to spare. Each view of a
 * list reads every patient from the EHR and records each in the audit trail, so an unbounded list
 * would let one member load the EHR and flood the trail. A list whose rows were added past it
 * outside the app (in SharePoint) is read with its first patients up to it (`beyondLimit`).
 */
export const MAX_PATIENTS_PER_LIST = 500;
