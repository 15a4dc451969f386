import { guidPattern } from '../../../contract/id-syntax.js';
import { filterParam, odataString, type GraphApi } from '../../platform/graph/graph-api.js';
import { GraphAccessError, GraphRequestFailed, isStatus } from '../../platform/graph/graph-errors.js';
import { appLists, type AppListKind, type ColumnDefinition, type ListSchema } from './app-lists.js';
import { readBounds, tooManyRows } from './read-bounds.js';

/** A team's SharePoint site and the ids of the app's lists in it. */
export interface TeamSite {
  siteId: string;
  /** The app list's id; created (with its columns) when `create`, else null while absent. */
  appList(kind: AppListKind, create: boolean): Promise<string | null>;
  /** Checks once per cache period that a patient list's filtered columns are indexed, indexing them if not. */
  checkIndexes(listId: string, columns: ColumnDefinition[]): Promise<void>;
}

/**
 * Finds a team's site (`GET /groups/{team id}/sites/root`: the Teams team id is the group id)
 * and the app's lists in it by display name, creating them on first write. Answers are kept
 * for `ttlMs` per tenant and team, so that a list deleted in SharePoint is found missing again,
 * or at once once `forget` is told that one of them was not there (graph-store.ts).
 */
export function teamSites(ttlMs = 10 * 60_000) {
  const cache = new Map<
    string,
    { expiresAt: number; site: Promise<string>; lists: Map<AppListKind, Promise<string>>; indexed: Map<string, Promise<void>> }
  >();

  const keyOf = (tenantId: string, teamId: string) => `${tenantId}/${teamId.toLowerCase()}`;

  return {
    /** Drops what is kept of the team's site and app lists: the next use looks for them again. */
    forget(tenantId: string, teamId: string): void {
      cache.delete(keyOf(tenantId, teamId));
    },
    async open(api: GraphApi, tenantId: string, teamId: string): Promise<TeamSite> {
      if (!guidPattern.test(teamId)) throw new GraphAccessError('team_site_not_found', 'The team has no SharePoint site.');
      const key = keyOf(tenantId, teamId);
      let entry = cache.get(key);
      if (!entry || entry.expiresAt < Date.now()) {
        entry = { expiresAt: Date.now() + ttlMs, site: rootSiteId(api, teamId), lists: new Map(), indexed: new Map() };
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
        checkIndexes(listId, columns) {
          let pending = current.indexed.get(listId);
          if (!pending) {
            // A SharePoint list deleted behind the app's back is for the caller's read to find missing.
            pending = ensureColumns(api, siteId, listId, columns, false).catch((err: unknown) => {
              if (!isStatus(err, 404)) throw err;
            });
            current.indexed.set(listId, pending);
            const started = pending;
            // A list deleted meanwhile (404) or a failed check is looked at again next time.
            pending.catch(() => current.indexed.get(listId) === started && current.indexed.delete(listId));
          }
          return pending;
        },
      };
    },
  };
}

/**
 * The group's root site. A new team's site is provisioned in the background and can take
 * minutes or more to appear (learn.microsoft.com/graph/api/site-get: "the site might not be
 * available immediately after the group is created"); meanwhile Graph answers 404 as for no
 * group at all. When the group itself is there (group-get, allowed by GroupMember.Read.All), the
 * site is being set up: a problem the caller can wait out, unlike a team that does not exist.
 */
async function rootSiteId(api: GraphApi, teamId: string): Promise<string> {
  try {
    return (await api.get<{ id: string }>(`/groups/${teamId}/sites/root`)).id;
  } catch (err) {
    if (!isStatus(err, 404)) throw err;
  }
  const groupExists = await api.get(`/groups/${teamId}?$select=id`).then(
    () => true,
    () => false,
  );
  if (groupExists) throw new GraphAccessError('team_site_provisioning', "The team's SharePoint site is being set up; try again shortly.", 503);
  throw new GraphAccessError('team_site_not_found', 'The team has no SharePoint site.', 404);
}

