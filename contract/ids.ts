import { z } from 'zod';
import { fhirIdPattern } from './id-syntax.js';

/** FHIR resource id syntax: what a patient id in a path or body must look like. */
export const fhirId = z.string().regex(fhirIdPattern, 'must be an id as the EHR gives it (letters, digits, - and ., at most 64)');

/** The ids the app makes itself (lists, Manual-mode patients). */
export const uuid = z.uuid();

/** A FHIR date or dateTime as the EHR gave it, for display, with a moment for sorting (null when unparseable). */
export const when = z.object({ text: z.string(), epochMs: z.number().nullable() });
export type When = z.infer<typeof when>;
