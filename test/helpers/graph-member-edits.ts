import type { GraphEmulator } from './graph-emulator';

/** A row's fields as they can be written back: without the ones SharePoint keeps itself. */
export function writable(fields: Record<string, unknown>): Record<string, unknown> {
  const { '@odata.etag': _etag, id: _id, Created: _created, Modified: _modified, ...rest } = fields;
  return rest;
}

interface Item {
  id: string;
  fields: Record<string, unknown>;
}

/**
 * A member of a team editing its SharePoint lists directly, with their own Graph token, past the
 * app: what anyone in the team's Microsoft 365 group may do in SharePoint or through Graph.
 */
export function memberEdits(graph: GraphEmulator, tenantId: string, teamId: string, userId = 'member-with-sharepoint') {
  const token = graph.tokenFor(tenantId, userId);
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${graph.url}/v1.0${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  };
  const itemsOf = async (listName: string) => {
    const site = (await call<{ id: string }>('GET', `/groups/${teamId}/sites/root`)).id;
    const lists = (await call<{ value: { id: string; displayName: string }[] }>('GET', `/sites/${site}/lists`)).value;
    const list = lists.find((l) => l.displayName === listName);
    if (!list) throw new Error(`no list ${listName}`);
    return `/sites/${site}/lists/${list.id}/items`;
  };
  return {
    /** Every row of an app list ("Patients app – notes"), with its fields; paging is left out (tests keep lists short). */
    async rows(listName: string): Promise<Item[]> {
      return (await call<{ value: Item[] }>('GET', `${await itemsOf(listName)}?expand=fields`)).value;
    },
    /** Rewrites fields of a row (listitem-update, `PATCH …/items/{id}/fields`). */
    async update(listName: string, itemId: string, fields: Record<string, unknown>): Promise<void> {
      await call('PATCH', `${await itemsOf(listName)}/${itemId}/fields`, fields);
    },
    /** Adds a row (listitem-create). */
    async add(listName: string, fields: Record<string, unknown>): Promise<string> {
      return (await call<{ id: string }>('POST', await itemsOf(listName), { fields })).id;
    },
  };
}
