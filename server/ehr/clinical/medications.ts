import { latestMs } from '../../../contract/fhir-time.js';
import { medicationGroup, medicationGroups } from '../../../contract/medication-groups.js';
import { providerResourceName } from '../adapters/patient.js';
import { containedResource } from '../contained.js';
import { isObject, objects, str, type JsonObject } from '../json.js';
import { dosageSequence, dosageText, ratioText } from './dosage.js';
import { firstCode } from './records.js';
import { STATUS_CODES, readRecordStatus } from './record-status.js';
import type { CoverageView, MedicationView } from './types.js';
import {
  basePrefix,
  conceptCodes,
  conceptText,
  newestFirst,
  numberOf,
  ownReference,
  ownReferenceOf,
  periodEnded,
  periodNotBegun,
  referenceDisplay,
  referenceKey,
  referenceType,
  when,
} from './values.js';
import { coreElement, qualifiedByEhr, qualifiedMark } from '../modifiers.js';
import { lookupTable } from '../../../contract/lookup-table.js';

const MEDICATION_TYPES: ReadonlySet<unknown> = new Set(['MedicationOrder', 'MedicationRequest', 'MedicationStatement']);

/**
 * Medication resources by reference, from `_include` entries or a follow-up read: under their local
 * reference `Medication/{id}`, and, when the EHR's base is known, under their absolute URL on that
 * base too (`{base}/Medication/{id}`, what an entry's fullUrl is). Reference.reference may be
 * absolute in every version (DSTU2, STU3, R4 Reference: "relative or absolute URL"); only one on the
 * EHR's own base is the same Medication, a URL on another server or path never is (see medicationKey).
 */
export type MedicationIndex = Map<string, JsonObject>;

/** The key a reference to a Medication is matched by (referenceKey: local on the EHR's base, else its URL); null for anything else. */
function medicationKey(reference: string, base?: URL | string): string | null {
  const key = referenceKey(reference, base);
  return key !== null && key.split('/').at(-2) === 'Medication' ? key : null;
}

/** Indexes Medications by local reference; with the EHR's `base`, absolute references on it find them too. */
export function addMedications(resources: JsonObject[], index: MedicationIndex, base?: URL | string): MedicationIndex {
  const prefix = base === undefined ? null : basePrefix(base);
  for (const r of resources) {
    const id = str(r.id);
    if (r.resourceType !== 'Medication' || !id) continue;
    index.set(`Medication/${id}`, r);
    // The key an absolute reference on the base is looked up by (medicationKey gives the local one for it).
    if (prefix !== null) index.set(`${prefix}/Medication/${id}`, r);
  }
  return index;
}

/**
 * Current medications, the list cell's: an order's status `active` or `on-hold` (DSTU2 MedicationOrder
 * medication-order-status, STU3/R4 MedicationRequest medicationrequest-status); a statement's `active`,
 * `intended` or `on-hold` (medication-statement-status, all versions) unless it says the drug was not
 * taken (DSTU2 `wasNotTaken`, STU3 `taken` = n, R4 status `not-taken`). Stopped, completed, cancelled,
 * draft, unknown, entered-in-error or no status: not current. A status in other case or spacing
 * ("Active") is read as its code; one that is none of its value set's codes (an EHR's own, STU3 and
 * R4: a modifier) may be a current drug: current, marked "check in EHR" (readRecordStatus). Nor is
 * an order not to give the drug (R4 MedicationRequest.doNotPerform, a modifier; on STU3 and DSTU2
 * its standard extension) or a request that is only a proposal or an option (MedicationRequest.intent, STU3
 * medication-request-intent, R4 medicationrequest-intent; a modifier in R4): what the patient is not
 * to have, or may have, is not what the patient is on. A `plan` (an intention without authorization)
 * is current but marked "(plan)" (see medicationGroup), and requests that carry out one order are
 * that order (belongToOrders). Every other intent counts; one that is none of the intent codes is
 * marked "check in EHR" (an intent in words is read by them: readRecordStatus). An `active`
 * statement that has not begun reads `intended`, one not known to be taken (STU3 `taken` = unk, or
 * na: not applicable) reads TAKEN_UNKNOWN: both current, marked (statementMark).
 */
const CURRENT_ORDER = new Set(['active', 'on-hold']);
const CURRENT_STATEMENT = new Set(['active', 'intended', 'on-hold']);

/**
 * An order not to give the drug (doNotPerform) whose status keeps it in force: `active`, `on-hold`,
 * or none that can be read (not stated, DSTU2 status being 0..1, or an EHR's own code): a
 * prohibition not known to be over is taken as one in force.
 */
const prohibitionInForce = (m: { doNotPerform?: boolean }, status: string | null) =>
  m.doNotPerform === true && (status === null || CURRENT_ORDER.has(status));

/**
 * STU3 MedicationStatement.taken read as its code ("N" is `n`); one that still cannot be read is
 * `unreadable`: the statement stays listed, marked "check in EHR", never read as taken nor hidden.
 */
const takenOf = (r: JsonObject) => readRecordStatus(r.taken, STATUS_CODES.medicationTaken);

const notTaken = (r: JsonObject) => r.resourceType === 'MedicationStatement' && (r.wasNotTaken === true || takenOf(r).code === 'n');

/** Current by its details group (contract `medicationGroup`): do-not-perform, proposal, option and not-taken never are; a current plan is. */
function medicationIsCurrent(r: JsonObject, group: string | null): boolean {
  return group === 'plan' || (group !== null && (r.resourceType === 'MedicationStatement' ? CURRENT_STATEMENT : CURRENT_ORDER).has(group));
}

/**
 * An order or statement whose end has passed is not current, whatever its status says: DSTU2
 * MedicationOrder.dateEnded, MedicationStatement.effectivePeriod.end (DSTU2, STU3, R4), and an
 * order whose every dosage instruction's schedule has ended (dosingEnded). EHRs leave such records
 * `active`. Not MedicationRequest.dispenseRequest.validityPeriod: it bounds the dispensing of a
 * prescription, not the treatment. An end includes its whole day, in every zone (periodEnded). Such a record reads
 * `ended` in the details (ENDED), its group placed before the completed ones.
 */
