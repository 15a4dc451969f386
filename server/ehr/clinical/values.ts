/** Tolerant readers for the FHIR datatypes the clinical views use; wrong shapes give null, never throw. */
import { earliestMs, fhirTime, latestMs, sortKeyMs } from '../../../contract/fhir-time.js';
import { fhirIdSyntax } from '../../../contract/id-syntax.js';
import { isObject, list, objects, str, strings, type JsonObject } from '../json.js';
import type { When } from './types.js';

/** A date, dateTime or instant, partial or without zone, kept as given with a sort key. */
export function when(value: unknown): When | null {
  const text = str(value);
  return text === undefined ? null : { text, epochMs: epochMsOf(text) };
}

/** The sort key of a date, dateTime or instant as `when` gives it, for loops that only compare times. */
export function epochMsOf(text: string): number | null {
  // Only what can be a FHIR time is remembered: the cache outlives the call, and its size in bytes
  // must not be the EHR's to choose (a hostile server's megabyte "dates" are read, never kept).
  if (text.length > LONGEST_TIME) return epochOf(text);
  let epochMs = recentEpochs.get(text);
  if (epochMs === undefined) {
    // Readings taken together share their time: a list read meets each timestamp many times.
    if (recentEpochs.size >= RECENT_EPOCHS) recentEpochs.clear();
    recentEpochs.set(text, (epochMs = epochOf(text)));
  }
  return epochMs;
}

const RECENT_EPOCHS = 10_000;
/** "2026-12-05T08:00:00.123456789+14:00": the longest instant, with nanoseconds. */
const LONGEST_TIME = 35;
const recentEpochs = new Map<string, number | null>();

/** A full date-time with seconds and a zone, the form nearly every server sends. */
const FULL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function epochOf(text: string): number | null {
  // The engine's own ISO parser is several times faster; anything it refuses takes the long way.
  if (FULL_DATE_TIME.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  const time = fhirTime(text);
  // A missing zone (Spark, some EHR exports) and a partial date sort by their fields read as UTC:
  // a stable order beats none. Only a sort key: what is shown reads the text (contract/fhir-time.ts).
  return time === null ? null : sortKeyMs(time);
}

/**
 * Whether a Period has ended by `now`: its end is past at the latest moment it can mean (a Period's
 * end "includes any matching date/time", Period in DSTU2, STU3 and R4: 2026-12-31 lasts that whole
 * day, and a date or zone-less time carries no zone, so in every zone: contract/fhir-time.ts
 * `latestMs`, as an encounter's end is read). No or an unreadable end does not end it.
 */
export function periodEnded(period: unknown, now: number): boolean {
  const end = isObject(period) ? str(period.end) : undefined;
  const after = end === undefined ? null : latestMs(end);
  return after !== null && after <= now;
}

/** Whether a Period has not begun by `now`: its start is still to come at the earliest moment it can mean (`earliestMs`); no or an unreadable start has begun. */
export function periodNotBegun(period: unknown, now: number): boolean {
  const start = isObject(period) ? str(period.start) : undefined;
  const at = start === undefined ? null : earliestMs(start);
  return at !== null && at > now;
}

/** Newest first; values without a usable time go last. */
export function newestFirst(a: When | null, b: When | null): number {
  return (b?.epochMs ?? -Infinity) - (a?.epochMs ?? -Infinity) || 0;
}

/**
 * Code systems a clinician knows by name, by their FHIR URI: the words of a code that comes without
 * display or text.
 */
const CODE_SYSTEM_NAMES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    'http://www.nlm.nih.gov/research/umls/rxnorm': 'RxNorm',
    'http://snomed.info/sct': 'SNOMED CT',
    'http://hl7.org/fhir/sid/icd-10-cm': 'ICD-10-CM',
    'http://hl7.org/fhir/sid/icd-10': 'ICD-10',
    'http://hl7.org/fhir/sid/icd-9-cm': 'ICD-9-CM',
    'http://loinc.org': 'LOINC',
    'http://hl7.org/fhir/sid/ndc': 'NDC',
    'http://hl7.org/fhir/sid/cvx': 'CVX',
    'http://www.whocc.no/atc': 'ATC',
    'http://fdasis.nlm.nih.gov': 'UNII',
  }),
);

