import { fhirId } from '../../../contract/ids.js';
import { teamKey } from '../../identity/middleware.js';
import { caller } from '../../platform/request-context.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';
import { createPageLinks } from './page-links.js';
import * as patients from './patient-service.js';
import { parsePatientSearch } from './search-query.js';

/**
 * Patient search and read against the team's EHR. Next-page links are held in `heldItems` when
 * given (shared by every instance), else in this process's memory.
 */
export function patientRoutes(ep: Endpoints, deps: ApiDeps, pageLinks = createPageLinks({ store: deps.heldItems })): void {
  const path = '/teams/:teamId/patients';

  ep.get(path, { audit: 'PatientSearch', access: 'member', limit: 'search' }, async (req, res) => {
    // Checked before anything goes to the EHR.
    const asked = parsePatientSearch(req.query);
    // The tenant (in the team key) and the user come from the verified token: a page link is theirs only.
    res.json(await patients.searchPatients(deps, teamKey(req), asked, { links: pageLinks, userId: caller().userId }));
  });

  ep.get(`${path}/:patientId`, { audit: 'PatientView', access: 'member' }, async (req, res) => {
    res.json(await patients.readPatient(deps, teamKey(req), fhirId.parse(req.params.patientId)));
  });

  ep.get(`${path}/:patientId/details`, { audit: 'PatientView', access: 'member' }, async (req, res) => {
    res.json(await patients.readPatientDetails(deps, teamKey(req), fhirId.parse(req.params.patientId)));
  });
}
