/**
 * The syntax of ids that server and tab both check, as plain regular expressions: no zod here,
 * so the small consent popup pages can use them without carrying a schema library.
 */

/**
 * FHIR resource id syntax (FHIR's `id` type, [A-Za-z0-9\-\.]{1,64}), unanchored, to build patterns
 * such as references from; an id of dots alone ("." or "..") is not one: in a URL path it is a step
 * of the path itself (RFC 3986 5.2.4), so `Patient/..` would ask the EHR's base, and no server can
 * hold a resource under it.
 */
export const fhirIdSyntax = '(?=[A-Za-z0-9\\-.]*[A-Za-z0-9\\-])[A-Za-z0-9\\-.]{1,64}';

/** A FHIR resource id: what a patient id in a path or body must look like. */
export const fhirIdPattern = new RegExp(`^${fhirIdSyntax}$`);

/** A GUID, the form of Azure AD tenant and object ids, Teams team ids and SharePoint list ids (any case). */
export const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
