/** Tolerant readers for the FHIR datatypes the clinical views use; wrong shapes give null, never throw. */
import { fhirIdSyntax } from '../../../contract/id-syntax.js';
import { isObject, list, objects, str, strings, type JsonObject } from '../json.js';
import type { When } from './types.js';

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;

/** A date, dateTime or instant, partial or without zone, kept as given with a sort key. */
export function when(value: unknown): When | null {
  const text = str(value);
  return text === undefined ? null : { text, epochMs: epochMsOf(text) };
}

/** The sort key of a date, dateTime or instant as `when` gives it, for loops that only compare times. */
export function epochMsOf(text: string): number | null {
  let epochMs = recentEpochs.get(text);
  if (epochMs === undefined) {
    // Readings taken together share their time: a list read meets each timestamp many times.
    if (recentEpochs.size >= RECENT_EPOCHS) recentEpochs.clear();
    recentEpochs.set(text, (epochMs = epochOf(text)));
  }
  return epochMs;
}

const RECENT_EPOCHS = 10_000;
const recentEpochs = new Map<string, number | null>();

/** A full date-time with seconds and a zone, the form nearly every server sends. */
const FULL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function epochOf(text: string): number | null {
  // The engine's own ISO parser is several times faster; anything it refuses takes the long way.
  if (FULL_DATE_TIME.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  const m = DATE.exec(text);
  if (!m) return null;
  // Indexes rather than destructuring with defaults: this runs for every resource of a list.
  const month = m[2] === undefined ? 1 : +m[2];
  const day = m[3] === undefined ? 1 : +m[3];
  const hours = m[4] === undefined ? 0 : +m[4];
  const minutes = m[5] === undefined ? 0 : +m[5];
  const seconds = m[6] === undefined ? 0 : +m[6];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hours > 24 || minutes > 59 || seconds > 60) return null;
  const ms = Date.UTC(+m[1], month - 1, day, hours, minutes, seconds, m[7] === undefined ? 0 : Math.round(+m[7] * 1000));
  // A missing zone is read as UTC: servers (Spark, some EHR exports) omit it, and a stable order beats none.
  const zone = m[8];
  if (zone === undefined || zone === 'Z') return ms;
  const sign = zone.charCodeAt(0) === 45 /* - */ ? -1 : 1;
  const offsetHours = +zone.slice(1, 3);
  const offsetMinutes = +zone.slice(zone.length - 2);
  return ms - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

/**
 * The first moment after a period that ends at `text` (Period.end, a date, dateTime or instant):
 * the end "includes any matching date/time" (Period in DSTU2, STU3 and R4), so an end of
 * 2026-12-31 lasts the whole of that day, 2026-12 the whole month. Null when unreadable.
 */
export function endOfPeriodMs(text: string): number | null {
  const epochMs = epochMsOf(text);
  const date = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
  if (epochMs === null || !date) return epochMs;
  const [year, month, day] = [+date[1], date[2] === undefined ? undefined : +date[2] - 1, date[3] === undefined ? undefined : +date[3]];
  if (month === undefined) return Date.UTC(year + 1, 0, 1);
  return day === undefined ? Date.UTC(year, month + 1, 1) : Date.UTC(year, month, day + 1);
}

/** Whether a Period has ended by `now`: its end is past (a whole day for a date alone); no or an unreadable end does not end it. */
export function periodEnded(period: unknown, now: number): boolean {
  const end = isObject(period) ? str(period.end) : undefined;
  const after = end === undefined ? null : endOfPeriodMs(end);
  return after !== null && after <= now;
}

/** Whether a Period has not begun by `now`: its start is still to come (no or an unreadable start has begun). */
export function periodNotBegun(period: unknown, now: number): boolean {
  const start = isObject(period) ? str(period.start) : undefined;
  const at = start === undefined ? null : epochMsOf(start);
  return at !== null && at > now;
}

/** Newest first; values without a usable time go last. */
export function newestFirst(a: When | null, b: When | null): number {
  return (b?.epochMs ?? -Infinity) - (a?.epochMs ?? -Infinity) || 0;
}

/** A CodeableConcept's text, else its first coding display. */
export function conceptText(value: unknown): string | null {
  if (!isObject(value)) return str(value) ?? null;
  const text = str(value.text);
  if (text) return text;
  for (const coding of objects(value.coding)) {
    const display = str(coding.display);
    if (display) return display;
  }
  return null;
}

/** Every code of a CodeableConcept (or a lone Coding). */
export function conceptCodes(value: unknown): string[] {
  if (!isObject(value)) return [];
  const codings = value.coding !== undefined ? list(value.coding) : [value];
  // A loop rather than map and filter: this runs for every Observation of a list.
  const codes: string[] = [];
  for (const coding of codings) {
    const code = isObject(coding) ? str(coding.code) : undefined;
    if (code !== undefined) codes.push(code);
  }
  return codes;
}

/** Code systems FHIR defines its status value sets in (DSTU2/STU3 hl7.org/fhir/…, R4 terminology.hl7.org/CodeSystem/…). */
const FHIR_STATUS_SYSTEM = /^https?:\/\/(hl7\.org\/fhir\/|terminology\.hl7\.org\/CodeSystem\/)/;

/**
 * A status that is a plain code (DSTU2/STU3), a Coding, or a CodeableConcept (R4). A concept may
 * carry a local coding beside the required one (R4 clinicalStatus and verificationStatus bind to
 * FHIR's own code systems; other codings are allowed): the coding in a FHIR system, or without a
 * system, is the status; a concept with only other codings gives its first code.
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
  return other;
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
 * `patient` parameter would otherwise put someone else's record on this row.
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
  return !namesOther;
}

const REFERENCE_FIELDS = ['subject', 'patient', 'beneficiary'] as const;
