/** Tolerant readers for the FHIR datatypes the clinical views use; wrong shapes give null, never throw. */
import { isObject, objects, str, strings, type JsonObject } from '../json.js';
import type { When } from './types.js';

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;

/** A date, dateTime or instant, partial or without zone, kept as given with a sort key. */
export function when(value: unknown): When | null {
  const text = str(value);
  if (text === undefined) return null;
  return { text, epochMs: epochOf(text) };
}

function epochOf(text: string): number | null {
  const m = DATE.exec(text);
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 24 || Number(mi) > 59 || Number(s) > 60) return null;
  const ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s), Math.round(Number(`0${frac || '.0'}`) * 1000));
  // A missing zone is read as UTC: servers (Spark, some EHR exports) omit it, and a stable order beats none.
  if (!zone || zone === 'Z') return ms;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return ms - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
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
  const codings = value.coding !== undefined ? objects(value.coding) : [value];
  return codings.map((c) => str(c.code)).filter((c): c is string => c !== undefined);
}

/** A status that is a plain code (DSTU2/STU3), a Coding, or a CodeableConcept (R4). */
export function statusCode(value: unknown): string | null {
  if (typeof value === 'string') return str(value) ?? null;
  for (const item of objects(value)) {
    const code = conceptCodes(item)[0];
    if (code) return code;
  }
  return null;
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
  const texts = [...strings(value), ...objects(value).map((a) => str(a.text)).filter((t): t is string => t !== undefined)];
  return texts.length > 0 ? texts.join('\n') : null;
}

const PATIENT_REF = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]*)?$/;

/**
 * False when the resource names another patient as its subject. A server that ignores the
 * `patient` parameter would otherwise put someone else's record on this row.
 */
export function belongsTo(resource: JsonObject, patientId: string): boolean {
  const ids = ['subject', 'patient', 'beneficiary']
    .map((field) => resource[field])
    .filter(isObject)
    .map((ref) => PATIENT_REF.exec(str(ref.reference) ?? '')?.[1])
    .filter((id): id is string => id !== undefined);
  return ids.length === 0 || ids.includes(patientId);
}
