import { Router, type Request } from 'express';
import { z } from 'zod';
import { teamKey } from '../auth/middleware.js';
import type { EhrGateway } from '../fhir/types.js';
import { Problem, badRequest } from '../http/problem.js';
import { caller } from '../http/request-context.js';
import { fieldColumn, listColumns, type ListColumn } from '../lists/columns.js';
import { cellText, columnHeadings } from '../lists/cell-text.js';
import { buildListView, sendListView } from '../lists/list-view.js';
import { toCsv } from '../http/csv.js';
import type { TeamStore } from '../lists/store.js';
import { listOf, noList } from './list-lookup.js';
import { listPatientRoutes } from './list-patient-routes.js';
import { listName, uuid } from './validation.js';

const createBody = z.object({ name: listName }).strict();
const columnsList = z
  .array(
    z.string().refine((c): c is ListColumn => (listColumns as readonly string[]).includes(c) || fieldColumn.test(c), {
      message: `must be one of ${listColumns.join(', ')}, or field:<id> for a Manual-mode field`,
    }),
  )
  .min(1, 'must keep at least one column')
  .refine((cols) => new Set(cols).size === cols.length, 'must not repeat a column');
const patchBody = z
  .object({ name: listName.optional(), columns: columnsList.optional(), version: z.number().int().min(1).optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.columns !== undefined, 'give a name or columns to change');
const defaultBody = z.object({ listId: uuid }).strict();

/** `If-Match: "3"` (or `version` in the body) names the version the caller read. */
function expectedVersion(req: Request, bodyVersion?: number): number | undefined {
  const header = req.get('if-match');
  if (!header) return bodyVersion;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!match) throw badRequest('validation_failed', 'If-Match must be a list version such as "3".');
  return Number(match[1]);
}

/** A team's patient lists. */
export function listRoutes(store: TeamStore, ehr: EhrGateway): Router {
  const router = Router({ mergeParams: true });

  router.get('/', async (req, res) => {
    const team = teamKey(req);
    const [lists, defaultId] = await Promise.all([store.listLists(team), store.defaultListId(team, caller().userId)]);
    res.json(lists.map((l) => ({ ...l, isDefault: l.id === defaultId })));
  });

  router.post('/', async (req, res) => {
    const { name } = createBody.parse(req.body);
    const created = await store.createList(teamKey(req), name, caller().userId);
    res.locals.createdListId = created.id;
    res.status(201).json({ ...created, isDefault: false });
  });

  router.get('/:listId', async (req, res) => {
    await sendListView(res, store, ehr, teamKey(req), await listOf(store, req));
  });

  router.get('/:listId/export.csv', async (req, res) => {
    const view = await buildListView(store, ehr, teamKey(req), await listOf(store, req));
    if (view.ehrError) throw new Problem(502, view.ehrError.code, view.ehrError.message);
    const fields = (await store.getSchema(teamKey(req)))?.fields ?? [];
    const heading = (c: ListColumn) =>
      c.startsWith('field:') ? (fields.find((f) => `field:${f.id}` === c)?.label ?? c.slice(6)) : columnHeadings[c as keyof typeof columnHeadings];
    const csv = toCsv(view.columns.map(heading), view.rows.map((row) => view.columns.map((c) => cellText(c, row))));
    const filename = `${view.name.replace(/[^\p{L}\p{N} _-]+/gu, '').trim() || 'list'}.csv`;
    res.type('text/csv; charset=utf-8').attachment(filename).send(csv);
  });

  router.patch('/:listId', async (req, res) => {
    const body = patchBody.parse(req.body);
    const list = await listOf(store, req);
    const result = await store.updateList(teamKey(req), list.id, { name: body.name, columns: body.columns }, expectedVersion(req, body.version));
    if (!result.ok && result.reason === 'conflict') {
      throw new Problem(412, 'version_conflict', 'Someone else changed this list in the meantime. Reload it and try again.');
    }
    if (!result.ok) throw noList();
    await sendListView(res, store, ehr, teamKey(req), result.value);
  });

  router.delete('/:listId', async (req, res) => {
    const list = await listOf(store, req);
    if (!(await store.deleteList(teamKey(req), list.id))) throw noList();
    res.status(204).end();
  });

  router.use('/:listId/patients', listPatientRoutes(store, ehr));
  return router;
}

/** PUT /api/teams/{teamId}/me/default-list: the list the tab opens on for this user. */
export function defaultListRoutes(store: TeamStore): Router {
  const router = Router({ mergeParams: true });
  router.put('/default-list', async (req, res) => {
    const { listId } = defaultBody.parse(req.body);
    if (!(await store.setDefaultList(teamKey(req), caller().userId, listId))) throw noList();
    res.json({ listId });
  });
  return router;
}
