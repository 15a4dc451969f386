import { z } from 'zod';

/** FHIR resource id syntax (FHIR's `id` type), unanchored, to build patterns such as references from. */
export const fhirIdSyntax = '[A-Za-z0-9\\-.]{1,64}';
/** FHIR resource id syntax: what a patient id in a path or body must look like. */
export const fhirIdPattern = new RegExp(`^${fhirIdSyntax}$`);
export const fhirId = z.string().regex(fhirIdPattern, 'must be a FHIR resource id');

/** A GUID, the form of Azure AD tenant and object ids, Teams team ids and SharePoint list ids (any case). */
export const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The ids the app makes itself (lists, Manual-mode patients). */
export const uuid = z.uuid();

/** A FHIR date or dateTime as the EHR gave it, for display, with a moment for sorting (null when unparseable). */
export const when = z.object({ text: z.string(), epochMs: z.number().nullable() });
export type When = z.infer<typeof when>;