export const ENDED = 'ended';
function hasEnded(r: JsonObject, now: number): boolean {
  if (r.resourceType === 'MedicationOrder' && periodEnded({ end: r.dateEnded }, now)) return true;
  if (r.resourceType === 'MedicationOrder' || r.resourceType === 'MedicationRequest') return dosingEnded(r, now);
  return r.resourceType === 'MedicationStatement' && periodEnded(r.effectivePeriod, now);
}

/**
 * What an `active` statement says that its status does not: still current, it reads
 * - `intended` when its effective time has not begun (`effectivePeriod.start`, or `effectiveDateTime`,
 *   DSTU2, STU3 and R4, after now at the earliest moment it can mean: periodNotBegun). A drug the
 *   patient is to start is what status `intended` says ("the medication may be taken at some time in
 *   the future", medication-statement-status), not one being taken; the list marks it "(intended)".
 * - TAKEN_UNKNOWN when STU3 `MedicationStatement.taken` is `unk` ("unknown": it is not known whether
 *   the patient took the drug, https://hl7.org/fhir/STU3/valueset-medication-statement-taken.html):
 *   listed, under its own mark, never as a drug plainly being taken. Likewise `na` ("Not
 *   Applicable": patient reporting does not apply, same value set): it asserts neither `y`
 *   ("positive assertion that patient has taken medication") nor `n` ("negative assertion"), so it
 *   is neither read as taken nor given the not-taken treatment (hidden from the current list),
 *   which would claim an `n` the record does not make; the statement is kept, marked as `unk` is.
 * Null otherwise (the status as sent). An `on-hold` or `intended` statement already says it is not
 * being taken as such, and keeps its own mark.
 */
export const TAKEN_UNKNOWN = 'taken-unknown';
function statementMark(r: JsonObject, status: string | null, now: number): string | null {
  if (r.resourceType !== 'MedicationStatement' || status !== 'active') return null;
  if (periodNotBegun(r.effectivePeriod, now) || periodNotBegun({ start: r.effectiveDateTime }, now)) return 'intended';
  const taken = takenOf(r).code;
  return taken === 'unk' || taken === 'na' ? TAKEN_UNKNOWN : null;
}

/**
 * An `active` order (DSTU2 MedicationOrder, STU3/R4 MedicationRequest) whose schedule has not begun
 * (dosingNotBegun: Timing.repeat.boundsPeriod.start still to come) reads `intended`, as an `active`
 * statement not yet begun does (statementMark): current, marked "(intended)", never a drug being
 * given now. A `plan` keeps its own mark; null otherwise (the status as sent).
 */
function orderMark(r: JsonObject, status: string | null, intent: string | null, now: number): string | null {
  if (r.resourceType !== 'MedicationOrder' && r.resourceType !== 'MedicationRequest') return null;
  return status === 'active' && intent !== 'plan' && dosingNotBegun(r, now) ? 'intended' : null;
}

/**
 * An order is given only while its schedule lasts: Timing.repeat.bounds[x] of each
 * `dosageInstruction[].timing` (DSTU2 MedicationOrder: `boundsPeriod`, `boundsQuantity` (a
 * Duration), `boundsRange`; STU3 and R4 MedicationRequest Dosage.timing: `boundsPeriod`,
 * `boundsDuration`, `boundsRange`), and its number of doses (Timing.repeat.count). The order has
 * ended a day (DOSING_GRACE_MS) after every one of its instructions has (instructionEnds); an
 * instruction without bounds (or with bounds that cannot be read) keeps the order going, so does
 * an order without instructions.
 */
function dosingEnded(r: JsonObject, now: number): boolean {
  const ends = instructionEnds(r);
  return ends.length > 0 && ends.every((end) => end + DOSING_GRACE_MS <= now);
}

/**
 * How long an `active` order stays current after its schedule's end. A schedule says when doses
 * are due, not that they were given: `active` is "not all actions that are implied by it have
 * occurred yet" (R4 medicationrequest-status; STU3 alike, DSTU2 medication-order-status "the
 * prescription is actionable"), so a one-off dose due at 06:00 is still an order for the patient
 * at 06:01, and may be late. An order left `active` a day past its schedule's end is taken as one
 * the EHR forgot to close.
 */
const DOSING_GRACE_MS = 24 * 60 * 60 * 1000;

/**
 * When each dosage instruction of an order ends (ms; Infinity: open or not known).
 * Dosage.sequence (STU3 https://hl7.org/fhir/STU3/dosage-definitions.html#Dosage.sequence, R4
 * https://hl7.org/fhir/R4/dosage-definitions.html#Dosage.sequence): "the order in which the dosage
 * instructions should be applied or interpreted"; instructions of different numbers run one after
 * another (a taper: 40 mg for 5 days, then 20 mg for 5 days), instructions of the same number run
 * together. So a length (instructionEnd) is timed from when the order was written (STU3/R4
 * `authoredOn`, DSTU2 `dateWritten`) only for the first group; each later group starts when the
 * one before it ends, the longest of its instructions (one that never ends, or whose end is not
 * known, leaves every later group's start unknown). When that order is not known (several
 * instructions, some or all without `sequence`; every DSTU2 MedicationOrder with several, as DSTU2
 * has no Dosage.sequence) no instruction is timed from a length: only an absolute
 * `boundsPeriod.end` ends one, never lengths read as if all began when the order was written. An
 * order of one instruction has nothing to order: it starts when written.
 */