/**
 * The HL7 OIDs older feeds (and CDA conversions) send for code systems that have a FHIR URI, with
 * that URI: both name the same system (DSTU2 identifier-registry, R4 terminologies-systems.html).
 */
const SYSTEM_OF_OID: ReadonlyMap<string, string> = new Map(
  Object.entries({
    'urn:oid:2.16.840.1.113883.6.88': 'http://www.nlm.nih.gov/research/umls/rxnorm',
    'urn:oid:2.16.840.1.113883.6.96': 'http://snomed.info/sct',
    'urn:oid:2.16.840.1.113883.6.90': 'http://hl7.org/fhir/sid/icd-10-cm',
    'urn:oid:2.16.840.1.113883.6.3': 'http://hl7.org/fhir/sid/icd-10',
    'urn:oid:2.16.840.1.113883.6.103': 'http://hl7.org/fhir/sid/icd-9-cm',
    'urn:oid:2.16.840.1.113883.6.1': 'http://loinc.org',
    'urn:oid:2.16.840.1.113883.6.69': 'http://hl7.org/fhir/sid/ndc',
    'urn:oid:2.16.840.1.113883.12.292': 'http://hl7.org/fhir/sid/cvx',
  }),
);

/**
 * A Coding.system as the FHIR URI it names, so that every rule that reads a code reads it in each
 * spelling records use: its OID (SYSTEM_OF_OID), https for http, without a trailing slash.
 */
export const codeSystemUri = (system: string): string => SYSTEM_OF_OID.get(system) ?? system.replace(/^https:/, 'http:').replace(/\/+$/, '');

/**
 * A CodeableConcept's text, else its first coding display, else (with `orCode`, the default) its
 * code with the code system's name: "RxNorm 855332", "ICD-10-CM E11.9", "SNOMED CT 409137002", or
 * "code X" in a system the app does not name. text and display are optional in every version
 * (CodeableConcept, Coding); a code read out beats "?" for a clinician, who can look it up. A coding
 * in a named system is preferred over an earlier local one. With `orCode` false: words only.
 */
export function conceptText(value: unknown, orCode = true): string | null {
  if (!isObject(value)) return str(value) ?? null;
  const text = str(value.text);
  if (text) return text;
  const codings = objects(value.coding);
  for (const coding of codings) {
    const display = str(coding.display);
    if (display) return display;
  }
  if (!orCode) return null;
  let other: string | null = null;
  for (const coding of codings) {
    const code = str(coding.code);
    if (!code) continue;
    const system = CODE_SYSTEM_NAMES.get(codeSystemUri(str(coding.system) ?? ''));
    if (system) return `${system} ${code}`;
    other ??= `code ${code}`;
  }
  return other;
}

/** `unnamed` for a concept with a code but no words: its name is the code read out (see conceptText). */
export const unnamedMark = (value: unknown): { unnamed?: true } =>
  conceptText(value, false) === null && conceptText(value) !== null ? { unnamed: true } : {};

/**
 * LOINC's system as records write it: http://loinc.org (FHIR's URI, some records with https or a
 * trailing slash) or its OID urn:oid:2.16.840.1.113883.6.1 (codeSystemUri).
 */
export const isLoincSystem = (system: string): boolean => codeSystemUri(system) === 'http://loinc.org';

/**
 * The codes of a concept that may be LOINC codes: codings with LOINC's system, or with none (servers
 * leave it out). A coding of another system is never read as LOINC, whatever its code looks like:
 * a local code "8867-4" is not heart rate.
 */
export const loincCodes = (value: unknown): string[] => conceptCodes(value, (system) => system === undefined || isLoincSystem(system));

/** Every code of a CodeableConcept (or a lone Coding); with `ofSystem`, of the codings whose system (or none) it keeps. */
export function conceptCodes(value: unknown, ofSystem?: (system: string | undefined) => boolean): string[] {
  if (!isObject(value)) return [];
  const codings = value.coding !== undefined ? list(value.coding) : [value];
  // A loop rather than map and filter: this runs for every Observation of a list.
  const codes: string[] = [];
  for (const coding of codings) {
    if (!isObject(coding)) continue;
    const code = str(coding.code);
    if (code !== undefined && (!ofSystem || ofSystem(str(coding.system)))) codes.push(code);
  }
  return codes;
}

