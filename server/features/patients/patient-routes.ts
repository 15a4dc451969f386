import { recordRead } from '../shared/audit-trail.js';
import { teamKey } from '../../identity/middleware.js';
import { problem } from '../../platform/problem.js';
import { encodePageCursor, parsePatientSearch } from './search-query.js';
import { caller } from '../../platform/request-context.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';
import { ehrLinkOf } from '../shared/team-connection.js';
import { fhirId } from '../shared/validation.js';

/** Patient search and read against the team's EHR; every answer is audited with the patients in it. */
export function patientRoutes(ep: Endpoints, { store, ehr }: ApiDeps): void {
  const patients = '/teams/:teamId/patients';

  ep.get(patients, { audit: 'PatientSearch', access: 'member', limit: 'search' }, async (req, res) => {
    // Checked before anything goes to the EHR; the next-page cursor wraps the EHR's own next
    // link, and the gateway checks that it lies under the team's link.
    const asked = parsePatientSearch(req.query);
    const url = await ehrLinkOf(store, teamKey(req));
    const { tenantId } = caller();
    const result =
      asked.kind === 'page' ? await ehr.searchPatients(url, tenantId, {}, asked.pageUrl) : await ehr.searchPatients(url, tenantId, asked.criteria);
    recordRead(store.audit, 'PatientSearch', { patientIds: result.patients.map((p) => p.id) });
    res.json(result.next ? { patients: result.patients, next: encodePageCursor(result.next) } : { patients: result.patients });
  });

  ep.get(`${patients}/:patientId`, { audit: 'PatientView', access: 'member' }, async (req, res) => {
    const id = fhirId.parse(req.params.patientId);
    const url = await ehrLinkOf(store, teamKey(req));
    const patient = await ehr.readPatient(url, caller().tenantId, id);
    if (!patient) throw problem('patient_not_found', 'The EHR has no patient with this id.');
    recordRead(store.audit, 'PatientView', { patientIds: [id] });
    res.json(patient);
  });

  ep.get(`${patients}/:patientId/details`, { audit: 'PatientView', access: 'member' }, async (req, res) => {
    const id = fhirId.parse(req.params.patientId);
    const team = teamKey(req);
    const url = await ehrLinkOf(store, team);
    const [details, notes] = await Promise.all([ehr.readPatientDetails(url, caller().tenantId, id), store.listNotes(team, id)]);
    if (!details) throw problem('patient_not_found', 'The EHR has no patient with this id.');
    recordRead(store.audit, 'PatientView', { patientIds: [id] });
    res.json({ ...details, notes });
  });
}