function instructionEnds(r: JsonObject): number[] {
  const instructions = objects(r.dosageInstruction);
  const writtenText = str(r.authoredOn) ?? str(r.dateWritten);
  const written = writtenText === undefined ? null : latestMs(writtenText);
  const groups = dosageSequence(r, instructions);
  if (groups === null) return instructions.map((d) => Math.min(absoluteEnd(repeatOf(d)), eventsEnd(d)));
  const ends: number[] = [];
  let start: number | null = written;
  for (const group of groups) {
    const groupEnds = group.map((d) => Math.min(instructionEnd(repeatOf(d), start), eventsEnd(d)));
    ends.push(...groupEnds);
    const last = Math.max(...groupEnds);
    start = Number.isFinite(last) ? last : null;
  }
  return ends;
}

const repeatOf = (dosage: JsonObject): JsonObject => {
  const timing = isObject(dosage.timing) ? dosage.timing : {};
  return isObject(timing.repeat) ? timing.repeat : {};
};

/**
 * When a schedule given only as its times ends: Timing.event ("Identifies specific times when the
 * event occurs", DSTU2, STU3 and R4) with no `repeat`, a one-off dose or a few listed ones, ends
 * with its last time (a date lasts its whole day). With a `repeat`, the events only interpret it
 * (Timing notes), and the repeat decides; so does a `code` ("a complete statement of whatever is
 * specified in the structured timing data", BID): Infinity then, as for a time that cannot be read.
 */
function eventsEnd(dosage: JsonObject): number {
  const timing = isObject(dosage.timing) ? dosage.timing : {};
  const events = Array.isArray(timing.event) ? timing.event : [];
  if (events.length === 0 || timing.repeat !== undefined || timing.code !== undefined) return Infinity;
  let last = -Infinity;
  for (const event of events) {
    const time = typeof event === 'string' ? latestMs(event) : null;
    if (time === null) return Infinity;
    last = Math.max(last, time);
  }
  return last;
}

/** An instruction's `boundsPeriod.end`, at the latest moment it can mean (a date lasts its whole day: Period.end); Infinity without one. */
function absoluteEnd(repeat: JsonObject): number {
  const bounds = isObject(repeat.boundsPeriod) ? repeat.boundsPeriod : undefined;
  const end = bounds ? str(bounds.end) : undefined;
  return (end === undefined ? null : latestMs(end)) ?? Infinity;
}

/**
 * When one instruction's schedule ends, starting no earlier than `from` (instructionEnds; null:
 * not known), by its bounds or by its count of doses, whichever ends first (Infinity: neither).
 * `boundsPeriod`: its end, a date alone lasting that whole day (Period, every version). A length
 * (`boundsDuration`, DSTU2 `boundsQuantity`; of a `boundsRange` its `high`, the longest it may
 * last): counted from `from`, the latest moment it can mean (the end of its day, in every zone,
 * when only the date is given: contract/fhir-time.ts `latestMs`). `count` ("a total count of the
 * desired number of repetitions across the duration of the entire timing specification",
 * Timing.repeat.count in DSTU2, STU3 and R4; STU3 and R4 `countMax` the most): that many doses at
 * `frequency` per `period` last count / frequency periods (the longest reading: `countMax`,
 * `periodMax`, the lower `frequency`), counted from the later of `from` and its `boundsPeriod.start`.
 */
function instructionEnd(repeat: JsonObject, from: number | null): number {
  const doses = dosesLastMs(repeat);
  const bounds = isObject(repeat.boundsPeriod) ? repeat.boundsPeriod : undefined;
  const boundsStart = bounds ? str(bounds.start) : undefined;
  const dosesFrom = Math.max(from ?? -Infinity, (boundsStart === undefined ? null : latestMs(boundsStart)) ?? -Infinity);
  const byDoses = doses !== null && Number.isFinite(dosesFrom) ? dosesFrom + doses : Infinity;
  if (bounds) return Math.min(byDoses, absoluteEnd(repeat));
  const range = isObject(repeat.boundsRange) ? repeat.boundsRange : {};
  const length = [repeat.boundsDuration, repeat.boundsQuantity, range.high].find(isObject);
  const lasts = length ? durationMs(length) : null;
  return Math.min(byDoses, from !== null && lasts !== null ? from + lasts : Infinity);
}

/**
 * An order not yet begun: every instruction of its first sequence group (instructionEnds; all of
 * them when their order is not known) has a schedule whose start is still to come
 * (Timing.repeat.boundsPeriod.start, DSTU2, STU3 and R4, after now at the earliest moment it can
 * mean: periodNotBegun). Later groups follow the first, so none of them has begun either.
 */
function dosingNotBegun(r: JsonObject, now: number): boolean {
  const instructions = objects(r.dosageInstruction);
  const first = (dosageSequence(r, instructions) ?? [instructions])[0] ?? [];
  return first.length > 0 && first.every((d) => periodNotBegun(repeatOf(d).boundsPeriod, now));
}

/** How long a schedule of `count` doses lasts (see scheduleEnded); null without a count, a period and its unit. */
function dosesLastMs(repeat: JsonObject): number | null {
  const count = numberOf(repeat.countMax) ?? numberOf(repeat.count);
  const period = numberOf(repeat.periodMax) ?? numberOf(repeat.period);
  const frequency = numberOf(repeat.frequency) ?? 1;
  const unit = str(repeat.periodUnit) ?? str(repeat.periodUnits);
  if (count === undefined || count <= 0 || frequency <= 0) return null;
  if (period === undefined && unit === undefined && repeat.frequency === undefined) return dailyDosesLastMs(repeat, count);
  if (period === undefined || !unit) return null;
  return durationMs({ value: (count / frequency) * period, code: unit });
}

/**
 * `count` doses at times of the day without a period: Timing.repeat.when ("an approximate time
 * period during the day", DSTU2 as `when`, STU3 and R4 a list) and STU3/R4 `timeOfDay` ("specified
 * time of day") name daily times, one dose at each. They last as many days as the times of a day
 * take to give them, plus the day before the first of those times comes round (an order written
 * after bedtime gives its bedtime dose the next day). Null without such times.
 */
