import { guidPattern } from '../../../contract/id-syntax.js';
import { MAX_LISTS_PER_TEAM, MAX_PATIENTS_PER_LIST } from '../../../contract/lists.js';
import { logger } from '../../platform/logger.js';
import { done, refused, type TeamKey, type TeamStore } from '../ports.js';
import { patientListColumns, patientListTitle } from './app-lists.js';
import type { GraphApi } from '../../platform/graph/graph-api.js';
import { isStatus } from '../../platform/graph/graph-errors.js';
import type { WriteQueue } from './etag-retry.js';
import { columnsText, listCatalog, type CatalogEntry, type ListCatalog } from './list-catalog.js';
import { firstRows, patientIdsOf, patientRows, type PatientRow } from './patient-rows.js';
import type { RowSealer } from './row-seal.js';
import { createList, type TeamSite } from './team-site.js';

export interface TeamGraph {
  api: GraphApi;
  site: TeamSite;
  /** This store's queue for writes of one item (see etag-retry.ts). */
  queue: WriteQueue;
  /** Seals what the app vouches for in a row, and checks it on read (row-seal.ts). */
  sealer: RowSealer;
}

export type OpenTeam = (team: TeamKey) => Promise<TeamGraph>;

type ListOps = Pick<
  TeamStore,
  'listLists' | 'createList' | 'getList' | 'addPatients' | 'removePatient' | 'updateList' | 'deleteList' | 'movePatient'
>;

/**
 * Patient lists in the team's site: a row in "Patients app – lists" (name, columns, version)
 * and a SharePoint list of its own with a row per patient. Graph has no transactions, so each
 * change is ordered to lose nothing if it stops half-way (a move adds before it removes), and
 * the version row is bumped with If-Match after the rows change (best effort: see bump).
 */
