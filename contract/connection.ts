import { z } from 'zod';
import { sharedText } from './shared-text.js';

/** The FHIR releases the app reads. */
export const fhirVersions = ['DSTU2', 'STU3', 'R4', 'R4B'] as const;
export type FhirVersion = (typeof fhirVersions)[number];

/**
 * The FHIR resource types the app reads (patients, the clinical columns, the medications they
 * name, the allergy lists, care providers). A connection keeps which of these its EHR offers and
 * nothing else of what the EHR's capability statement lists, however long that is.
 */
export const appResourceTypes = [
  'Patient',
  'Observation',
  'Condition',
  'AllergyIntolerance',
  'MedicationRequest',
  'MedicationOrder',
  'MedicationStatement',
  'Medication',
  'Encounter',
  'Coverage',
  'List',
  'Practitioner',
  'Organization',
  'PractitionerRole',
] as const;

/**
 * The most resource types a connection holds. New checks keep only `appResourceTypes`; the room
 * above that is for links checked before (which kept every type a FHIR release defines, ~150).
 */
export const MAX_CONNECTION_RESOURCES = 200;

/**
 * When the team's patients started to come from this source (ISO time): set by the server when a
 * setting changes the source (`changesSource`), kept when it keeps it (a new name for the same
 * link). Team data about a patient recorded before it (notes) is another source's and is never
 * shown against this source's patients. A connection stored without it (by an earlier version,
 * or the team's first setting) counts everything the team kept as this source's.
 */
const sourceSince = z.string().optional();

/** How a team is set up: not yet, Manual mode, or linked to its EHR (what the connection check found). */
export const connection = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('unset') }),
  z.object({ mode: z.literal('manual'), sourceSince }),
  z.object({
    mode: z.literal('ehr'),
    url: z.string(),
    name: z.string(),
    fhirVersion: z.enum(fhirVersions),
    auth: z.enum(['none', 'client_credentials']),
    resources: z.array(z.string().max(64)).max(MAX_CONNECTION_RESOURCES),
    sourceSince,
  }),
]);
export type Connection = z.infer<typeof connection>;

/** A team's connection mode. */
export type ConnectionMode = Connection['mode'];

/**
 * A change of the patients' source (EHR to Manual mode, back, or to another EHR link) while the
 * team's lists hold patients must say `confirm: true`: the lists' patients may no longer be shown,
 * so a caller must have been told. Without it the answer is 412 with the counts, and nothing changes.
 */
const confirm = z.literal(true, { error: 'must be true, or be left out' }).optional();

/** `PUT /api/teams/{teamId}/connection`: an EHR link (checked for real before it is kept), or Manual mode. */
export const connectionBody = z.discriminatedUnion('mode', [
  z
    .object({
      mode: z.literal('ehr'),
      url: z.string().trim().min(1, 'must not be empty').max(2000).url('must be a web address (https://…)'),
      name: sharedText(200),
      confirm,
    })
    .strict(),
  z.object({ mode: z.literal('manual'), confirm }).strict(),
]);
export type ConnectionBody = z.infer<typeof connectionBody>;

/** `GET /api/teams/{teamId}/connection`: how the team is set up. */
export const connectionAnswer = connection;

/** `PUT /api/teams/{teamId}/connection`: what was kept, with what the check found. */
export const setConnectionAnswer = connection.options[1].or(connection.options[2]);

/** Whether going from one connection to another changes where the lists' patients come from. */
export function changesSource(from: Connection, to: { mode: 'manual' } | { mode: 'ehr'; url: string }): boolean {
  if (from.mode === 'unset') return false;
  if (from.mode !== to.mode) return true;
  return from.mode === 'ehr' && to.mode === 'ehr' && from.url.replace(/\/+$/, '') !== to.url.replace(/\/+$/, '');
}

/** What a change of source does to the team's lists, in counts: lists holding patients, and the patients they hold. */
export function sourceChangeImpact(lists: readonly { patientCount: number }[]): { lists: number; patients: number } {
  const held = lists.filter((l) => l.patientCount > 0);
  return { lists: held.length, patients: held.reduce((n, l) => n + l.patientCount, 0) };
}

/** SharePoint keeps a time to the whole second: a time stored there has no fraction of a second. */
const WHOLE_SECOND = 1000;

/**
 * Whether team data written at `writtenAt` (a note's `createdAt`) was written under the team's
 * current source: not when it was written before the connection's `sourceSince`. A time kept to
 * the whole second (SharePoint drops the milliseconds) is compared with the second the source
 * changed in, so a note written just after the change is never taken for one written before it.
 * A time that cannot be read (either) is not taken for the current source's.
 */
export function writtenUnderSource(connection: Connection, writtenAt: string): boolean {
  const since = connection.mode === 'unset' ? undefined : connection.sourceSince;
  if (since === undefined) return true;
  const sinceMs = Date.parse(since);
  const writtenMs = Date.parse(writtenAt);
  // Either time unreadable: no telling which source it was written under, so not shown.
  if (Number.isNaN(sinceMs) || Number.isNaN(writtenMs)) return false;
  const wholeSecond = writtenMs % WHOLE_SECOND === 0;
  return writtenMs >= (wholeSecond ? sinceMs - (sinceMs % WHOLE_SECOND) : sinceMs);
}
