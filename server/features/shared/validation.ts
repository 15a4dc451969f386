import { z } from 'zod';

/** FHIR resource id syntax. */
export const fhirId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'must be a FHIR resource id');
export const uuid = z.string().uuid();
export const listName = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
