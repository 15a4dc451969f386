import type { Request } from 'express';
import { teamKey } from '../auth/middleware.js';
import { notFound } from '../http/problem.js';
import type { StoredList, TeamStore } from '../lists/store.js';
import { uuid } from './validation.js';

export const noList = () => notFound('list_not_found', 'There is no such list in this team.');

/** The list named in the path, or a 404; malformed ids are simply unknown lists. */
export async function listOf(store: TeamStore, req: Request): Promise<StoredList> {
  const id = String(req.params.listId);
  const list = uuid.safeParse(id).success ? await store.getList(teamKey(req), id) : null;
  if (!list) throw noList();
  return list;
}
