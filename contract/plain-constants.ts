/**
 * Constants of the contract that the tab uses as values, without zod: the tab's first download
 * must not carry the schemas (issue 12: initial JavaScript at most 250 kB gzip). The schema
 * modules (`cells.ts`, `notes.ts`) build on these and export them again.
 */

/**
 * Why a cell is "not available": the EHR does not offer that data, its answer failed, it could not
 * be read, or the EHR recorded a reading whose value the app cannot read (`unreadable_value`).
 */
export const unavailableReasons = ['not_offered', 'failed', 'malformed', 'unreadable_value'] as const;
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
 * The groups the details list medications in, in order: a medication's status (FHIR
 * medication-order-status, medicationrequest-status, medication-statement-status), except an
 * order not to give the drug (R4 MedicationRequest.doNotPerform, a modifier), a request that is
 * only a proposal or an option (STU3/R4 MedicationRequest.intent, a modifier in R4) and a statement
 * that the drug was not taken (DSTU2 `wasNotTaken`, STU3 `taken` n; R4 says so in its status),
 * which have groups of their own; so have a current `plan` (an intention without authorization,
 * medicationrequest-intent) and a request that carries out another order (`partOf`, its `basedOn`).
 * `taken-unknown`: a current statement of which it is not known whether the drug is taken (STU3
 * MedicationStatement.taken `unk`, hl7.org/fhir/STU3/valueset-medication-statement-taken.html; the
 * server gives it as the statement's status, medications.ts TAKEN_UNKNOWN).
 * Current first; "do not give" right after them, as it matters as much.
 */
export const medicationGroups = [
  'active',
  'on-hold',
  'taken-unknown',
  'plan',
  'do-not-perform',
  'part-of-order',
  'intended',
  'proposal',
  'option',
  'draft',
  'unknown',
  'completed',
  'stopped',
  'cancelled',
  'not-taken',
  'entered-in-error',
] as const;

/** The details' group of a medication (see medicationGroups); its status when it has no group of its own. */
export function medicationGroup(m: {
  status?: string | null;
  doNotPerform?: boolean;
  intent?: string | null;
  notTaken?: boolean;
  partOf?: string | null;
}): string | null {
  if (m.doNotPerform === true) return 'do-not-perform';
  if (m.intent === 'proposal' || m.intent === 'option') return m.intent;
  if (m.partOf !== undefined) return 'part-of-order';
  if (m.notTaken === true) return 'not-taken';
  // A plan in force: current, yet no order to give the drug.
  if (m.intent === 'plan' && (m.status === 'active' || m.status === 'on-hold')) return 'plan';
  return m.status ?? null;
}

/**
 * Unicode's bidirectional controls, every character of the Bidi_Control property (Unicode's
 * PropList.txt; UAX #9 §2): the marks U+061C, U+200E and U+200F, and the embedding, override and
 * isolate controls U+202A–U+202E and U+2066–U+2069. Invisible, they reorder how the text around
 * them is shown: "give 2.5 mg" with a right-to-left mark after the 2 shows as "give 25. mg", and a
 * note typed as "give 10 mg" could show to colleagues as something else. Text the team shares
 * (notes, list names, hand-entered patients and fields) is refused with them, never silently changed.
 */
const DIRECTION_CONTROLS = /\p{Bidi_Control}/u;
export const hasDirectionControls = (text: string) => DIRECTION_CONTROLS.test(text);
export const DIRECTION_CONTROLS_MESSAGE = 'must not contain invisible text direction controls';

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
