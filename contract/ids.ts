import { z } from 'zod';
import { fhirIdPattern } from './id-syntax.js';

/** FHIR resource id syntax: what a patient id in a path or body must look like. */
export const fhirId = z.string().regex(fhirIdPattern, 'must be an id as the EHR gives it (letters, digits, - and ., at most 64)');

/** The ids the app makes itself (lists, Manual-mode patients). */
export const uuid = z.uuid();

/**
 * A FHIR date, dateTime or instant: `text` as the EHR gave it, what is shown (at the precision and
 * in the zone sense it was sent: contract/fhir-time.ts); `epochMs` a sort key, null when
 * unparseable. Only an instant's key is its moment: a zone-less dateTime or a partial date has its
 * fields read as UTC, so it must never be shown as a moment in the user's zone.
 */
export const when = z.object({ text: z.string(), epochMs: z.number().nullable() });
export type When = z.infer<typeof when>;