function dailyDosesLastMs(repeat: JsonObject, count: number): number | null {
  // Days of the week (STU3/R4 `dayOfWeek`) make the days of the doses ones the app does not count.
  if (repeat.dayOfWeek !== undefined) return null;
  const times = new Set([repeat.when, repeat.timeOfDay].flatMap((t) => (Array.isArray(t) ? t : [t])).filter((t) => typeof t === 'string' && t));
  if (times.size === 0) return null;
  return (Math.ceil(count / times.size) + 1) * DURATION_MS.d;
}

/**
 * A Duration in milliseconds (UCUM `code`, else its `unit`: s, min, h, d, wk, mo, a, or the words).
 * A month counts as 31 days and a year as 366, so a schedule is never read as over too soon. Null
 * for a length the app cannot read, or one that is only a lower bound (comparator `>`, `>=`).
 */
const DURATION_MS: Readonly<Record<string, number>> = lookupTable({
  s: 1000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  wk: 7 * 86_400_000,
  mo: 31 * 86_400_000,
  a: 366 * 86_400_000,
});
const DURATION_WORDS: Readonly<Record<string, string>> = lookupTable({
  second: 's',
  minute: 'min',
  hour: 'h',
  day: 'd',
  week: 'wk',
  month: 'mo',
  year: 'a',
});
function durationMs(duration: JsonObject): number | null {
  const value = numberOf(duration.value);
  if (value === undefined || value < 0 || duration.comparator === '>' || duration.comparator === '>=') return null;
  const unit = str(duration.code) ?? str(duration.unit) ?? '';
  const code = Object.hasOwn(DURATION_MS, unit) ? unit : DURATION_WORDS[unit.toLowerCase().replace(/s$/, '')];
  return code && Object.hasOwn(DURATION_MS, code) ? value * DURATION_MS[code] : null;
}

/** The details' order of groups (medicationGroups); `ended` just before `completed`; a status the app does not know goes with `unknown`. */
const statusRank = (m: MedicationView) => {
  const group = medicationGroup(m) ?? 'unknown';
  if (group === ENDED) return medicationGroups.indexOf('completed') - 0.5;
  const rank = (medicationGroups as readonly string[]).indexOf(group);
  return rank < 0 ? medicationGroups.indexOf('unknown') : rank;
};

/**
 * The codes of MedicationRequest.category (STU3 medication-request-category, R4
 * medicationrequest-category: inpatient | outpatient | community | discharge) and R4
 * MedicationStatement.category (medication-statement-category: inpatient | outpatient | community |
 * patientspecified) that say the drug is not for the hospital stay: `discharge` ("requests for
 * medications created when the patient is being released from a facility") and `community`
 * ("administered or consumed by the patient in their home"). Read in those systems or with none;
 * `discharge` wins over `community` when both are given.
 */
const CATEGORY_SYSTEMS = [
  'http://hl7.org/fhir/medication-request-category',
  'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
  'http://hl7.org/fhir/medication-statement-category',
  'http://terminology.hl7.org/CodeSystem/medication-statement-category',
];

function settingOf(r: JsonObject): { setting?: 'discharge' | 'community' } {
  const codes = [r.category]
    .flat()
    .flatMap((concept) => objects(isObject(concept) ? concept.coding : undefined))
    .filter((c) => c.system === undefined || CATEGORY_SYSTEMS.includes(str(c.system) ?? ''))
    .map((c) => c.code);
  if (codes.includes('discharge')) return { setting: 'discharge' };
  return codes.includes('community') ? { setting: 'community' } : {};
}

/** Orders, requests and statements grouped by status, current first; newest first in each group. */
export function readMedications(resources: JsonObject[], included: MedicationIndex, now = Date.now(), base?: URL | string): MedicationView[] {
  const read = resources
    .filter((r) => MEDICATION_TYPES.has(r.resourceType))
    .map((r): { resource: JsonObject; view: MedicationView } => {
      const requester = isObject(r.requester) ? r.requester : {};
      const effectivePeriod = isObject(r.effectivePeriod) ? r.effectivePeriod : {};
      // An intent written in words ("Proposal") is read as its code; one that cannot be read counts as
      // an order (the drug stays listed) marked "check in EHR", never as a plain order (readRecordStatus).
      const readIntent = readRecordStatus(r.intent, STATUS_CODES.medicationIntent);
      const intent = readIntent.code;
      const modifiers = {
        // R4's element, or the standard extension that stands for it on STU3 MedicationRequest and DSTU2
        // MedicationOrder (modifiers.ts CORE_ELEMENT_EXTENSIONS): the same order not to give the drug.
        ...(coreElement(r, 'doNotPerform') === true ? { doNotPerform: true as const } : {}),
        ...(intent !== null ? { intent } : {}),
        ...(notTaken(r) ? { notTaken: true as const } : {}),
        ...settingOf(r),
      };
      // A status written in other case or spacing ("Active", "ON HOLD", an EHR's own code shown "Active") is read
      // as its code; one that still cannot be read may be a current drug: it stays listed, marked "check in EHR".
      const readStatus = readRecordStatus(
        r.status,
        r.resourceType === 'MedicationStatement' ? STATUS_CODES.medicationStatementStatus : STATUS_CODES.medicationOrderStatus,
      );
      const stated = readStatus.code;
      const group = medicationGroup({ status: stated, ...modifiers });
      const currentByStatus = medicationIsCurrent(r, group) || (readStatus.unreadable && group === null);
      // A record current by its status, or an order in force not to give the drug, whose end has passed reads
      // `ended`; one already history keeps its status.
      const ended = (currentByStatus || prohibitionInForce(modifiers, stated)) && hasEnded(r, now);
      const status = ended ? ENDED : (statementMark(r, stated, now) ?? orderMark(r, stated, intent, now) ?? stated);
      const name = medicationName(r, included);
      const nameUnavailable = name === null && namesMedicationElsewhere(r);
      const view: MedicationView = {
        kind: r.resourceType === 'MedicationStatement' ? 'statement' : 'order',
        name,
        // Named only by its code read out: never merged with another item by that name (list-cells `once`).
        ...(name !== null && medicationName(r, included, false) === null ? { unnamed: true as const } : {}),
        ...(nameUnavailable ? { nameUnavailable: true as const } : {}),
        code: medicationCode(r, included),
        status,
        current: currentByStatus && !ended,
        ...modifiers,
        dosage: dosageText(r),
        date: when(r.dateWritten) ?? when(r.authoredOn) ?? when(r.effectiveDateTime) ?? when(effectivePeriod.start) ?? when(r.dateAsserted),
        // DSTU2 prescriber, STU3 requester.agent, R4 requester; a statement's informationSource.
        prescriber:
          referenceDisplay(r.prescriber) ??
          referenceDisplay(requester.agent) ??
          referenceDisplay(r.requester) ??
          referenceDisplay(r.informationSource),
        ...(qualifiedByEhr(r, ['dosageInstruction', 'dosage']) ||
        medicationQualified(r, included) ||
        readIntent.unreadable ||
        readStatus.unreadable ||
        takenOf(r).unreadable
          ? { qualified: true as const }
          : {}),
      };
      return { resource: r, view };
    });
  markForbidden(read, included);
  return belongToOrders(read, included, base).sort((a, b) => statusRank(a) - statusRank(b) || newestFirst(a.date, b.date));
}

