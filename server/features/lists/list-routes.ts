import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AuditOperation } from '../../../contract/audit.js';
import { allOf, onCommit, recordRead } from '../shared/audit-trail.js';
import { teamKey } from '../../identity/middleware.js';
import { toCsv } from '../../platform/csv.js';
import { Problem, problem } from '../../platform/problem.js';
import { caller } from '../../platform/request-context.js';
import { cellText, columnHeadings } from './cell-text.js';
import type { ListColumn } from '../../../contract/columns.js';
import { checkColumns } from './columns.js';
import { buildListView, sendListView } from './list-view.js';
import type { StoredList, TeamKey } from '../../storage/ports.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';
import { listOf, noList } from './list-lookup.js';
import { listName, uuid } from '../shared/validation.js';

const createBody = z.object({ name: listName }).strict();
const patchBody = z
  .object({ name: listName.optional(), columns: z.array(z.string().max(200)).max(200).optional(), version: z.number().int().min(1).optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.columns !== undefined, 'give a name or columns to change');
const defaultBody = z.object({ listId: uuid }).strict();

/** `If-Match: "3"` (or `version` in the body) names the version the caller read. */
function expectedVersion(req: Request, bodyVersion?: number): number | undefined {
  const header = req.get('if-match');
  if (!header) return bodyVersion;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!match) throw problem('validation_failed', 'If-Match must be a list version such as "3".');
  return Number(match[1]);
}

/** What a PATCH of a list does, by the fields it sends: a rename, new columns, or both. */
function patchOperations(req: Request): AuditOperation[] {
  const body = (req.body ?? {}) as { name?: unknown; columns?: unknown };
  const ops: AuditOperation[] = [];
  if (body.name !== undefined) ops.push('PatientListRename');
  if (body.columns !== undefined) ops.push('PatientListEditColumns');
  return ops.length ? ops : ['PatientListRename'];
}

/** A list view goes out only after its read is recorded, naming every patient on it. */
export async function sendAuditedListView(res: Response, { store, ehr }: ApiDeps, team: TeamKey, list: StoredList): Promise<void> {
  recordRead(store.audit, 'PatientListView', { listId: list.id, patientIds: list.patientIds });
  await sendListView(res, store, ehr, team, list);
}

/** A team's patient lists. */
export function listRoutes(ep: Endpoints, deps: ApiDeps): void {
  const { store, ehr } = deps;
  const lists = '/teams/:teamId/lists';
  const list = `${lists}/:listId`;

  ep.get(lists, { audit: null, access: 'member' }, async (req, res) => {
    const team = teamKey(req);
    const [found, defaultId] = await Promise.all([store.listLists(team), store.defaultListId(team, caller().userId)]);
    res.json(found.map((l) => ({ ...l, isDefault: l.id === defaultId })));
  });

  ep.post(lists, { audit: 'PatientListCreate', access: 'member' }, async (req, res) => {
    const { name } = createBody.parse(req.body);
    const created = await store.createList(
      teamKey(req),
      name,
      caller().userId,
      onCommit('PatientListCreate', (c) => ({ listId: c.id, status: 201 })),
    );
    res.status(201).json({ ...created, isDefault: false });
  });

  ep.get(list, { audit: 'PatientListView', access: 'member' }, async (req, res) => {
    await sendAuditedListView(res, deps, teamKey(req), await listOf(store, req));
  });

  ep.get(`${list}/export.csv`, { audit: 'ExportInitiation', access: 'member' }, async (req, res) => {
    const team = teamKey(req);
    const stored = await listOf(store, req);
    const view = await buildListView(store, ehr, team, stored);
    if (view.ehrError) throw new Problem(view.ehrError.code, view.ehrError.message);
    const fields = (await store.getSchema(team))?.fields ?? [];
    const heading = (c: ListColumn) =>
      c.startsWith('field:') ? (fields.find((f) => `field:${f.id}` === c)?.label ?? c.slice(6)) : columnHeadings[c as keyof typeof columnHeadings];
    const csv = toCsv(
      view.columns.map(heading),
      view.rows.map((row) => view.columns.map((c) => cellText(c, row))),
    );
    const filename = `${view.name.replace(/[^\p{L}\p{N} _-]+/gu, '').trim() || 'list'}.csv`;
    recordRead(store.audit, 'ExportInitiation', { listId: stored.id, patientIds: stored.patientIds });
    res.type('text/csv; charset=utf-8').attachment(filename).send(csv);
  });

  ep.patch(list, { audit: patchOperations, access: 'member' }, async (req, res) => {
    const body = patchBody.parse(req.body);
    const team = teamKey(req);
    const stored = await listOf(store, req);
    // Columns must fit the team's mode and Manual-mode schema: an unknown one would break every member's tab.
    let columns: ListColumn[] | undefined;
    if (body.columns) {
      const [connection, schema] = await Promise.all([store.getConnection(team), store.getSchema(team)]);
      columns = checkColumns(body.columns, connection.mode, schema?.fields ?? []);
    }
    const audit = allOf(...patchOperations(req).map((op) => onCommit<StoredList>(op)));
    const result = await store.updateList(team, stored.id, { name: body.name, columns }, expectedVersion(req, body.version), audit);
    if (!result.ok && result.reason === 'conflict') {
      throw new Problem('version_conflict', 'Someone else changed this list in the meantime. Reload it and try again.');
    }
    if (!result.ok) throw noList();
    await sendAuditedListView(res, deps, team, result.value);
  });

  ep.delete(list, { audit: 'PatientListDelete', access: 'member' }, async (req, res) => {
    const stored = await listOf(store, req);
    const deleted = await store.deleteList(
      teamKey(req),
      stored.id,
      onCommit('PatientListDelete', () => ({ patientIds: stored.patientIds, status: 204 })),
    );
    if (!deleted) throw noList();
    res.status(204).end();
  });

  ep.put('/teams/:teamId/me/default-list', { audit: 'PatientListSetDefault', access: 'member' }, async (req, res) => {
    const { listId } = defaultBody.parse(req.body);
    if (
      !(await store.setDefaultList(
        teamKey(req),
        caller().userId,
        listId,
        onCommit('PatientListSetDefault', () => ({ listId })),
      ))
    )
      throw noList();
    res.json({ listId });
  });
}
