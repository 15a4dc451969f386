import { guidPattern } from '../../../contract/id-syntax.js';
import { filterParam, odataString, type GraphApi } from '../../platform/graph/graph-api.js';
import { GraphAccessError, isStatus } from '../../platform/graph/graph-errors.js';
import { appLists, type AppListKind, type ColumnDefinition, type ListSchema } from './app-lists.js';

/** A team's SharePoint site and the ids of the app's lists in it. */
export interface TeamSite {
  siteId: string;
  /** The app list's id; created (with its columns) when `create`, else null while absent. */
  appList(kind: AppListKind, create: boolean): Promise<string | null>;
}

/**
 * Finds a team's site (`GET /groups/{team id}/sites/root`: the Teams team id is the group id)
 * and the app's lists in it by display name, creating them on first write. Answers are kept
 * for `ttlMs` per tenant and team, so that a list deleted in SharePoint is found missing again.
 */
export function teamSites(ttlMs = 10 * 60_000) {
  const cache = new Map<string, { expiresAt: number; site: Promise<string>; lists: Map<AppListKind, Promise<string>> }>();

  return {
    async open(api: GraphApi, tenantId: string, teamId: string): Promise<TeamSite> {
      if (!guidPattern.test(teamId)) throw new GraphAccessError('team_site_not_found', 'The team has no SharePoint site.');
      const key = `${tenantId}/${teamId.toLowerCase()}`;
      let entry = cache.get(key);
      if (!entry || entry.expiresAt < Date.now()) {
        entry = { expiresAt: Date.now() + ttlMs, site: rootSiteId(api, teamId), lists: new Map() };
        cache.set(key, entry);
      }
      const current = entry;
      const siteId = await current.site.catch((err) => {
        if (cache.get(key) === current) cache.delete(key);
        throw err;
      });
      return {
        siteId,
        async appList(kind, create) {
          const known = current.lists.get(kind);
          if (known) return known;
          const schema = appLists[kind];
          let pending: Promise<string>;
          if (create) {
            pending = ensureList(api, siteId, schema);
          } else {
            const found = await findList(api, siteId, schema.displayName);
            if (!found) return null;
            pending = ensureColumns(api, siteId, found, schema.columns).then(() => found);
          }
          current.lists.set(kind, pending);
          pending.catch(() => current.lists.get(kind) === pending && current.lists.delete(kind));
          return pending;
        },
      };
    },
  };
}

async function rootSiteId(api: GraphApi, teamId: string): Promise<string> {
  try {
    return (await api.get<{ id: string }>(`/groups/${teamId}/sites/root`)).id;
  } catch (err) {
    if (isStatus(err, 404)) throw new GraphAccessError('team_site_not_found', 'The team has no SharePoint site.', 404);
    throw err;
  }
}

async function findList(api: GraphApi, siteId: string, displayName: string): Promise<string | null> {
  const lists = await api.getAll<{ id: string; displayName: string }>(
    `/sites/${siteId}/lists?${filterParam(`displayName eq ${odataString(displayName)}`)}`,
  );
  return lists.find((l) => l.displayName === displayName)?.id ?? null;
}

/** Finds the list by display name or creates it; a concurrent creator's 409 means it is there now. */
async function ensureList(api: GraphApi, siteId: string, schema: ListSchema): Promise<string> {
  const found = await findList(api, siteId, schema.displayName);
  if (found) {
    await ensureColumns(api, siteId, found, schema.columns);
    return found;
  }
  try {
    return (await createList(api, siteId, schema.displayName, schema.description, schema.columns)).id;
  } catch (err) {
    if (!isStatus(err, 409)) throw err;
    const created = await findList(api, siteId, schema.displayName);
    if (!created) throw err;
    return created;
  }
}

export function createList(api: GraphApi, siteId: string, displayName: string, description: string, columns: ColumnDefinition[]) {
  return api.post<{ id: string; displayName: string }>(`/sites/${siteId}/lists`, {
    displayName,
    description,
    columns,
    list: { template: 'genericList' },
  });
}

/** Adds columns the list lacks (someone deleted one, or a newer app version added one). */
async function ensureColumns(api: GraphApi, siteId: string, listId: string, columns: ColumnDefinition[]): Promise<void> {
  const existing = new Set((await api.getAll<{ name: string }>(`/sites/${siteId}/lists/${listId}/columns`)).map((c) => c.name));
  for (const column of columns.filter((c) => !existing.has(c.name))) {
    try {
      await api.post(`/sites/${siteId}/lists/${listId}/columns`, column);
    } catch (err) {
      if (!isStatus(err, 409)) throw err;
    }
  }
}