/**
 * A drug the patient is on while an order in force says not to give it: a current record of the
 * same drug (sameDrug, or the same drug words) as an `active` or `on-hold` order not to give it (R4
 * MedicationRequest.doNotPerform, "the provider is asking for the medication request not to
 * occur"; the standard extension on STU3 MedicationRequest and DSTU2 MedicationOrder) that has not
 * ended (hasEnded: it then reads `ended`). One of the two is wrong, and the list shows only the
 * current one: it is marked "check in EHR" (`qualified`), never plain.
 */
function markForbidden(read: { resource: JsonObject; view: MedicationView }[], included: MedicationIndex): void {
  // An ended prohibition already reads `ended` (readMedications).
  const forbidden = read.filter(({ view }) => prohibitionInForce(view, view.status ?? null));
  if (forbidden.length === 0) return;
  const drugs = forbidden.map(({ resource }) => drugOf(resource, included));
  for (const { resource, view } of read) {
    if (!view.current) continue;
    const drug = drugOf(resource, included);
    // Its words alone suffice here: a coded order of a drug an uncoded order forbids is flagged, not passed as another drug.
    if (drugs.some((d) => sameDrug(drug, d) || (d.words !== null && d.words === drug.words))) view.qualified = true;
  }
}

/**
 * MedicationRequest.intent codes that authorize nobody to act (R4 medicationrequest-intent, STU3
 * medication-request-intent): `proposal`, `plan`, `option`. The others (`order` and its kinds
 * `original-order`, `reflex-order`, `filler-order`, `instance-order`) are orders.
 */
const NOT_AN_ORDER = new Set(['proposal', 'plan', 'option']);
const isOrder = (view: MedicationView) => !NOT_AN_ORDER.has(view.intent ?? '');

/**
 * One order is one drug, however many requests carry it out. A current MedicationRequest whose
 * `basedOn` (STU3, R4: "a plan, proposal or order that is fulfilled in whole or in part by this
 * request") names another current request of the same answer for the same drug (sameDrug) belongs
 * to it: a pharmacy's `filler-order` and a dose's `instance-order` are the prescriber's `order`, not
 * a second and third vancomycin. Followed to the top; the parts are no longer current and read
 * `partOf` that order's name (the details list them under "part of an order"). An order based on a
 * current `plan` of the same drug carries the plan out: the plan belongs to the order. basedOn says
 * a request fulfils another, not that it gives the same drug: a `reflex-order` of potassium chloride
 * based on an insulin infusion order is a second drug the patient gets, and both stay current. Only
 * references to the EHR's own requests (relative, or a URL on its base); a loop of requests based
 * on each other is left as it is. DSTU2 MedicationOrder has none.
 */
function belongToOrders(read: { resource: JsonObject; view: MedicationView }[], included: MedicationIndex, base?: URL | string): MedicationView[] {
  const current = new Map<string, { resource: JsonObject; view: MedicationView }>();
  for (const entry of read) {
    const id = str(entry.resource.id);
    if (entry.resource.resourceType === 'MedicationRequest' && entry.view.current && id) current.set(`MedicationRequest/${id}`, entry);
  }
  const drugs = new Map<JsonObject, Drug>();
  const drug = (r: JsonObject) => drugs.get(r) ?? drugs.set(r, drugOf(r, included)).get(r)!;
  const owner = new Map<MedicationView, MedicationView>();
  for (const { resource, view } of read) {
    if (!view.current) continue;
    const parent = objects(resource.basedOn)
      .map((b) => {
        // Relative, with or without a version, or a URL on the EHR's own base (values.ts ownReference).
        const key = ownReferenceOf(b, base, 'MedicationRequest');
        return key === null ? undefined : current.get(key);
      })
      .find((p) => p !== undefined && p.view !== view && sameDrug(drug(resource), drug(p.resource)))?.view;
    if (!parent) continue;
    if (isOrder(parent)) owner.set(view, parent);
    else if (parent.intent === 'plan' && isOrder(view)) owner.set(parent, view);
  }
  const roots = new Map<MedicationView, MedicationView>();
  for (const view of owner.keys()) {
    const seen = new Set([view]);
    let root = owner.get(view)!;
    while (owner.has(root) && !seen.has(root)) {
      seen.add(root);
      root = owner.get(root)!;
    }
    if (!seen.has(root)) roots.set(view, root);
  }
  for (const [view, root] of roots) Object.assign(view, { current: false, partOf: root.name });
  return read.map((r) => r.view);
}

