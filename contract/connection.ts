import { z } from 'zod';

/** The FHIR releases the app reads. */
export const fhirVersions = ['DSTU2', 'STU3', 'R4', 'R4B'] as const;
export type FhirVersion = (typeof fhirVersions)[number];

/** How a team is set up: not yet, Manual mode, or linked to its EHR (what the connection check found). */
export const connection = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('unset') }),
  z.object({ mode: z.literal('manual') }),
  z.object({
    mode: z.literal('ehr'),
    url: z.string(),
    name: z.string(),
    fhirVersion: z.enum(fhirVersions),
    auth: z.enum(['none', 'client_credentials']),
    resources: z.array(z.string()),
  }),
]);
export type Connection = z.infer<typeof connection>;

/** A team's connection mode. */
export type ConnectionMode = Connection['mode'];

/** `PUT /api/teams/{teamId}/connection`: an EHR link (checked for real before it is kept), or Manual mode. */
export const connectionBody = z.discriminatedUnion('mode', [
  z
    .object({
      mode: z.literal('ehr'),
      url: z.string().trim().min(1, 'must not be empty').max(2000).url('must be a web address (https://…)'),
      name: z.string().trim().min(1, 'must not be empty').max(200),
    })
    .strict(),
  z.object({ mode: z.literal('manual') }).strict(),
]);
export type ConnectionBody = z.infer<typeof connectionBody>;

/** `GET /api/teams/{teamId}/connection`: how the team is set up. */
export const connectionAnswer = connection;

/** `PUT /api/teams/{teamId}/connection`: what was kept, with what the check found. */
export const setConnectionAnswer = connection.options[1].or(connection.options[2]);
