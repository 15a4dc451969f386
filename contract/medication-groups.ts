// Apart from plain-constants.ts: only the details and the server use them, not the tab's first download.

/**
 * The groups the details list medications in, in order: a medication's status (FHIR
 * medication-order-status, medicationrequest-status, medication-statement-status), except an
 * order not to give the drug (R4 MedicationRequest.doNotPerform, a modifier) while it applies (one
 * that has ended is in its status group: prohibitionEnded), a request that is
 * only a proposal or an option (STU3/R4 MedicationRequest.intent, a modifier in R4) and a statement
 * that the drug was not taken (DSTU2 `wasNotTaken`, STU3 `taken` n; R4 says so in its status),
 * which have groups of their own; so have a current `plan` (an intention without authorization,
 * medicationrequest-intent) and a request that carries out another order (`partOf`, its `basedOn`).
 * A record entered in error is in that group whatever else it says.
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
  // A record entered in error says nothing, least of all "do not give" or "not taken" (entered-in-error
  // in medication-order-status DSTU2, medicationrequest-status and medication-statement-status STU3/R4).
  if (m.status === 'entered-in-error') return m.status;
  if (m.doNotPerform === true && !prohibitionEnded(m)) return 'do-not-perform';
  if (m.intent === 'proposal' || m.intent === 'option') return m.intent;
  if (m.partOf !== undefined) return 'part-of-order';
  if (m.notTaken === true) return 'not-taken';
  // A plan in force: current, yet no order to give the drug.
  if (m.intent === 'plan' && (m.status === 'active' || m.status === 'on-hold')) return 'plan';
  return m.status ?? null;
}

/**
 * Statuses of an order that no longer applies: `completed`, `stopped`, `cancelled`
 * (medication-order-status DSTU2, medicationrequest-status STU3/R4) and `ended` (the server's: its
 * end has passed, medications.ts ENDED).
 */
const OVER: ReadonlySet<unknown> = new Set(['completed', 'stopped', 'cancelled', 'ended']);

/**
 * An order not to give the drug that no longer applies: listed in its status group, never under
 * "do not give", and still read as a prohibition there (the details say "do not give" beside it),
 * never as a drug the patient was on.
 */
export const prohibitionEnded = (m: { status?: string | null; doNotPerform?: boolean }): boolean => m.doNotPerform === true && OVER.has(m.status);
