import { fhirIdSyntax } from '../../../contract/id-syntax.js';
import { medicationGroup, medicationGroups } from '../../../contract/plain-constants.js';
import { isObject, objects, str, type JsonObject } from '../json.js';
import { firstCode } from './records.js';
import type { CoverageView, MedicationView } from './types.js';
import { conceptCodes, conceptText, newestFirst, periodEnded, periodNotBegun, referenceDisplay, statusCode, when } from './values.js';
import { qualifiedMark } from '../modifiers.js';

const MEDICATION_TYPES = new Set(['MedicationOrder', 'MedicationRequest', 'MedicationStatement']);
const MEDICATION_REF = new RegExp(`^Medication/${fhirIdSyntax}$`);
const MEDICATION_PATH = new RegExp(`/(Medication/${fhirIdSyntax})(?:/_history/[^/]*)?$`);

/**
 * Medication resources by reference, from `_include` entries or a follow-up read: under their local
 * reference `Medication/{id}`, and, when the EHR's base is known, under their absolute URL on that
 * base too (`{base}/Medication/{id}`, what an entry's fullUrl is). Reference.reference may be
 * absolute in every version (DSTU2, STU3, R4 Reference: "relative or absolute URL"); only one on the
 * EHR's own base is the same Medication, a URL on another server or path never is (see medicationKey).
 */
export type MedicationIndex = Map<string, JsonObject>;

