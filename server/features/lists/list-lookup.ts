import type { Request } from 'express';
import { teamKey } from '../../identity/middleware.js';
import { problem } from '../../platform/problem.js';
import type { StoredList, TeamStore } from '../../storage/ports.js';
import { uuid } from '../shared/validation.js';

export const noList = () => problem('list_not_found', 'There is no such list in this team.');

/** The list named in the path, or a 404; malformed ids are simply unknown lists. */
export async function listOf(store: TeamStore, req: Request): Promise<StoredList> {
  const id = String(req.params.listId);
  const list = uuid.safeParse(id).success ? await store.getList(teamKey(req), id) : null;
  if (!list) throw noList();
  return list;
}
