import { z } from 'zod';
import { recordRead } from '../audit/trail.js';
import { teamKey } from '../auth/middleware.js';
import { Problem, badRequest, notFound } from '../http/problem.js';
import { caller } from '../http/request-context.js';
import type { TeamKey, TeamStore } from '../lists/store.js';
import type { ApiDeps, Endpoints } from './deps.js';
import { fhirId } from './validation.js';

const text = z.string().trim().min(1).max(200);
const searchQuery = z
  .object({
    name: text.optional(),
    family: text.optional(),
    given: text.optional(),
    identifier: text.optional(),
    birthdate: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be a date like 1951-08-24').optional(),
    gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
    id: fhirId.optional(),
    count: z.coerce.number().int().min(1).max(100).optional(),
  })
  .strict();
const pageQuery = z.object({ page: z.string().min(1).max(4000) }).strict();

/** The team's EHR link, or a clear refusal when the team is not in EHR mode. */
export async function ehrLinkOf(store: TeamStore, team: TeamKey): Promise<string> {
  const connection = await store.getConnection(team);
  if (connection.mode !== 'ehr') {
    throw new Problem(409, 'not_ehr_mode', 'This team is not connected to an EHR. A team owner can connect it in the settings.');
  }
  return connection.url;
}

// The next-page cursor wraps the EHR's own next link; the gateway checks it lies under the team's link.
const encodeCursor = (url: string) => Buffer.from(url, 'utf8').toString('base64url');
const decodeCursor = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8');

/** Patient search and read against the team's EHR; every answer is audited with the patients in it. */
export function patientRoutes(ep: Endpoints, { store, ehr }: ApiDeps): void {
  const patients = '/teams/:teamId/patients';

  ep.get(patients, { audit: 'PatientSearch', access: 'member', limit: 'search' }, async (req, res) => {
    const url = await ehrLinkOf(store, teamKey(req));
    const { tenantId } = caller();
    let result;
    if ('page' in req.query) {
      const { page } = pageQuery.parse(req.query);
      result = await ehr.searchPatients(url, tenantId, {}, decodeCursor(page));
    } else {
      const query = searchQuery.parse(req.query);
      if (Object.keys(query).every((k) => k === 'count')) {
        throw badRequest('search_criteria_required', 'Give at least one of name, family, given, identifier, birthdate, gender or id.');
      }
      result = await ehr.searchPatients(url, tenantId, query);
    }
    recordRead(store.audit, 'PatientSearch', { patientIds: result.patients.map((p) => p.id) });
    res.json(result.next ? { patients: result.patients, next: encodeCursor(result.next) } : { patients: result.patients });
  });

  ep.get(`${patients}/:patientId`, { audit: 'PatientView', access: 'member' }, async (req, res) => {
    const id = fhirId.parse(req.params.patientId);
    const url = await ehrLinkOf(store, teamKey(req));
    const patient = await ehr.readPatient(url, caller().tenantId, id);
    if (!patient) throw notFound('patient_not_found', 'The EHR has no patient with this id.');
    recordRead(store.audit, 'PatientView', { patientIds: [id] });
    res.json(patient);
  });

  ep.get(`${patients}/:patientId/details`, { audit: 'PatientView', access: 'member' }, async (req, res) => {
    const id = fhirId.parse(req.params.patientId);
    const team = teamKey(req);
    const url = await ehrLinkOf(store, team);
    const [details, notes] = await Promise.all([ehr.readPatientDetails(url, caller().tenantId, id), store.listNotes(team, id)]);
    if (!details) throw notFound('patient_not_found', 'The EHR has no patient with this id.');
    recordRead(store.audit, 'PatientView', { patientIds: [id] });
    res.json({ ...details, notes });
  });
}
