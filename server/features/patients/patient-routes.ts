import { fhirId } from '../../../contract/ids.js';
import { teamKey } from '../../identity/middleware.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';
import * as patients from './patient-service.js';
import { parsePatientSearch } from './search-query.js';

/** Patient search and read against the team's EHR. */
export function patientRoutes(ep: Endpoints, deps: ApiDeps): void {
  const path = '/teams/:teamId/patients';

  ep.get(path, { audit: 'PatientSearch', access: 'member', limit: 'search' }, async (req, res) => {
    // Checked before anything goes to the EHR.
    const asked = parsePatientSearch(req.query);
    res.json(await patients.searchPatients(deps, teamKey(req), asked));
  });

  ep.get(`${path}/:patientId`, { audit: 'PatientView', access: 'member' }, async (req, res) => {
    res.json(await patients.readPatient(deps, teamKey(req), fhirId.parse(req.params.patientId)));
  });

  ep.get(`${path}/:patientId/details`, { audit: 'PatientView', access: 'member' }, async (req, res) => {
    res.json(await patients.readPatientDetails(deps, teamKey(req), fhirId.parse(req.params.patientId)));
  });
}