/** What names a record's drug, to tell whether two records give the same one (sameDrug). */
interface Drug {
  /** The Medication it refers to, when read (contained, included or read after: one resource is one drug). */
  medication: JsonObject | undefined;
  /** Its reference to a Medication on the EHR (not a contained `#id`, which is the record's own), as medicationKey gives it. */
  reference: string | null;
  /** `system|code` of every coding of its concept, else of its Medication's code. */
  codes: Set<string>;
  /** Its words up to the first figure, lower case (drugWords). */
  words: string | null;
}

function drugOf(r: JsonObject, included: MedicationIndex): Drug {
  const medication = referencedMedication(r, included);
  const target = isObject(r.medicationReference) ? str(r.medicationReference.reference) : undefined;
  const codes = new Set<string>();
  for (const concept of [r.medicationCodeableConcept, medication?.code].filter(isObject))
    for (const coding of objects(concept.coding)) {
      const system = str(coding.system)
        ?.replace(/^https:/, 'http:')
        .replace(/\/+$/, '');
      const code = str(coding.code);
      if (system && code) codes.add(`${system}|${code}`);
    }
  return {
    medication,
    reference: target && !target.startsWith('#') ? medicationKey(target) : null,
    codes,
    words: drugWords(medicationName(r, included, false, false)),
  };
}

/**
 * Whether two records name the same drug: the same Medication (one resource, or one reference to
 * it), a coding they share (the same code in the same system: Coding.system + Coding.code identify a
 * concept, DSTU2/STU3/R4 datatypes), or, when neither is coded, the same drug words (drugWords). A
 * coded record and an uncoded one, or two coded alike in no system, are two drugs: shown twice
 * rather than one hidden.
 */
function sameDrug(a: Drug, b: Drug): boolean {
  if ((a.medication !== undefined && a.medication === b.medication) || (a.reference !== null && a.reference === b.reference)) return true;
  if (a.codes.size > 0 || b.codes.size > 0) return [...a.codes].some((code) => b.codes.has(code));
  return a.words !== null && a.words === b.words;
}

/**
 * The drug's words as its text gives them before its dose: lower case, spaces collapsed, the words
 * up to the first one that starts with a figure, their edge punctuation dropped ("Vancomycin 1 g IV
 * every 12 hours" and "Vancomycin 1,000 mg in sodium chloride 0.9%" both "vancomycin"; "Vitamin B12"
 * stays "vitamin b12"). Null without words.
 */
function drugWords(text: string | null): string | null {
  const words: string[] = [];
  for (const word of (text ?? '').toLowerCase().split(/\s+/)) {
    if (/^\p{N}/u.test(word)) break;
    const bare = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (bare) words.push(bare);
  }
  return words.length > 0 ? words.join(' ') : null;
}

/**
 * The Medication a record refers to: a contained one (`#id`, DSTU2 to R4), or one read from the EHR
 * (local `Medication/{id}`, or an absolute URL on the EHR's base: see MedicationIndex).
 */
function referencedMedication(r: JsonObject, included: MedicationIndex): JsonObject | undefined {
  const target = isObject(r.medicationReference) ? str(r.medicationReference.reference) : undefined;
  if (!target) return undefined;
  if (target.startsWith('#')) return containedResource(r, target, ['Medication']);
  const local = target.replace(/\/_history\/.*$/, '');
  return included.get(local) ?? included.get(medicationKey(target) ?? '');
}

/**
 * Whether the Medication a record refers to (contained `#id`, or read from the EHR: referencedMedication)
 * is qualified by the EHR: a modifierExtension or implicitRules on it, or on its `ingredient`
 * (STU3, R4) or `product` (DSTU2) (extensibility.html "modifierExtension", DSTU2, STU3, R4: it
 * changes what the drug is). So is one whose status is `entered-in-error` (Medication.status, STU3
 * and R4; a modifier in R4, "it indicates that the medication is entered in error",
 * hl7.org/fhir/R4/medication-definitions.html#Medication.status): it cannot be trusted to name the
 * drug. `inactive` ("no longer able to be used") is the product's status, not the patient's order,
 * and changes nothing. A status in other case or words is read by them; one that cannot be read
 * (an EHR's own code) is marked too, as the element is a modifier. The record is then marked "check in EHR", as its own modifier would.
 */
function medicationQualified(r: JsonObject, included: MedicationIndex): boolean {
  const medication = referencedMedication(r, included);
  if (medication === undefined) return false;
  // Read by its words when written otherwise ("Entered in Error"); one that cannot be read is marked as well.
  const status = readRecordStatus(medication.status, STATUS_CODES.medicationProductStatus);
  return status.code === 'entered-in-error' || status.unreadable || qualifiedByEhr(medication, ['ingredient', 'product']);
}

function medicationCode(r: JsonObject, included: MedicationIndex): string | null {
  const own = firstCode(r.medicationCodeableConcept);
  if (own) return own;
  const medication = referencedMedication(r, included);
  return medication ? firstCode(medication.code) : null;
}

/**
 * Local references (`Medication/{id}`) of medications whose name is still unknown, to read them in
 * one more batch; an absolute reference is read only when it lies on the EHR's `base`, as the local
 * reference it is there. A reference to another server is never followed.
 */
export function unresolvedMedications(resources: JsonObject[], included: MedicationIndex, base?: URL | string): string[] {
  const refs = new Set<string>();
  for (const r of resources) {
    if (!MEDICATION_TYPES.has(r.resourceType) || medicationName(r, included) !== null) continue;
    const ref = isObject(r.medicationReference) ? str(r.medicationReference.reference) : undefined;
    const key = ref && !ref.startsWith('#') ? ownReference(ref, base, 'Medication') : null;
    if (key) refs.add(key);
  }
  return [...refs];
}

