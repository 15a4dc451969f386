import { z } from 'zod';
import { onCommit } from '../shared/audit-trail.js';
import { teamKey } from '../../identity/middleware.js';
import { Problem, problem } from '../../platform/problem.js';
import { caller } from '../../platform/request-context.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';
import { listOf, noList } from './list-lookup.js';
import { sendAuditedListView } from './list-routes.js';
import { ehrLinkOf } from '../shared/team-connection.js';
import { fhirId, uuid } from '../shared/validation.js';

const addBody = z.object({ patientIds: z.array(fhirId).min(1, 'must name at least one patient').max(500) }).strict();
const moveBody = z.object({ toListId: uuid }).strict();

/** Patients on one list: add (checked against the EHR), remove, move to another list. */
export function listPatientRoutes(ep: Endpoints, deps: ApiDeps): void {
  const { store, ehr } = deps;
  const patients = '/teams/:teamId/lists/:listId/patients';

  ep.post(patients, { audit: 'PatientListAddPatient', access: 'member' }, async (req, res) => {
    const team = teamKey(req);
    const { patientIds } = addBody.parse(req.body);
    const list = await listOf(store, req);
    // Only patients the team's EHR (or, in Manual mode, the team itself) knows may go on a list.
    const fresh = [...new Set(patientIds)].filter((id) => !list.patientIds.includes(id));
    const manual = (await store.getConnection(team)).mode === 'manual';
    const found = manual ? await store.getManualPatients(team, fresh) : await ehr.readPatients(await ehrLinkOf(store, team), team.tenantId, fresh);
    const known = new Set(found.map((p) => p.id));
    const unknown = fresh.filter((id) => !known.has(id));
    if (unknown.length) {
      const shown = unknown.slice(0, 5).join(', ') + (unknown.length > 5 ? ', …' : '');
      throw new Problem('patient_not_found', `The EHR has no patient with id ${shown}.`);
    }
    const updated = await store.addPatients(
      team,
      list.id,
      fresh,
      caller().userId,
      onCommit('PatientListAddPatient', () => ({ patientIds: fresh })),
    );
    if (!updated) throw noList();
    await sendAuditedListView(res, deps, team, updated);
  });

  ep.delete(`${patients}/:patientId`, { audit: 'PatientListRemovePatient', access: 'member' }, async (req, res) => {
    const list = await listOf(store, req);
    const patientId = fhirId.parse(req.params.patientId);
    const removed = await store.removePatient(
      teamKey(req),
      list.id,
      patientId,
      onCommit('PatientListRemovePatient', () => ({ patientIds: [patientId], status: 204 })),
    );
    if (removed === null) throw noList();
    if (!removed) throw problem('patient_not_on_list', 'This patient is not on the list.');
    res.status(204).end();
  });

  ep.post(`${patients}/:patientId/move`, { audit: 'PatientListMovePatient', access: 'member' }, async (req, res) => {
    const { toListId } = moveBody.parse(req.body);
    const list = await listOf(store, req);
    const patientId = fhirId.parse(req.params.patientId);
    if (toListId === list.id) throw new Problem('validation_failed', 'toListId: must be another list');
    const outcome = await store.movePatient(
      teamKey(req),
      list.id,
      toListId,
      patientId,
      caller().userId,
      onCommit('PatientListMovePatient', () => ({ patientIds: [patientId] })),
    );
    if (outcome === 'no_list') throw noList();
    if (outcome === 'not_on_list') throw problem('patient_not_on_list', 'This patient is not on the list.');
    res.json({ fromListId: list.id, toListId, patientId });
  });
}