/** Code systems FHIR defines its status value sets in (DSTU2/STU3 hl7.org/fhir/…, R4 terminology.hl7.org/CodeSystem/…). */
const FHIR_STATUS_SYSTEM = /^https?:\/\/(hl7\.org\/fhir\/|terminology\.hl7\.org\/CodeSystem\/)/;

/**
 * A status that is a plain code (DSTU2/STU3), a Coding, or a CodeableConcept (R4). A concept may
 * carry a local coding beside the required one (R4 clinicalStatus and verificationStatus bind to
 * FHIR's own code systems; other codings are allowed): the coding in a FHIR system, or without a
 * system, is the status; a concept with only other codings gives its first code. A concept with no
 * code at all (only `text`, which FHIR allows: "Resolved") is read by its words when they are one
 * of the status codes the app reads (STATUS_WORDS), so a resolved or refuted record written in
 * words never reads as one without a status (current).
 */
export function statusCode(value: unknown): string | null {
  if (typeof value === 'string') return str(value) ?? null;
  let other: string | null = null;
  for (const item of objects(value)) {
    for (const coding of item.coding !== undefined ? objects(item.coding) : [item]) {
      const code = str(coding.code);
      if (!code) continue;
      const system = str(coding.system);
      if (system === undefined || FHIR_STATUS_SYSTEM.test(system)) return code;
      other ??= code;
    }
  }
  return other ?? statusInWords(value);
}

/**
 * Codes of the status value sets read in words (DSTU2 to R4): condition-clinical, condition-ver-status,
 * allergyintolerance-clinical and -verification, condition-category, allergy-intolerance-type.
 */
const STATUS_WORDS: ReadonlySet<string> = new Set([
  'active',
  'recurrence',
  'relapse',
  'inactive',
  'remission',
  'resolved',
  'unconfirmed',
  'provisional',
  'differential',
  'confirmed',
  'refuted',
  'entered-in-error',
  'problem-list-item',
  'encounter-diagnosis',
  'allergy',
  'intolerance',
]);
function statusInWords(value: unknown): string | null {
  const text = isObject(value) ? str(value.text) : undefined;
  const words = text
    ?.trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  return words && STATUS_WORDS.has(words) ? words : null;
}

export function referenceDisplay(value: unknown): string | null {
  return isObject(value) ? (str(value.display) ?? null) : null;
}

/** A number, or a numeric string (wrongly typed, but seen): anything else is not a value. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/** Annotation text (a lone Annotation, an array of them, or a plain string as DSTU2 `notes`). */
export function annotationText(value: unknown): string | null {
  const texts = [
    ...strings(value),
    ...objects(value)
      .map((a) => str(a.text))
      .filter((t): t is string => t !== undefined),
  ];
  return texts.length > 0 ? texts.join('\n') : null;
}

const PATIENT_REF = new RegExp(`(?:^|/)Patient/(${fhirIdSyntax})(?:/_history/[^/]*)?$`);

/**
 * False when the resource names another patient as its subject. A server that ignores the
 * `patient` parameter would otherwise put someone else's record on this row. A Coverage that names
 * no patient as beneficiary (DSTU2 Coverage has no such element, only `subscriber`
 * Reference(Patient): hl7.org/fhir/DSTU2/coverage.html) is the subscriber's; STU3/R4 `beneficiary`
 * decides when given (a parent as subscriber does not take the child's coverage off the child's row).
 */
export function belongsTo(resource: JsonObject, patientId: string, own = `Patient/${patientId}`): boolean {
  let namesOther = false;
  for (const field of REFERENCE_FIELDS) {
    const ref = resource[field];
    if (!isObject(ref)) continue;
    // The usual case first: a relative reference to this very patient.
    if (ref.reference === own) return true;
    const id = PATIENT_REF.exec(str(ref.reference) ?? '')?.[1];
    if (id === patientId) return true;
    if (id !== undefined) namesOther = true;
  }
  if (namesOther || resource.resourceType !== 'Coverage' || !isObject(resource.subscriber)) return !namesOther;
  // No patient link but the subscriber: another patient as subscriber makes it that patient's entry.
  const subscriber = PATIENT_REF.exec(str(resource.subscriber.reference) ?? '')?.[1];
  return subscriber === undefined || subscriber === patientId;
}

