import type { Request } from 'express';
import { createListBody, defaultListBody, patchListBody } from '../../../contract/lists.js';
import { teamKey } from '../../identity/middleware.js';
import { caller } from '../../platform/request-context.js';
import { bodyNamesList } from '../shared/audit-trail.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';
import { versionRead } from '../shared/version-read.js';
import { exportRoutes } from './export-routes.js';
import * as lists from './list-service.js';
import { sendListView } from './list-view.js';

/** What a PATCH of a list does, by the fields it sends: declared before the body is read, and again once it is. */
const patchOperations = (req: Request) => lists.patchOperations((req.body ?? {}) as { name?: unknown; columns?: unknown });

/** A team's patient lists. */
export function listRoutes(ep: Endpoints, deps: ApiDeps): void {
  const { store, ehr } = deps;
  const path = '/teams/:teamId/lists';
  const list = `${path}/:listId`;
  const listId = (req: Request) => String(req.params.listId);

  ep.get(path, { audit: null, access: 'member' }, async (req, res) => {
    res.json(await lists.listLists(deps, teamKey(req), caller().userId));
  });

  ep.post(path, { audit: 'PatientListCreate', access: 'member' }, async (req, res) => {
    const { name } = createListBody.parse(req.body);
    res.status(201).json(await lists.createList(deps, teamKey(req), name, caller().userId));
  });

  ep.get(list, { audit: 'PatientListView', access: 'member' }, async (req, res) => {
    const team = teamKey(req);
    const shown = lists.viewList(deps, await lists.findList(deps, team, listId(req)));
    // The read's audit record commits while the EHR answers, before any row goes out.
    await sendListView(res, store, ehr, team, shown);
  });

  exportRoutes(ep, deps);

  ep.patch(list, { audit: patchOperations, access: 'member' }, async (req, res) => {
    const body = patchListBody.parse(req.body);
    const team = teamKey(req);
    const updated = await lists.updateList(deps, team, listId(req), body, versionRead(req, body.version, 'list'));
    await sendListView(res, store, ehr, team, updated);
  });

  ep.delete(list, { audit: 'PatientListDelete', access: 'member' }, async (req, res) => {
    await lists.deleteList(deps, teamKey(req), listId(req));
    res.status(204).end();
  });

  ep.put('/teams/:teamId/me/default-list', { audit: 'PatientListSetDefault', access: 'member' }, async (req, res) => {
    bodyNamesList((req.body as { listId?: unknown } | undefined)?.listId);
    const { listId: id } = defaultListBody.parse(req.body);
    res.json(await lists.setDefaultList(deps, teamKey(req), caller().userId, id));
  });
}
