import { Router } from 'express';
import { z } from 'zod';
import { teamKey } from '../auth/middleware.js';
import type { EhrGateway, PatientSummary } from '../fhir/types.js';
import { toProblem } from '../http/error-handler.js';
import { logger } from '../http/logger.js';
import { Problem, notFound } from '../http/problem.js';
import { caller } from '../http/request-context.js';
import type { StoredList, TeamKey, TeamStore } from '../lists/store.js';
import { ehrLinkOf } from './patient-routes.js';
import { fhirId, listName, uuid } from './validation.js';

const createBody = z.object({ name: listName }).strict();
const addBody = z.object({ patientIds: z.array(fhirId).min(1, 'must name at least one patient').max(500) }).strict();

export interface ListRow {
  patientId: string;
  displayName: string | null;
  mrn: string | null;
  birthDate: string | null;
  gender: string | null;
  /** False when the EHR could not give this patient (gone, or the EHR failed). */
  available: boolean;
}

const noList = () => notFound('list_not_found', 'There is no such list in this team.');

/** A team's patient lists. Rows carry live EHR data, read in batches; the store keeps only ids. */
export function listRoutes(store: TeamStore, ehr: EhrGateway): Router {
  const router = Router({ mergeParams: true });

  async function listView(team: TeamKey, list: StoredList) {
    const connection = await store.getConnection(team);
    let found = new Map<string, PatientSummary>();
    let ehrError: { code: string; message: string } | undefined;
    if (connection.mode === 'ehr' && list.patientIds.length) {
      try {
        const patients = await ehr.readPatients(connection.url, team.tenantId, list.patientIds);
        found = new Map(patients.map((p) => [p.id, p]));
      } catch (err) {
        const problem = toProblem(err);
        logger.warn({ code: problem.code }, 'list rows could not be read from the EHR');
        ehrError = { code: problem.code, message: problem.message };
      }
    }
    const rows: ListRow[] = list.patientIds.map((patientId) => {
      const p = found.get(patientId);
      return p
        ? { patientId, displayName: p.displayName, mrn: p.mrn, birthDate: p.birthDate, gender: p.gender, available: true }
        : { patientId, displayName: null, mrn: null, birthDate: null, gender: null, available: false };
    });
    return { id: list.id, name: list.name, rows, ...(ehrError ? { ehrError } : {}) };
  }

  router.get('/', async (req, res) => {
    res.json(await store.listLists(teamKey(req)));
  });

  router.post('/', async (req, res) => {
    const { name } = createBody.parse(req.body);
    const created = await store.createList(teamKey(req), name, caller().userId);
    res.locals.createdListId = created.id;
    res.status(201).json(created);
  });

  router.get('/:listId', async (req, res) => {
    const team = teamKey(req);
    const list = uuid.safeParse(req.params.listId).success ? await store.getList(team, req.params.listId) : null;
    if (!list) throw noList();
    res.json(await listView(team, list));
  });

  router.post('/:listId/patients', async (req, res) => {
    const team = teamKey(req);
    const { patientIds } = addBody.parse(req.body);
    const list = uuid.safeParse(req.params.listId).success ? await store.getList(team, req.params.listId) : null;
    if (!list) throw noList();
    // Only patients the team's EHR knows may go on a list.
    const url = await ehrLinkOf(store, team);
    const unique = [...new Set(patientIds)].filter((id) => !list.patientIds.includes(id));
    const known = new Set((await ehr.readPatients(url, team.tenantId, unique)).map((p) => p.id));
    const unknown = unique.filter((id) => !known.has(id));
    if (unknown.length) {
      throw new Problem(404, 'patient_not_found', `The EHR has no patient with id ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}.`);
    }
    const updated = await store.addPatients(team, list.id, unique, caller().userId);
    if (!updated) throw noList();
    res.json(await listView(team, updated));
  });

  router.delete('/:listId/patients/:patientId', async (req, res) => {
    const team = teamKey(req);
    if (!uuid.safeParse(req.params.listId).success) throw noList();
    const patientId = fhirId.parse(req.params.patientId);
    const removed = await store.removePatient(team, req.params.listId, patientId);
    if (removed === null) throw noList();
    if (!removed) throw notFound('patient_not_on_list', 'This patient is not on the list.');
    res.status(204).end();
  });

  return router;
}
