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
 * DSTU2 AllergyIntolerance.status (allergy-intolerance-status: active, unconfirmed, confirmed,
 * inactive, resolved, refuted, entered-in-error; a modifier), both kinds in one element.
 * MedicationRequest.intent (STU3 medication-request-intent: proposal, plan, order, instance-order;
 * R4 medicationrequest-intent adds original-order, reflex-order, filler-order, option; a modifier,
 * required binding). Medication status, a `code` in every version (a modifier: it "contains codes
 * that mark the resource as not currently valid"): orders, DSTU2 medication-order-status (active,
 * on-hold, completed, entered-in-error, stopped, draft), STU3 medication-request-status and R4
 * medicationrequest-status (those and cancelled, unknown); statements, medication-statement-status
 * (DSTU2 active, completed, entered-in-error, intended; STU3 adds stopped, on-hold; R4 adds
 * unknown, not-taken). STU3 MedicationStatement.taken (medication-statement-taken: y, n, unk, na; a
 * modifier, a `code`). Medication.status (STU3 and R4 medication-status: active, inactive,
 * entered-in-error; a modifier in R4). Beyond records' statuses, every other code the app decides on, each a
 * required binding: Observation.status (observation-status: registered, preliminary, final,
 * amended, cancelled, entered-in-error, unknown, and `corrected` from STU3; a modifier).
 * Encounter.status (DSTU2 encounter-state: planned, arrived, in-progress, onleave, finished,
 * cancelled; STU3 and R4 encounter-status add triaged, entered-in-error, unknown; a modifier) and
 * Encounter.location.status (encounter-location-status: planned, active, reserved, completed).
 * List.status (list-status: current, retired, entered-in-error; a modifier). Coverage.status
 * (fm-status, STU3 and R4: active, cancelled, draft, entered-in-error; a modifier; DSTU2 Coverage
 * has none). AllergyIntolerance.type (allergy-intolerance-type: allergy, intolerance),
 * AllergyIntolerance.criticality (STU3 and R4 allergy-intolerance-criticality: low, high,
 * unable-to-assess; DSTU2's CRITL, CRITH, CRITU are read apart, records.ts) and reaction.severity
 * (reaction-event-severity: mild, moderate, severe), which the list marks ("intolerance", "high
 * criticality", "severe reaction"). Patient.link.type (DSTU2 link-type: replace, refer, seealso;
 * STU3 and R4: replaced-by, replaces, refer, seealso; Patient.link is a modifier). HumanName.use
 * (name-use: usual, official, temp, nickname, anonymous, old, maiden) and Identifier.use
 * (identifier-use: usual, official, temp, secondary, and `old` from R4), modifiers so that an old
 * name or a temporary id is never taken for the current one (R4 datatypes.html).
 */
export const STATUS_CODES = {
  conditionClinical: new Set(['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved']),
  allergyClinical: new Set(['active', 'inactive', 'resolved']),
  conditionVerification: new Set(['unconfirmed', 'provisional', 'differential', 'confirmed', 'refuted', 'entered-in-error', 'unknown']),
  allergyVerification: new Set(['unconfirmed', 'presumed', 'confirmed', 'refuted', 'entered-in-error']),
  dstu2AllergyStatus: new Set(['active', 'unconfirmed', 'confirmed', 'inactive', 'resolved', 'refuted', 'entered-in-error']),
  medicationIntent: new Set(['proposal', 'plan', 'order', 'original-order', 'reflex-order', 'filler-order', 'instance-order', 'option']),
  medicationOrderStatus: new Set(['active', 'on-hold', 'cancelled', 'completed', 'entered-in-error', 'stopped', 'draft', 'unknown']),
  medicationStatementStatus: new Set(['active', 'completed', 'entered-in-error', 'intended', 'stopped', 'on-hold', 'unknown', 'not-taken']),
  medicationTaken: new Set(['y', 'n', 'unk', 'na']),
  medicationProductStatus: new Set(['active', 'inactive', 'entered-in-error']),
  observationStatus: new Set(['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown']),
  encounterStatus: new Set(['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown']),
  encounterLocationStatus: new Set(['planned', 'active', 'reserved', 'completed']),
  listStatus: new Set(['current', 'retired', 'entered-in-error']),
  coverageStatus: new Set(['active', 'cancelled', 'draft', 'entered-in-error']),
  allergyType: new Set(['allergy', 'intolerance']),
  allergyCriticality: new Set(['low', 'high', 'unable-to-assess']),
  reactionSeverity: new Set(['mild', 'moderate', 'severe']),
  patientLinkType: new Set(['replaced-by', 'replace', 'replaces', 'refer', 'seealso']),
  nameUse: new Set(['usual', 'official', 'temp', 'nickname', 'anonymous', 'old', 'maiden']),
  identifierUse: new Set(['usual', 'official', 'temp', 'secondary', 'old']),
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
 * MedicationStatement.taken, medications.ts; and each other code of STATUS_CODES, read where it
 * is used) read against the codes of its kind (STATUS_CODES): a
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