/** The FHIR base as `origin` + path without a trailing slash, the prefix of its absolute references. */
function basePrefix(base: URL | string): string | null {
  try {
    const url = new URL(String(base));
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}

/**
 * The index key of a reference to a Medication: `Medication/{id}` for a local one, and for an
 * absolute one on the EHR's base (same origin, same base path; a version `/_history/n` dropped). An
 * absolute reference elsewhere keeps its whole URL, which matches nothing the EHR's base gave: the
 * app never reads, nor names a drug from, another server. Null when it names no Medication.
 */
function medicationKey(reference: string, base?: URL | string): string | null {
  const local = reference.replace(/\/_history\/.*$/, '');
  if (MEDICATION_REF.test(local)) return local;
  const prefix = base === undefined ? null : basePrefix(base);
  let url: URL;
  try {
    url = new URL(reference);
  } catch {
    return null;
  }
  if (url.search || url.hash || url.username || url.password) return null;
  const tail = MEDICATION_PATH.exec(url.pathname);
  if (!tail) return null;
  const at = `${url.origin}${url.pathname.slice(0, tail.index)}`;
  return prefix !== null && at === prefix ? tail[1] : `${at}/${tail[1]}`;
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
 * draft, unknown, entered-in-error or no status: not current. Nor is an order not to give the drug
 * (R4 MedicationRequest.doNotPerform, a modifier) or a request that is only a proposal or an option
 * (MedicationRequest.intent, STU3 medication-request-intent, R4 medicationrequest-intent; a modifier
 * in R4): what the patient is not to have, or may have, is not what the patient is on. Every other
 * intent counts, `plan` too (some EHRs record home medications so).
 */
const CURRENT_ORDER = new Set(['active', 'on-hold']);
const CURRENT_STATEMENT = new Set(['active', 'intended', 'on-hold']);

const notTaken = (r: JsonObject) => r.resourceType === 'MedicationStatement' && (r.wasNotTaken === true || r.taken === 'n');

/** Current by its details group (contract `medicationGroup`): do-not-perform, proposal, option and not-taken never are. */
function medicationIsCurrent(r: JsonObject, group: string | null): boolean {
  return group !== null && (r.resourceType === 'MedicationStatement' ? CURRENT_STATEMENT : CURRENT_ORDER).has(group);
}

/**
 * An order or statement whose end has passed is not current, whatever its status says: DSTU2
 * MedicationOrder.dateEnded, and MedicationStatement.effectivePeriod.end (DSTU2, STU3, R4). EHRs
 * leave such records `active`. Not MedicationRequest.dispenseRequest.validityPeriod: it bounds the
 * dispensing of a prescription, not the treatment. An end includes its whole day (periodEnded). Such
 * a record reads `ended` in the details (ENDED), its group placed before the completed ones.
 */
export const ENDED = 'ended';
function hasEnded(r: JsonObject, now: number): boolean {
  if (r.resourceType === 'MedicationOrder' && periodEnded({ end: r.dateEnded }, now)) return true;
  return r.resourceType === 'MedicationStatement' && periodEnded(r.effectivePeriod, now);
}

/** The details' order of groups (medicationGroups); `ended` just before `completed`; a status the app does not know goes with `unknown`. */
const statusRank = (m: MedicationView) => {
  const group = medicationGroup(m) ?? 'unknown';
  if (group === ENDED) return medicationGroups.indexOf('completed') - 0.5;
  const rank = (medicationGroups as readonly string[]).indexOf(group);
  return rank < 0 ? medicationGroups.indexOf('unknown') : rank;
};

/** Orders, requests and statements grouped by status, current first; newest first in each group. */
export function readMedications(resources: JsonObject[], included: MedicationIndex, now = Date.now()): MedicationView[] {
  return resources
    .filter((r) => MEDICATION_TYPES.has(String(r.resourceType)))
    .map((r): MedicationView => {
      const requester = isObject(r.requester) ? r.requester : {};
      const effectivePeriod = isObject(r.effectivePeriod) ? r.effectivePeriod : {};
      const intent = statusCode(r.intent);
      const modifiers = {
        ...(r.doNotPerform === true ? { doNotPerform: true as const } : {}),
        ...(intent !== null ? { intent } : {}),
        ...(notTaken(r) ? { notTaken: true as const } : {}),
      };
      const stated = statusCode(r.status);
      const currentByStatus = medicationIsCurrent(r, medicationGroup({ status: stated, ...modifiers }));
      // A record current by its status whose end has passed reads `ended`; one already history keeps its status.
      const ended = currentByStatus && hasEnded(r, now);
      const status = ended ? ENDED : stated;
      const name = medicationName(r, included);
      return {
        kind: r.resourceType === 'MedicationStatement' ? 'statement' : 'order',
        name,
        // Named only by its code read out: never merged with another item by that name (list-cells `once`).
        ...(name !== null && medicationName(r, included, false) === null ? { unnamed: true as const } : {}),
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
        ...qualifiedMark(r, ['dosageInstruction', 'dosage']),
      };
    })
    .sort((a, b) => statusRank(a) - statusRank(b) || newestFirst(a.date, b.date));
}

/**
 * The Medication a record refers to: a contained one (`#id`, DSTU2 to R4), or one read from the EHR
 * (local `Medication/{id}`, or an absolute URL on the EHR's base: see MedicationIndex).
 */
function referencedMedication(r: JsonObject, included: MedicationIndex): JsonObject | undefined {
  const target = isObject(r.medicationReference) ? str(r.medicationReference.reference) : undefined;
  if (!target) return undefined;
  if (target.startsWith('#')) return objects(r.contained).find((c) => c.resourceType === 'Medication' && `#${str(c.id)}` === target);
  const local = target.replace(/\/_history\/.*$/, '');
  return included.get(local) ?? included.get(medicationKey(target) ?? '');
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
    if (!MEDICATION_TYPES.has(String(r.resourceType)) || medicationName(r, included) !== null) continue;
    const ref = isObject(r.medicationReference) ? str(r.medicationReference.reference) : undefined;
    const key = ref && !ref.startsWith('#') ? medicationKey(ref, base) : null;
    if (key && MEDICATION_REF.test(key)) refs.add(key);
  }
  return [...refs];
}

/** The drug's words: the concept's (its code read out when it has no words, see conceptText), a reference's display, the referenced Medication's code. */
function medicationName(r: JsonObject, included: MedicationIndex, orCode = true): string | null {
  const concept = conceptText(r.medicationCodeableConcept, orCode);
  if (concept) return concept;
  const ref = isObject(r.medicationReference) ? r.medicationReference : undefined;
  if (!ref) return null;
  const display = str(ref.display);
  if (display) return display;
  const medication = referencedMedication(r, included);
  return medication ? conceptText(medication.code, orCode) : null;
}

/** DSTU2 and later `dosageInstruction[].text`, a statement's `dosage[].text`. */
function dosageText(r: JsonObject): string | null {
  const texts = [...objects(r.dosageInstruction), ...objects(r.dosage)].map((d) => str(d.text)).filter((t): t is string => t !== undefined);
  return texts.length > 0 ? texts.join('; ') : null;
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

/** Coverage: DSTU2 flat plan/group/issuer, STU3 `grouping` + `payor`, R4 `class[]` + `payor`. */
export function readCoverage(resources: JsonObject[], now = Date.now()): CoverageView[] {
  return resources
    .filter((r) => r.resourceType === 'Coverage')
    .map((r): CoverageView => {
      const grouping = isObject(r.grouping) ? r.grouping : {};
      const period = isObject(r.period) ? r.period : {};
      const subscriberId = isObject(r.subscriberId) ? str(r.subscriberId.value) : str(r.subscriberId);
      const status = statusCode(r.status);
      const start = when(period.start);
      return {
        payer:
          referenceDisplay(r.issuer) ??
          // The patient as payor is self-pay, not a payer named by the patient's own name.
          objects(r.payor)
            .filter((p) => !payorIsPatient(p))
            .map(referenceDisplay)
            .find((d) => d !== null) ??
          null,
        selfPay: selfPay(r),
        plan: classValue(r, 'plan') ?? str(grouping.planDisplay) ?? str(grouping.plan) ?? str(r.plan) ?? null,
        group: classValue(r, 'group') ?? str(grouping.groupDisplay) ?? str(grouping.group) ?? str(r.group) ?? null,
        subscriberId: subscriberId ?? null,
        status,
        periodStart: start,
        periodEnd: when(period.end),
        current: coverageIsCurrent(status, period, now),
        ...qualifiedMark(r, ['class', 'grouping']),
      };
    })
    .sort((a, b) => newestFirst(a.periodStart, b.periodStart));
}

/**
 * Self-pay: Coverage.type coded `pay` of the coverage-selfpay code system (STU3
 * http://hl7.org/fhir/coverage-selfpay, R4 http://terminology.hl7.org/CodeSystem/coverage-selfpay;
 * hl7.org/fhir/valueset-coverage-type.html), or a payor that is the patient (STU3/R4 payor may
 * reference Patient). DSTU2 has neither: its coverage without an issuer reads "payer not stated".
 */
function selfPay(r: JsonObject): boolean {
  const typed = objects(isObject(r.type) ? [r.type] : [])
    .flatMap((t) => [...objects(t.coding), t])
    .some((c) => c.code === 'pay' && String(c.system).endsWith('coverage-selfpay'));
  const patientPays = objects(r.payor).some(payorIsPatient);
  return typed || patientPays;
}

const payorIsPatient = (payor: JsonObject) => /^(.*\/)?Patient\/[^/]+$/.test(str(payor.reference) ?? '');

/** R4 `class[]` entry of a type (coverage-class code), its name before its value. */
function classValue(r: JsonObject, type: string): string | undefined {
  const entry = objects(r.class).find((c) => conceptCodes(c.type).includes(type));
  return entry ? (str(entry.name) ?? str(entry.value)) : undefined;
}
