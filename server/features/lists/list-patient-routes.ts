import type { Request } from 'express';
import { MAX_PATIENTS_PER_ADDITION, addPatientsBody, movePatientBody } from '../../../contract/lists.js';
import { teamKey } from '../../identity/middleware.js';
import { caller } from '../../platform/request-context.js';
import { fhirIdPattern } from '../../../contract/id-syntax.js';
import { refusalAlso, refusalNames } from '../shared/audit-trail.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';
import * as lists from './list-service.js';
import { sendListView } from './list-view.js';

/** Patients on one list: add (checked against the EHR), remove, move to another list. */
export function listPatientRoutes(ep: Endpoints, deps: ApiDeps): void {
  const { store, ehr } = deps;
  const patients = '/teams/:teamId/lists/:listId/patients';
  const listId = (req: Request) => String(req.params.listId);
  const patientId = (req: Request) => String(req.params.patientId);

  ep.post(patients, { audit: 'PatientListAddPatient', access: 'member' }, async (req, res) => {
    const team = teamKey(req);
    // A body refused as a whole (one malformed id among them) still names the patients it tried to add.
    refusalNames(wellFormedIds(req.body));
    const { patientIds } = addPatientsBody.parse(req.body);
    const updated = await lists.addPatients(deps, team, listId(req), patientIds, caller().userId);
    await sendListView(res, store, ehr, team, updated);
  });

  ep.delete(`${patients}/:patientId`, { audit: 'PatientListRemovePatient', access: 'member' }, async (req, res) => {
    await lists.removePatient(deps, teamKey(req), listId(req), patientId(req));
    res.status(204).end();
  });

  ep.post(`${patients}/:patientId/move`, { audit: 'PatientListMovePatient', access: 'member' }, async (req, res) => {
    const { toListId } = movePatientBody.parse(req.body);
    // Refused (the list it joins is full, the patient is not on this one…), the addition there is refused too: that list's trail says so.
    refusalAlso('PatientListAddPatient', toListId);
    res.json(await lists.movePatient(deps, teamKey(req), listId(req), patientId(req), toListId, caller().userId));
  });
}

/** The ids a body names that are patient ids in form (at most as many as an addition may name). */
function wellFormedIds(body: unknown): string[] {
  const ids = typeof body === 'object' && body !== null ? (body as { patientIds?: unknown }).patientIds : undefined;
  return Array.isArray(ids)
    ? ids.slice(0, MAX_PATIENTS_PER_ADDITION).filter((id): id is string => typeof id === 'string' && fhirIdPattern.test(id))
    : [];
}