async function findList(api: GraphApi, siteId: string, displayName: string): Promise<string | null> {
  const lists = await api.getAll<{ id: string; displayName: string }>(
    `/sites/${siteId}/lists?${filterParam(`displayName eq ${odataString(displayName)}`)}`,
    { maxItems: readBounds.listsNamed },
  );
  const found = lists.items.find((l) => l.displayName === displayName)?.id ?? null;
  // SharePoint titles are unique in a site: more than a read takes cannot be told apart.
  if (!found && lists.more) throw new GraphAccessError('graph_failed', "The team's SharePoint site has more lists of one name than the app reads.");
  return found;
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
    // The other creator indexes its columns too, unless it stopped half-way: checked here as well.
    await ensureColumns(api, siteId, created, schema.columns);
    return created;
  }
}

/**
 * Creates a list with its columns, then makes sure the columns the app filters on are indexed:
 * list-create does not document that it honours `indexed: true` in its columns. With
 * `deleteIfUnfinished` (a patient list, which no one else can know before its catalog row), a
 * list whose columns cannot be checked is deleted again (best effort) before the error goes back,
 * so that a creation that fails leaves no list behind. An app list is left: another call may have
 * found it by name meanwhile, and the next use checks its columns again (ensureList, appList).
 */
export async function createList(
  api: GraphApi,
  siteId: string,
  displayName: string,
  description: string,
  columns: ColumnDefinition[],
  deleteIfUnfinished = false,
) {
  const list = await api.post<{ id: string; displayName: string }>(`/sites/${siteId}/lists`, {
    displayName,
    description,
    columns,
    list: { template: 'genericList' },
  });
  try {
    await ensureColumns(api, siteId, list.id, columns, false);
  } catch (err) {
    if (deleteIfUnfinished) await api.delete(`/sites/${siteId}/lists/${list.id}`).catch(() => undefined);
    throw err;
  }
  return list;
}

interface ColumnState {
  id: string;
  name: string;
  indexed?: boolean;
}

/**
 * Adds columns the list lacks (someone deleted one, or a newer app version added one) and
 * indexes those the app filters on (`indexed` in the schema) that are not. SharePoint refuses a
 * `$filter` on a list-item field that is not indexed (400; the `Prefer:
 * HonorNonIndexedQueriesWarningMayFailRandomly` fallback fails on lists past the 5,000-item view
 * threshold), so a column that cannot be indexed stops here with a clear error rather than
 * failing every query later. Indexing is columndefinition-update (`PATCH …/columns/{id}`
 * `{ indexed: true }`, learn.microsoft.com/graph/api/columndefinition-update), which needs
 * Sites.Manage.All as list-create does. With `addMissing` false, only the indexes are checked.
 */
async function ensureColumns(api: GraphApi, siteId: string, listId: string, columns: ColumnDefinition[], addMissing = true): Promise<void> {
  const path = `/sites/${siteId}/lists/${listId}/columns`;
  const read = await api.getAll<ColumnState>(path, { maxItems: readBounds.columns });
  // A column the app needs may be among those unread: adding it again would fail, and its index go unchecked.
  if (read.more) throw tooManyRows('list', 'columns');
  const existing = new Map(read.items.map((c) => [c.name, c]));
  for (const column of columns) {
    let found = existing.get(column.name);
    if (!found && addMissing) {
      try {
        found = await api.post<ColumnState>(path, column);
      } catch (err) {
        if (!isStatus(err, 409)) throw err;
      }
    }
    if (!column.indexed || !found || found.indexed) continue;
    try {
      await api.patch(`${path}/${found.id}`, { indexed: true });
    } catch (err) {
      if (!(err instanceof GraphRequestFailed)) throw err;
      throw new GraphAccessError(
        'graph_failed',
        `The app filters the team's SharePoint list on the column "${column.displayName}", which is not indexed and could not be indexed (${err.status}). A site owner can index it in the list's settings (Indexed columns).`,
        err.status,
      );
    }
  }
}