/**
 * Whether the record names its drug by a reference the app could not read (medicationReference to a
 * Medication on another server, one the EHR did not return, a contained `#id` that is not there):
 * the order names a drug (medication[x] is 1..1 in DSTU2, STU3 and R4), so its name is "not
 * available", never "not given".
 */
function namesMedicationElsewhere(r: JsonObject): boolean {
  const ref = isObject(r.medicationReference) ? r.medicationReference : undefined;
  return ref !== undefined && identifiesSomething(ref);
}

/**
 * The drug's words: the concept's (its code read out when it has no words, see conceptText), a
 * reference's display, the referenced Medication's code, else its ingredients (ingredientNames,
 * with their strengths unless `strengths` is false).
 */
function medicationName(r: JsonObject, included: MedicationIndex, orCode = true, strengths = true): string | null {
  const concept = conceptText(r.medicationCodeableConcept, orCode);
  if (concept) return concept;
  const ref = isObject(r.medicationReference) ? r.medicationReference : undefined;
  if (!ref) return null;
  const display = str(ref.display);
  if (display) return display;
  const medication = referencedMedication(r, included);
  if (!medication) return null;
  return conceptText(medication.code, false) ?? ingredientNames(medication, r, strengths) ?? (orCode ? conceptText(medication.code) : null);
}

/**
 * A Medication without a code (a compounded drug, an IV mixture) named by its ingredients, joined
 * with " + ": STU3/R4 Medication.ingredient[].item[x] (itemCodeableConcept, or itemReference to a
 * Medication or Substance), DSTU2 Medication.product.ingredient[].item (a Reference). A reference is
 * named by its display, else by the contained resource it names (`#id`, resolved in `owner`, the
 * record holding the Medication, or in the Medication itself) and that resource's code.
 * Each name is followed by the ingredient's strength when given, a Ratio (DSTU2
 * Medication.product.ingredient.amount, STU3 Medication.ingredient.amount, R4
 * Medication.ingredient.strength: "how much of the ingredient is present in the drug product"),
 * as ratioText writes it: "Sodium chloride 0.9 g/100 mL + Potassium chloride 20 mmol/L". The
 * strength is what the drug is: the same mixture at another strength is another item in the list
 * cell (list-cells `counted` merges items by name), never "×2" of one; at the same strength it
 * still is. Without `strengths` (sameDrug's words) the names alone.
 */
function ingredientNames(medication: JsonObject, owner: JsonObject, strengths = true): string | null {
  const product = isObject(medication.product) ? medication.product : {};
  const names = [...objects(medication.ingredient), ...objects(product.ingredient)].flatMap((ingredient) => {
    const ref = isObject(ingredient.itemReference) ? ingredient.itemReference : isObject(ingredient.item) ? ingredient.item : undefined;
    const contained = ref && (containedResource(medication, ref) ?? containedResource(owner, ref));
    const name = conceptText(ingredient.itemCodeableConcept) ?? (ref && str(ref.display)) ?? (contained ? conceptText(contained.code) : null);
    if (!name) return [];
    const strength = strengths ? ratioText(ingredient.strength ?? ingredient.amount) : null;
    return [strength ? `${name} ${strength}` : name];
  });
  return names.length > 0 ? names.join(' + ') : null;
}

/**
 * Coverage statuses that are not in force (fm-status, STU3 and R4; DSTU2 Coverage has no status):
 * `cancelled`, `draft` and `entered-in-error`. A coverage is current when its status is none of them
 * and now lies within its period (an end date includes that whole day; no end: ongoing).
 */
const NOT_IN_FORCE = new Set(['cancelled', 'draft', 'entered-in-error']);

function coverageIsCurrent(status: string | null, period: JsonObject, now: number): boolean {
  if (status !== null && NOT_IN_FORCE.has(status)) return false;
  return !periodNotBegun(period, now) && !periodEnded(period, now);
}

/**
 * Coverage: DSTU2 flat plan/group/issuer, STU3 `grouping` + `payor`, R4 `class[]` + `payor`. `payers`
 * names reference-only payer Organizations, read after the batches (unnamedPayors), by the key
 * payerKey gives; `base`, the EHR's (ctx.server.base), finds those given by an absolute URL on it.
 * Sorted by Coverage.order (STU3, R4: "the order of applicability of this coverage relative to
 * other coverages which are currently in force", 1 the primary) ascending, coverages without one
 * after those with one; then newest `period.start` first. DSTU2 has no order (its `sequence` counts renewals).
 */
export function readCoverage(
  resources: JsonObject[],
  now = Date.now(),
  payers: ReadonlyMap<string, string> = new Map(),
  base?: URL | string,
): CoverageView[] {
  return resources
    .filter((r) => r.resourceType === 'Coverage')
    .map((r) => ({ r, order: numberOf(r.order) ?? Infinity }))
    .sort((a, b) => a.order - b.order || newestFirst(when(periodOf(a.r).start), when(periodOf(b.r).start)))
    .map(({ r }): CoverageView => {
      const grouping = isObject(r.grouping) ? r.grouping : {};
      const period = isObject(r.period) ? r.period : {};
      const subscriberId = isObject(r.subscriberId) ? str(r.subscriberId.value) : str(r.subscriberId);
      // Read by its words when written otherwise ("Cancelled"); one that cannot be read is marked "check in EHR" (a modifier).
      const { code: status, unreadable } = readRecordStatus(r.status, STATUS_CODES.coverageStatus);
      const start = when(period.start);
      const payer = payerName(r, payers, base);
      const stated = payerReferences(r, base);
      const person = payer === null && stated.some(isPerson);
      return {
        payer,
        selfPay: selfPay(r, base),
        // A person pays whom the record does not name (a parent's Patient, a RelatedPerson): a payer is stated.
        ...(person ? { payerPerson: true as const } : {}),
        // A payer is stated but could not be named (another server's, a type the EHR does not offer, a failed or empty read): unknown, not absent.
        ...(payer === null && !person && stated.some(identifiesSomething) ? { payerUnavailable: true as const } : {}),
        plan: classValue(r, 'plan') ?? str(grouping.planDisplay) ?? str(grouping.plan) ?? str(r.plan) ?? null,
        group: classValue(r, 'group') ?? str(grouping.groupDisplay) ?? str(grouping.group) ?? str(r.group) ?? null,
        subscriberId: subscriberId ?? null,
        status,
        periodStart: start,
        periodEnd: when(period.end),
        current: coverageIsCurrent(status, period, now),
        ...(unreadable ? { qualified: true as const } : qualifiedMark(r, ['class', 'grouping'])),
      };
    });
}

