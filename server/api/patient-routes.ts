import { recordRead } from '../audit/trail.js';
import { teamKey } from '../auth/middleware.js';
import { Problem, notFound } from '../http/problem.js';
import { encodePageCursor, parsePatientSearch } from '../http/query-validation.js';
import { caller } from '../http/request-context.js';
import type { TeamKey, TeamStore } from '../lists/store.js';
import type { ApiDeps, Endpoints } from './deps.js';
import { fhirId } from './validation.js';

/** The team's EHR link, or a clear refusal when the team is not in EHR mode. */
export async function ehrLinkOf(store: TeamStore, team: TeamKey): Promise<string> {
  const connection = await store.getConnection(team);
  if (connection.mode !== 'ehr') {
    throw new Problem(409, 'not_ehr_mode', 'This team is not connected to an EHR. A team owner can connect it in the settings.');
  }
  return connection.url;
}

/** Patient search and read against the team's EHR; every answer is audited with the patients in it. */
export function patientRoutes(ep: Endpoints, { store, ehr }: ApiDeps): void {
  const patients = '/teams/:teamId/patients';

  ep.get(patients, { audit: 'PatientSearch', access: 'member', limit: 'search' }, async (req, res) => {
    // Checked before anything goes to the EHR; the next-page cursor wraps the EHR's own next
    // link, and the gateway checks that it lies under the team's link.
    const asked = parsePatientSearch(req.query);
    const url = await ehrLinkOf(store, teamKey(req));
    const { tenantId } = caller();
    const result = asked.kind === 'page' ? await ehr.searchPatients(url, tenantId, {}, asked.pageUrl) : await ehr.searchPatients(url, tenantId, asked.criteria);
    recordRead(store.audit, 'PatientSearch', { patientIds: result.patients.map((p) => p.id) });
    res.json(result.next ? { patients: result.patients, next: encodePageCursor(result.next) } : { patients: result.patients });
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