const REFERENCE_FIELDS = ['subject', 'patient', 'beneficiary'] as const;

/** The FHIR base as `origin` + path without a trailing slash: the prefix of its absolute references. */
export function basePrefix(base: URL | string): string | null {
  try {
    const url = new URL(String(base));
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}

const TYPED_REF = new RegExp(`^([A-Z][A-Za-z]+)/(${fhirIdSyntax})(?:/_history/[^/]*)?$`);
const TYPED_TAIL = new RegExp(`/([A-Z][A-Za-z]+)/(${fhirIdSyntax})(?:/_history/[^/]*)?$`);

/**
 * The key a reference is matched by: `{Type}/{id}` for a relative one, and for an absolute URL on
 * the EHR's `base` (same origin and base path), which is the same resource (Reference.reference
 * "relative or absolute URL", DSTU2/STU3/R4; hl7.org/fhir/R4/references.html). An absolute URL
 * elsewhere (or with no base given) keeps its whole URL, which names that server's resource only and
 * matches nothing the EHR gave. A version (`/_history/n`) is dropped. Null for what names no
 * resource (a query, a fragment, credentials, no `{Type}/{id}` at its end).
 */
export function referenceKey(reference: string, base?: URL | string): string | null {
  const local = TYPED_REF.exec(reference);
  if (local) return `${local[1]}/${local[2]}`;
  if (!/^https?:\/\//i.test(reference)) return null;
  let url: URL;
  try {
    url = new URL(reference);
  } catch {
    return null;
  }
  if (url.search || url.hash || url.username || url.password) return null;
  const tail = TYPED_TAIL.exec(url.pathname);
  if (!tail) return null;
  const at = `${url.origin}${url.pathname.slice(0, tail.index)}`;
  const prefix = base === undefined ? null : basePrefix(base);
  return prefix !== null && at === prefix ? `${tail[1]}/${tail[2]}` : `${at}/${tail[1]}/${tail[2]}`;
}

/** ownReference of a Reference element (its `reference`); null when it has none or names no resource of the EHR's own. */
export function ownReferenceOf(ref: unknown, base: URL | string | undefined, type: string): string | null {
  const reference = isObject(ref) ? str(ref.reference) : undefined;
  return reference === undefined ? null : ownReference(reference, base, type);
}

/**
 * The resource type a reference names at its end (`{Type}/{id}`, relative or a URL on any server,
 * a version dropped), whatever resource it is. Only the type is read: an id outside FHIR's syntax
 * (`p_1`, which some servers use) still names its type.
 */
export function referenceType(reference: string): string | undefined {
  return /(?:^|\/)([A-Z][A-Za-z]+)\/[^/]+(?:\/_history\/[^/]*)?$/.exec(reference)?.[1];
}

/** A reference as `{Type}/{id}` on the EHR's own base (referenceKey), of `type` when given; null for anything else, above all a URL on another server, which the app never reads. */
export function ownReference(reference: string, base?: URL | string, type?: string): string | null {
  const key = referenceKey(reference, base);
  const local = key === null ? null : TYPED_REF.exec(key);
  return local && (type === undefined || local[1] === type) ? key : null;
}

/**
 * When the reading holds. Observation.effective[x] is "the time or time-period the observed value is
 * asserted as being true" (DSTU2, STU3, R4): a dateTime or instant is that time; an effectivePeriod's
 * value holds until its end, so such a reading is timed by `effectivePeriod.end` (else its start):
 * it ranks as the latest, is stale or not, pairs, and is shown (list, details, chart, CSV) at that
 * time. Without effective[x] its time is not known: `issued` is when the result was "made available
 * to providers" (STU3, R4 Observation.issued; DSTU2 "date/time this was made available"), which
 * may be hours after the reading and is never taken for it. The vital-signs profile requires
 * effective[x] (R4 vitalsigns 1..1); a reading without one ranks below every dated one.
 */
export function effectiveText(obs: JsonObject): string | undefined {
  const period = isObject(obs.effectivePeriod) ? obs.effectivePeriod : undefined;
  return str(obs.effectiveDateTime) ?? str(obs.effectiveInstant) ?? str(period?.end) ?? str(period?.start);
}