const periodOf = (r: JsonObject): JsonObject => (isObject(r.period) ? r.period : {});

/**
 * Self-pay: Coverage.type coded `pay` of the coverage-selfpay code system (STU3
 * http://hl7.org/fhir/coverage-selfpay, R4 http://terminology.hl7.org/CodeSystem/coverage-selfpay;
 * hl7.org/fhir/valueset-coverage-type.html), or a payor that is the patient the coverage is for
 * (payorIsBeneficiary). DSTU2 has neither: its coverage without an issuer reads "payer not stated".
 */
function selfPay(r: JsonObject, base?: URL | string): boolean {
  const typed = objects(isObject(r.type) ? [r.type] : [])
    .flatMap((t) => [...objects(t.coding), t])
    .some((c) => c.code === 'pay' && str(c.system)?.endsWith('coverage-selfpay') === true);
  const patientPays = objects(r.payor).some((payor) => payorIsBeneficiary(r, payor, base));
  return typed || patientPays;
}

/**
 * The payer's name: a reference's display, else the contained Organization it names (`#id`), else the
 * name read for its `Organization/{id}` (payers, by payerKey: relative or absolute on the EHR's
 * `base`). DSTU2 `issuer`, STU3/R4 `payor[]`; the patient as payor is self-pay, not a payer named by
 * the patient's own name.
 */
function payerName(coverage: JsonObject, payers: ReadonlyMap<string, string>, base?: URL | string): string | null {
  for (const payer of payerReferences(coverage, base)) {
    const contained = containedResource(coverage, payer, ['Organization']);
    const name = referenceDisplay(payer) ?? (contained ? providerResourceName(contained) : null) ?? payers.get(payerKey(payer, base) ?? '');
    if (name) return name;
  }
  return null;
}

const payerReferences = (coverage: JsonObject, base?: URL | string) =>
  objects([coverage.issuer, ...objects(coverage.payor)]).filter((p) => !payorIsBeneficiary(coverage, p, base));

/**
 * The `Organization/{id}` a payer reference names on the EHR: a relative one, or an absolute URL on
 * the EHR's `base` (Reference.reference "relative or absolute URL", DSTU2, STU3 and R4; an absolute
 * URL on the base is the same resource: ownReference). Null for anything else, above
 * all a URL on another server, which is never read.
 */
function payerKey(payer: JsonObject, base?: URL | string): string | null {
  const ref = str(payer.reference);
  return ref && !ref.startsWith('#') ? ownReference(ref, base, 'Organization') : null;
}

/**
 * `Organization/{id}` references of payers the Coverage records do not name themselves, relative or
 * absolute on the EHR's `base` (payerKey), to read with the care providers after the batches
 * (care-provider.ts careProviderNames). A reference to another server is never followed.
 */
export function unnamedPayors(resources: JsonObject[], base?: URL | string): string[] {
  const refs = new Set<string>();
  for (const r of resources) {
    if (r.resourceType !== 'Coverage' || payerName(r, new Map(), base) !== null) continue;
    for (const payer of payerReferences(r, base)) {
      const key = payerKey(payer, base);
      if (key) refs.add(key);
    }
  }
  return [...refs];
}

/** The type a payor reference names: its `{Type}/{id}` (relative, or a URL anywhere), else R4 Reference.type. */
function payorType(payor: JsonObject): string | undefined {
  const reference = str(payor.reference);
  return (reference === undefined ? undefined : referenceType(reference)) ?? str(payor.type);
}

/**
 * Whether a payor is the patient the coverage is for. Coverage.payor is Reference(Organization |
 * Patient | RelatedPerson) in STU3 and R4 (hl7.org/fhir/R4/coverage-definitions.html#Coverage.payor):
 * a Patient pays for themself only when it is the beneficiary (STU3 optional, R4 required); a parent
 * paying for a child is another Patient, a person who pays (isPerson). Without a beneficiary to tell,
 * a Patient payor is taken as the patient (the coverage was found by the patient's own search).
 */
function payorIsBeneficiary(coverage: JsonObject, payor: JsonObject, base?: URL | string): boolean {
  if (payorType(payor) !== 'Patient') return false;
  const beneficiary = isObject(coverage.beneficiary) ? str(coverage.beneficiary.reference) : undefined;
  if (beneficiary === undefined) return true;
  const payerRef = str(payor.reference);
  const key = payerRef === undefined ? null : referenceKey(payerRef, base);
  return key !== null && key === referenceKey(beneficiary, base);
}

/** A Reference that names something: a reference or an identifier (R4 Reference.identifier), not an empty or display-less shell. */
const identifiesSomething = (ref: JsonObject) => str(ref.reference) !== undefined || isObject(ref.identifier);

/** A payer that is a person, not an organisation: another Patient (a parent) or a RelatedPerson. */
const isPerson = (payor: JsonObject) => ['Patient', 'RelatedPerson'].includes(payorType(payor) ?? '');

/** R4 `class[]` entry of a type (coverage-class code), its name before its value. */
function classValue(r: JsonObject, type: string): string | undefined {
  const entry = objects(r.class).find((c) => conceptCodes(c.type).includes(type));
  return entry ? (str(entry.name) ?? str(entry.value)) : undefined;
}
