import { isObject, objects, str } from '../json.js';
import { statusCode } from './values.js';

/**
 * The status codes of each record kind, DSTU2 to R4. Clinical: condition-clinical (DSTU2 active,
 * relapse, remission, resolved; STU3 adds recurrence and inactive; R4 all six) and
 * allergyintolerance-clinical (STU3 and R4: active, inactive, resolved; DSTU2 AllergyIntolerance has
 * no clinicalStatus, its one `status` is read apart). Verification: condition-ver-status (DSTU2 and
 * STU3 provisional, differential, confirmed, refuted, entered-in-error, unknown; R4 adds
 * unconfirmed, drops unknown) and allergyintolerance-verification (STU3 and R4 unconfirmed,
 * confirmed, refuted, entered-in-error; `presumed`, a child of unconfirmed, in the R4 terminology).
 * MedicationRequest.intent (STU3 medication-request-intent: proposal, plan, order, instance-order;
 * R4 medicationrequest-intent adds original-order, reflex-order, filler-order, option; a modifier,
 * required binding). Medication status, a `code` in every version (a modifier: it "contains codes
 * that mark the resource as not currently valid"): orders, DSTU2 medication-order-status (active,
 * on-hold, completed, entered-in-error, stopped, draft), STU3 medication-request-status and R4
 * medicationrequest-status (those and cancelled, unknown); statements, medication-statement-status
 * (DSTU2 active, completed, entered-in-error, intended; STU3 adds stopped, on-hold; R4 adds
 * unknown, not-taken). STU3 MedicationStatement.taken (medication-statement-taken: y, n, unk, na; a
 * modifier, a `code`).
 */
export const STATUS_CODES = {
  conditionClinical: new Set(['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved']),
  allergyClinical: new Set(['active', 'inactive', 'resolved']),
  conditionVerification: new Set(['unconfirmed', 'provisional', 'differential', 'confirmed', 'refuted', 'entered-in-error', 'unknown']),
  allergyVerification: new Set(['unconfirmed', 'presumed', 'confirmed', 'refuted', 'entered-in-error']),
  medicationIntent: new Set(['proposal', 'plan', 'order', 'original-order', 'reflex-order', 'filler-order', 'instance-order', 'option']),
  medicationOrderStatus: new Set(['active', 'on-hold', 'cancelled', 'completed', 'entered-in-error', 'stopped', 'draft', 'unknown']),
  medicationStatementStatus: new Set(['active', 'completed', 'entered-in-error', 'intended', 'stopped', 'on-hold', 'unknown', 'not-taken']),
  medicationTaken: new Set(['y', 'n', 'unk', 'na']),
} as const satisfies Record<string, ReadonlySet<string>>;

/** A status as read: its code (null when none is stated or it cannot be read), and whether one was stated that cannot be read. */
export interface RecordStatus {
  code: string | null;
  unreadable: boolean;
}

/** A status's words, as a code would be written: "Active" → `active`, "Entered in error" → `entered-in-error`. */
const asCode = (words: unknown) =>
  str(words)
    ?.trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');

/**
 * A record's status (Condition, AllergyIntolerance clinicalStatus or verificationStatus; also a
 * medication order's or statement's status, a MedicationRequest's intent and STU3
 * MedicationStatement.taken, medications.ts) read against the codes of its kind (STATUS_CODES): a
 * status stated but none of those codes (an EHR's own code system alone, `urn:oid:…` code `1`
 * display "Active", or a code written "Active") is read by its words when they are one of them (a
 * coding's `display`, the concept's `text`); else it is `unreadable`. Both elements are modifiers (STU3 and R4: they "contain codes that mark the
 * condition as not currently valid"), so the reader never takes an unreadable one as saying
 * nothing plain: a record whose clinical status cannot be read is read as one that states none (a
 * problem or an allergy without one is current, records.ts), marked "check in EHR" (contract
 * `qualified`), never hidden as history (a current allergy gone from the list) nor shown plain; a
 * verification stays a code the app does not know, "(unconfirmed)" (list-cells.ts).
 */
export function readRecordStatus(value: unknown, codes: ReadonlySet<string>): RecordStatus {
  const code = statusCode(value);
  if (code === null || codes.has(code)) return { code, unreadable: false };
  const concepts = objects(value);
  const named = [
    code,
    ...concepts.flatMap((concept) => [
      concept.text,
      ...(concept.coding !== undefined ? objects(concept.coding) : [concept]).map((coding) => (isObject(coding) ? coding.display : undefined)),
    ]),
  ]
    .map(asCode)
    .find((w) => w !== undefined && codes.has(w));
  return named === undefined ? { code: null, unreadable: true } : { code: named, unreadable: false };
}