export function graphListOps(open: OpenTeam): ListOps & { resolve: typeof resolve } {
  async function resolve(team: TeamKey, listId: string) {
    if (!guidPattern.test(listId)) return null;
    const { api, site, queue } = await open(team);
    const catalogId = await site.appList('catalog', false);
    if (!catalogId) return null;
    const catalog = listCatalog(api, site.siteId, catalogId, queue);
    const entry = await catalog.find(listId);
    if (!entry) return null;
    await site.checkIndexes(listId, patientListColumns);
    return { api, site, catalog, entry, rows: patientRows(api, site.siteId, listId) };
  }

  /** When each pending clean-up was last tried here, so that a failing one is not tried on every read. */
  const cleanupTried = new Map<string, number>();

  /**
   * Finishes deletes whose SharePoint list could not be deleted at the time: deletes the list
   * (gone already counts) and then the catalog row that recorded it. Best effort, at most once
   * per CLEANUP_RETRY_MS per list in this instance; a failure leaves the record for later. A
   * list marked less than DELETE_GRACE_MS ago is left to the delete that marked it, which is
   * reading the rows it is about to delete, to name them.
   */
  async function cleanUp(api: GraphApi, siteId: string, catalog: ListCatalog, pending: CatalogEntry[]): Promise<void> {
    const now = Date.now();
    for (const entry of pending) {
      const key = `${siteId}/${entry.listId}`;
      if (Date.parse(entry.deletePendingAt ?? '') > now - DELETE_GRACE_MS) continue;
      if ((cleanupTried.get(key) ?? 0) > now - CLEANUP_RETRY_MS) continue;
      cleanupTried.set(key, now);
      try {
        await deleteSharePointList(api, siteId, entry.listId);
        await catalog.remove(entry.itemId);
        cleanupTried.delete(key);
      } catch (err) {
        logger.warn({ listId: entry.listId, status: statusOf(err) }, 'the SharePoint list of a deleted patient list could still not be deleted');
      }
    }
  }

  async function read(team: TeamKey, listId: string) {
    const found = await resolve(team, listId);
    const rows = found && (await found.rows.all());
    if (!found || !rows) return null;
    const { entry } = found;
    return { id: entry.listId, name: entry.name, columns: entry.columns, version: entry.version, patientIds: patientIdsOf(rows) };
  }

  /**
   * Raises the list's version after its rows changed. The change itself is made by then and
   * stands: a version that cannot be raised (Graph failing after its retries) is logged, and the
   * call still answers, and is recorded as, the change it made. Telling the caller it failed
   * would put a failure in the audit trail for a patient who is on (or off) the list.
   */
  const bump = async (found: { catalog: ReturnType<typeof listCatalog>; entry: CatalogEntry }) => {
    try {
      await found.catalog.change(found.entry.itemId, () => ({}));
    } catch (err) {
      logger.warn({ status: statusOf(err) }, "a list's version could not be raised after its patients changed; the change stands");
    }
  };

  /**
   * Of the rows this call wrote (item ids), those that put their patient on the list: another
   * call adding the same patient at once writes a row too, and only the first row counts (see
   * `firstRows`). The others are deleted again (best effort: readers fold them anyway).
   */
  async function keepFirst(rows: ReturnType<typeof patientRows>, now: PatientRow[] | null, ours: string[]): Promise<PatientRow[]> {
    if (!now) return [];
    const { first, duplicates } = firstRows(now, ours);
    if (duplicates.length) {
      await rows.remove(duplicates).catch((err: unknown) => {
        logger.warn({ rows: duplicates.length, status: statusOf(err) }, 'could not delete the duplicate rows of a patient added twice at once');
      });
    }
    return first;
  }

  return {
    resolve,
    async listLists(team) {
      const { api, site, queue } = await open(team);
      const catalogId = await site.appList('catalog', false);
      if (!catalogId) return [];
      const catalog = listCatalog(api, site.siteId, catalogId, queue);
      const all = await catalog.all();
      const entries = all.filter((e) => !e.deletePendingAt);
      const pending = all.filter((e) => e.deletePendingAt);
      if (pending.length) await cleanUp(api, site.siteId, catalog, pending);
      const rows = await Promise.all(entries.map((e) => patientRows(api, site.siteId, e.listId).all()));
      return entries.flatMap((e, i) => {
        const r = rows[i];
        return r ? [{ id: e.listId, name: e.name, patientCount: patientIdsOf(r).length }] : [];
      });
    },

    async createList(team, name, userId) {
      const { api, site, queue } = await open(team);
      const catalogId = (await site.appList('catalog', true))!;
      // Graph has no transactions: two creations at once may both pass this count (one list over, never more per call).
      const kept = (await listCatalog(api, site.siteId, catalogId, queue).all()).filter((e) => !e.deletePendingAt);
      if (kept.length >= MAX_LISTS_PER_TEAM) return refused('too_many_lists');
      let list: { id: string } | undefined;
      for (let attempt = 1; !list; attempt++) {
        try {
          const description = 'A patient list of the Patients app: a row per patient.';
          list = await createList(api, site.siteId, patientListTitle(name, attempt), description, patientListColumns);
        } catch (err) {
          // Another list has this title (SharePoint titles are unique in a site): number it.
          if (!isStatus(err, 409) || attempt >= 50) throw err;
        }
      }
      try {
        await listCatalog(api, site.siteId, catalogId, queue).add(name, list.id, userId);
      } catch (err) {
        await api.delete(`/sites/${site.siteId}/lists/${list.id}`).catch(() => undefined);
        throw err;
      }
      return done({ id: list.id, name, patientCount: 0 });
    },

    getList: read,

    async addPatients(team, listId, patientIds, userId) {
      const found = await resolve(team, listId);
      const rows = found && (await found.rows.all());
      if (!found || !rows) return refused('no_list');
      const present = new Set(patientIdsOf(rows));
      const toAdd = [...new Set(patientIds)].filter((id) => !present.has(id));
      // Checked against the rows as read (no transactions): additions at the same moment may each pass it.
      if (present.size + toAdd.length > MAX_PATIENTS_PER_LIST) return refused('list_full');
      // All or none (addMany deletes its rows again when one fails): a failed addition adds no one.
      const written = toAdd.length === 1 ? [await found.rows.add(toAdd[0], userId)] : toAdd.length ? await found.rows.addMany(toAdd, userId) : [];
      const first = written.length ? await keepFirst(found.rows, await found.rows.all(), written) : [];
      const ids = new Set(first.map((r) => r.patientId));
      const added = toAdd.filter((id) => ids.has(id));
      if (added.length) await bump(found);
      // Read again: a list deleted meanwhile (its rows with it) is gone, and this addition did not happen.
      const list = await read(team, listId);
      return list ? done({ ...list, added }) : refused('no_list');
    },

    async removePatient(team, listId, patientId) {
      const found = await resolve(team, listId);
      if (!found) return refused('no_list');
      const rows = await found.rows.ofPatient(patientId);
      if (!rows) return refused('no_list');
      if (!rows.length || (await found.rows.remove(rows)) === 0) return refused('not_on_list');
      await bump(found);
      return done(undefined);
    },

    async updateList(team, listId, changes, expectedVersion) {
      const found = await resolve(team, listId);
      if (!found) return refused('no_list');
      const outcome = await found.catalog.change<'conflict'>(found.entry.itemId, (current) => {
        if (expectedVersion !== undefined && current.version !== expectedVersion) return { stop: 'conflict' as const };
        return {
          ...(changes.name !== undefined ? { Title: changes.name } : {}),
          ...(changes.columns !== undefined ? { Columns: columnsText(changes.columns) } : {}),
        };
      });
      if (outcome === null) return refused('no_list');
      if (outcome !== 'changed') return refused(outcome.stop);
      if (changes.name !== undefined && changes.name !== found.entry.name) await retitle(found.api, found.site.siteId, listId, changes.name);
      const list = await read(team, listId);
      return list ? done(list) : refused('no_list');
    },

    async deleteList(team, listId) {
      const found = await resolve(team, listId);
      if (!found) return refused('no_list');
      // The catalog row is marked first: from then on the app no longer shows the list, and an
      // addition still under way fails (it reads the list again after writing). The rows read
      // next are then every patient the delete takes off, whom its records name.
      const marked = await found.catalog.change(found.entry.itemId, (current) =>
        current.deletePendingAt ? { stop: 'pending' as const } : { DeletePendingAt: new Date().toISOString() },
      );
      if (marked !== 'changed') return refused('no_list');
      let rows: PatientRow[] | null;
      try {
        rows = await found.rows.all();
      } catch (err) {
        // Not deleted after all: the list is shown again (best effort; a later clean-up deletes it otherwise).
        await found.catalog.change(found.entry.itemId, () => ({ DeletePendingAt: null })).catch(() => undefined);
        throw err;
      }
      const deleted = { patientIds: rows ? patientIdsOf(rows) : [] };
      // The SharePoint list (and the patients' rows in it), then the catalog row. When SharePoint
      // refuses the delete, the marked row stays as the record of the clean-up to do, and a later
      // catalog read deletes it (cleanUp).
      try {
        await deleteSharePointList(found.api, found.site.siteId, listId);
      } catch (err) {
        logger.warn({ listId, status: statusOf(err) }, 'could not delete the SharePoint list of a deleted patient list; kept for a later clean-up');
        return done(deleted);
      }
      await found.catalog.remove(found.entry.itemId);
      return done(deleted);
    },

    async movePatient(team, fromListId, toListId, patientId, userId) {
      const [from, to] = await Promise.all([resolve(team, fromListId), resolve(team, toListId)]);
      if (!from || !to) return refused('no_list');
      const [fromRows, toRows] = await Promise.all([from.rows.ofPatient(patientId), to.rows.ofPatient(patientId)]);
      if (!fromRows || !toRows) return refused('no_list');
      if (!fromRows.length) return refused('not_on_list');
      if (fromListId === toListId) return done({ added: false });
      if (!toRows.length) {
        const joined = await to.rows.all();
        if (!joined) return refused('no_list');
        if (patientIdsOf(joined).length >= MAX_PATIENTS_PER_LIST) return refused('list_full');
      }
      // Add first, then remove: stopped half-way, the patient is on both lists, never on none,
      // and the row added is deleted again (best effort), so a failed move adds no one.
      let joined: PatientRow[] = [];
      if (!toRows.length) {
        const itemId = await to.rows.add(patientId, userId);
        joined = await keepFirst(to.rows, await to.rows.ofPatient(patientId), [itemId]);
        if (joined.length) await bump(to);
      }
      try {
        if ((await from.rows.remove(fromRows)) > 0) await bump(from);
      } catch (err) {
        if (joined.length) await to.rows.remove(joined).catch(() => undefined);
        throw err;
      }
      return done({ added: joined.length > 0 });
    },
  };
}

/** Keeps the SharePoint list's title in step with the name, when SharePoint lets it. */
async function retitle(api: GraphApi, siteId: string, listId: string, name: string): Promise<void> {
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      await api.patch(`/sites/${siteId}/lists/${listId}`, { displayName: patientListTitle(name, attempt) });
      return;
    } catch (err) {
      if (isStatus(err, 409)) continue;
      logger.warn({ listId, status: statusOf(err) }, 'could not retitle the SharePoint list of a renamed patient list');
      return;
    }
  }
}

const statusOf = (err: unknown) => (err as { status?: number }).status;

/** How long a failing clean-up waits in one instance before it is tried again. */
const CLEANUP_RETRY_MS = 5 * 60_000;

/** How long a list marked for deletion is left to the delete that marked it (see cleanUp). */
const DELETE_GRACE_MS = 60_000;

/** Deletes a patient list's SharePoint list; one that is gone already counts as deleted. */
async function deleteSharePointList(api: GraphApi, siteId: string, listId: string): Promise<void> {
  try {
    await api.delete(`/sites/${siteId}/lists/${listId}`);
  } catch (err) {
    if (!isStatus(err, 404)) throw err;
  }
}
