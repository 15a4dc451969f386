import { guidPattern } from '../../../contract/id-syntax.js';
import { MAX_LISTS_PER_TEAM, MAX_PATIENTS_PER_LIST } from '../../../contract/lists.js';
import { logger } from '../../platform/logger.js';
import { done, refused, type StoredList, type TeamKey, type TeamStore } from '../ports.js';
import { patientListColumns, patientListTitle } from './app-lists.js';
import type { GraphApi } from '../../platform/graph/graph-api.js';
import { GraphAccessError, isStatus } from '../../platform/graph/graph-errors.js';
import type { WriteQueue } from './etag-retry.js';
import { columnsText, listCatalog, type CatalogEntry, type ListCatalog } from './list-catalog.js';
import { firstRows, patientIdsOf, patientRows, type PatientRow } from './patient-rows.js';
import type { RowSealer } from './row-seal.js';
import { createList, type TeamSite } from './team-site.js';
import { readBounds, tooManyRows } from './read-bounds.js';

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
 * the version row is bumped with If-Match after the rows change (best effort: see bump). Once a
 * change has written, no later step fails it unless it first deletes again what it wrote
 * (createList, addPatients, movePatient): a call that fails leaves the list as it was, so its
 * failure record is true; every other later step cannot fail it (bump, retitle, the catalog row
 * removed last by deleteList; updateList reads before it writes).
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
   * Settles the catalog rows of deletes that did not finish (see deleteList), by what really
   * happened, which is what their audit records say: a list whose SharePoint list is gone was
   * deleted (its delete answered success, or the server stopped before it could answer), and only
   * its catalog row is left, which goes now. A list whose SharePoint list is still there was not
   * deleted (its delete answered a failure but could not show the list again, or the server
   * stopped before deleting it): it is shown again, as it is, for the team to delete again if it
   * still means to. Never a deletion here: only a delete a caller was told succeeded deletes.
   * Best effort, at most once per CLEANUP_RETRY_MS per list in this instance; a failure leaves the
   * row for later. A list marked less than DELETE_GRACE_MS ago is left to the delete that marked
   * it, which may still be under way. Gives the item ids of the rows shown again.
   */
  async function cleanUp(api: GraphApi, siteId: string, catalog: ListCatalog, pending: CatalogEntry[]): Promise<Set<string>> {
    const now = Date.now();
    const shown = new Set<string>();
    for (const entry of pending) {
      const key = `${siteId}/${entry.listId}`;
      if (Date.parse(entry.deletePendingAt ?? '') > now - DELETE_GRACE_MS) continue;
      if ((cleanupTried.get(key) ?? 0) > now - CLEANUP_RETRY_MS) continue;
      cleanupTried.set(key, now);
      try {
        if (await sharePointListExists(api, siteId, entry.listId)) {
          const outcome = await catalog.change(entry.itemId, (current) =>
            current.deletePendingAt ? { DeletePendingAt: null } : { stop: 'shown' as const },
          );
          if (outcome !== null) shown.add(entry.itemId);
        } else {
          await catalog.remove(entry.itemId);
        }
        cleanupTried.delete(key);
      } catch (err) {
        logger.warn({ listId: entry.listId, status: statusOf(err) }, 'the catalog row of an unfinished list delete could not be settled yet');
      }
    }
    return shown;
  }

  async function read(team: TeamKey, listId: string) {
    const found = await resolve(team, listId);
    const held = found && (await found.rows.all());
    if (!found || !held) return null;
    const { entry } = found;
    return { id: entry.listId, name: entry.name, columns: entry.columns, version: entry.version, ...withinLimit(patientIdsOf(held.rows), held.more) };
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
   * Of the rows this call wrote, those that put their patient on the list: another call adding
   * the same patient at once writes a row too, and only the first row counts (see `firstRows`).
   * The others are deleted again (best effort: readers fold them anyway), unless another call has
   * taken one over since (see `release`).
   */
  async function keepFirst(rows: ReturnType<typeof patientRows>, now: PatientRow[] | null, ours: PatientRow[]): Promise<PatientRow[]> {
    if (!now) return [];
    const { first, duplicates } = firstRows(
      now,
      ours.map((r) => r.itemId),
    );
    const extra = new Set(duplicates.map((r) => r.itemId));
    const left = await rows.release(ours.filter((r) => extra.has(r.itemId)));
    if (left) logger.warn({ rows: left }, 'could not delete the duplicate rows of a patient added twice at once');
    const kept = new Set(first.map((r) => r.itemId));
    return ours.filter((r) => kept.has(r.itemId));
  }

  /**
   * After a move took the patient off the list they leave without a row of its own on the list
   * they join (they were on it when the move read it, or the row it wrote came after another's):
   * the patient's first row there is taken over (`claim`), so that the call that wrote it (another
   * move in flight, which `release`s its row when it loses) cannot take it back; when the patient
   * has no row left there, the move writes one. Whether the move put the patient there: a row not
   * there when it began. A list deleted meanwhile took the patient with it.
   */
  async function holdOnTo(to: ReturnType<typeof patientRows>, patientId: string, userId: string, before: PatientRow[]): Promise<boolean> {
    const had = new Set(before.map((r) => r.itemId));
    for (let attempt = 1; ; attempt++) {
      let rows: PatientRow[] | null;
      try {
        rows = await to.ofPatient(patientId);
      } catch (err) {
        logger.warn({ status: statusOf(err) }, 'a move could not read again the list it joins; the patient was on it when the move began');
        return false;
      }
      if (rows === null) return false;
      if (!rows.length || attempt > 5) {
        await to.add(patientId, userId);
        return true;
      }
      if (await to.claim(rows[0])) return !had.has(rows[0].itemId);
    }
  }

  return {
    resolve,
    async listLists(team) {
      const { api, site, queue } = await open(team);
      const catalogId = await site.appList('catalog', false);
      if (!catalogId) return [];
      const catalog = listCatalog(api, site.siteId, catalogId, queue);
      const { entries: all, more } = await catalog.all();
      // Part of the team's lists would be shown as all of them: the read fails instead.
      if (more) throw tooManyRows('list of patient lists');
      const pending = all.filter((e) => e.deletePendingAt);
      const shown = pending.length ? await cleanUp(api, site.siteId, catalog, pending) : new Set<string>();
      const entries = all.filter((e) => !e.deletePendingAt || shown.has(e.itemId));
      const rows = await Promise.all(entries.map((e) => patientRows(api, site.siteId, e.listId).all()));
      return entries.flatMap((e, i) => {
        const r = rows[i];
        // A list with rows left unread counts the patients of those read: it names at least that many.
        return r ? [{ id: e.listId, name: e.name, patientCount: patientIdsOf(r.rows).length, ...(r.more ? { rowsUnread: true as const } : {}) }] : [];
      });
    },

    async createList(team, name, userId) {
      const { api, site, queue } = await open(team);
      const catalogId = (await site.appList('catalog', true))!;
      // Graph has no transactions: two creations at once may both pass this count (one list over, never more per call).
      const held = await listCatalog(api, site.siteId, catalogId, queue).all();
      // A catalog with more rows than a read takes (added outside the app) is past the limit too.
      if (held.more || held.entries.filter((e) => !e.deletePendingAt).length >= MAX_LISTS_PER_TEAM) return refused('too_many_lists');
      let list: { id: string } | undefined;
      for (let attempt = 1; !list; attempt++) {
        try {
          const description = 'A patient list of the Patients app: a row per patient.';
          // A list that fails half-made is deleted again (no one else knows it before its catalog row).
          list = await createList(api, site.siteId, patientListTitle(name, attempt), description, patientListColumns, true);
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
      const held = found && (await found.rows.all());
      if (!found || !held) return refused('no_list');
      const present = new Set(patientIdsOf(held.rows));
      const toAdd = [...new Set(patientIds)].filter((id) => !present.has(id));
      // Checked against the rows as read (no transactions): additions at the same moment may each pass it, and are checked again once written (pastCap).
      if (present.size + toAdd.length > MAX_PATIENTS_PER_LIST) return refused('list_full');
      // A list with more rows than a read takes is full however few patients they name; and the
      // rows this call writes must be among those read back (keepFirst, addMany's clean-up).
      if (held.more || held.items + toAdd.length > readBounds.patientRows) return refused('list_full');
      // All or none (addMany deletes its rows again when one fails): a failed addition adds no one.
      const written = toAdd.length === 1 ? [await found.rows.add(toAdd[0], userId)] : toAdd.length ? await found.rows.addMany(toAdd, userId) : [];
      if (!written.length) {
        // Nothing written (all on the list already): a failing read fails a call that changed nothing.
        const list = await read(team, listId);
        return list ? done({ ...list, added: [] }) : refused('no_list');
      }
      // The rows are written, and from now on may be relied on: another call adding or moving the
      // same patient finds them and writes none of its own. So a read after the write that fails
      // never takes them back (that could leave the patient on no list): the addition stands as
      // written, answered from the rows read before and these, and recorded for every patient
      // written. Only rows past the cap (never shown: a list is read within it), taken back unless
      // a move has taken one over, or a list found deleted meanwhile refuse the addition.
      const asWritten = () =>
        done({
          id: found.entry.listId,
          name: found.entry.name,
          columns: found.entry.columns,
          version: found.entry.version,
          ...withinLimit([...patientIdsOf(held.rows), ...toAdd], held.more),
          added: toAdd,
        });
      let added: string[];
      try {
        const now = await found.rows.all();
        // Additions at the same moment each passed the check above: the one whose rows came past the
        // cap (in the order rows are read) takes them back and is refused, as on SQLite.
        if (now && pastCap(now.rows, written)) {
          const left = await found.rows.release(written);
          logger.warn({ listId, written: written.length, left }, 'an addition met others that filled the patient list; its rows were deleted again');
          return refused('list_full');
        }
        const first = await keepFirst(found.rows, now?.rows ?? null, written);
        const ids = new Set(first.map((r) => r.patientId));
        added = toAdd.filter((id) => ids.has(id));
      } catch (err) {
        logger.warn({ listId, status: statusOf(err) }, 'an addition to a patient list could not be read back after its rows were written; it stands');
        return asWritten();
      }
      if (added.length) await bump(found);
      let list: Awaited<ReturnType<typeof read>>;
      try {
        list = await read(team, listId);
      } catch (err) {
        logger.warn({ listId, status: statusOf(err) }, 'a patient list could not be read after an addition; the addition stands');
        return done({ ...asWritten().value, added });
      }
      if (!list) {
        // Deleted meanwhile: its rows went with it (a delete that read the rows before they were written leaves them; clean them up).
        const left = await found.rows.release(written);
        logger.warn({ listId, written: written.length, left }, 'a patient list was deleted during an addition; the rows written were deleted again');
        return refused('no_list');
      }
      return done({ ...list, added });
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

    /**
     * The list's patients are read before its catalog row is written, so that nothing after that
     * write can fail the change: the answer is the list as this write left it (the rows as read
     * just before), and the SharePoint title follows at best effort (retitle).
     */
    async updateList(team, listId, changes, expectedVersion) {
      const found = await resolve(team, listId);
      const held = found && (await found.rows.all());
      if (!found || !held) return refused('no_list');
      const wrote: { entry?: CatalogEntry } = {};
      const outcome = await found.catalog.change<'conflict' | 'no_list'>(found.entry.itemId, (current) => {
        // Being deleted (see deleteList): not changed, as when the catalog row is gone.
        if (current.deletePendingAt) return { stop: 'no_list' as const };
        if (expectedVersion !== undefined && current.version !== expectedVersion) return { stop: 'conflict' as const };
        wrote.entry = { ...current, name: changes.name ?? current.name, columns: changes.columns ?? current.columns, version: current.version + 1 };
        return {
          ...(changes.name !== undefined ? { Title: changes.name } : {}),
          ...(changes.columns !== undefined ? { Columns: columnsText(changes.columns) } : {}),
        };
      });
      if (outcome === null) return refused('no_list');
      if (outcome !== 'changed') return refused(outcome.stop);
      const entry = wrote.entry!;
      if (changes.name !== undefined && changes.name !== found.entry.name) await retitle(found.api, found.site.siteId, listId, changes.name);
      return done({
        id: entry.listId,
        name: entry.name,
        columns: entry.columns,
        version: entry.version,
        ...withinLimit(patientIdsOf(held.rows), held.more),
      });
    },

    /**
     * Succeeds only once the list is gone: its SharePoint list, with the patients' rows in it,
     * deleted. Graph has no transactions, so the steps are ordered so that every way it can stop
     * leaves either the whole list or none of it, and the answer (and so the audit record) says
     * which:
     *
     * 1. The catalog row is marked: from then on the app no longer shows the list, and an addition
     *    still under way fails (it reads the list again after writing). The rows read next are
     *    then every patient the delete takes off, whom its records name.
     * 2. The SharePoint list is deleted. When it cannot be, nothing was deleted: the mark is taken
     *    off again, so that the list is shown as it was, and the delete fails with an error that
     *    says so (recorded as a failure); trying again works. Should taking the mark off fail too,
     *    the list is shown again by the next catalog read after DELETE_GRACE_MS (cleanUp), which
     *    never deletes it.
     * 3. The catalog row is removed. The list is gone by then, so a row that cannot be removed
     *    does not fail the delete (it succeeded; its records say so): the row stays marked, the
     *    app never shows it, and a later catalog read removes it (cleanUp).
     */
    async deleteList(team, listId) {
      const found = await resolve(team, listId);
      if (!found) return refused('no_list');
      const marked = await found.catalog.change(found.entry.itemId, (current) =>
        current.deletePendingAt ? { stop: 'pending' as const } : { DeletePendingAt: new Date().toISOString() },
      );
      if (marked !== 'changed') return refused('no_list');
      /** Not deleted: the list is shown again; whether that could be done. */
      const unmark = () =>
        found.catalog
          .change(found.entry.itemId, () => ({ DeletePendingAt: null }))
          .then(
            () => true,
            (err: unknown) => {
              logger.warn(
                { listId, status: statusOf(err) },
                'a patient list whose delete failed could not be shown again yet; a later catalog read will',
              );
              return false;
            },
          );
      let read: { rows: PatientRow[]; more: boolean } | null;
      try {
        read = await found.rows.all();
      } catch (err) {
        await unmark();
        throw err;
      }
      // A list holding more rows than a read takes (added outside the app) is still deleted, with
      // its rows: the records name the patients of the rows read, and the log says rows went unnamed.
      if (read?.more)
        logger.warn({ listId, read: read.rows.length }, 'a patient list deleted held more rows than were read; its records name those read');
      const deleted = { patientIds: read ? patientIdsOf(read.rows) : [] };
      try {
        await deleteSharePointList(found.api, found.site.siteId, listId);
      } catch (err) {
        logger.warn({ listId, status: statusOf(err) }, 'could not delete the SharePoint list of a patient list; the list was not deleted');
        const shown = await unmark();
        throw notDeleted(err, shown);
      }
      try {
        await found.catalog.remove(found.entry.itemId);
      } catch (err) {
        logger.warn({ listId, status: statusOf(err) }, "a deleted patient list's catalog row could not be removed; a later catalog read removes it");
      }
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
        // The row it writes must be among those a read takes, rows that name no patient counted too.
        if (joined.more || joined.items + 1 > readBounds.patientRows || patientIdsOf(joined.rows).length >= MAX_PATIENTS_PER_LIST)
          return refused('list_full');
      }
      // Add first, then remove: stopped half-way, the patient is on both lists, never on none,
      // and the row added is deleted again (best effort), so a failed move adds no one.
      let mine: PatientRow | undefined;
      if (!toRows.length) {
        const written = await to.rows.add(patientId, userId);
        // The row is written and may be relied on (see addPatients): a read of it that fails leaves it, as the patient's row there.
        const now = await to.rows.all().catch((err: unknown) => {
          logger.warn({ status: statusOf(err) }, 'a move could not read back the row it wrote; it goes on with it');
          return undefined;
        });
        // The list it joins was deleted meanwhile, the row with it: the patient stays where they are.
        if (now === null) return refused('no_list');
        // Additions or moves onto the list at the same moment filled it: refused, as on SQLite.
        if (now && pastCap(now.rows, [written])) {
          await to.rows.release([written]);
          return refused('list_full');
        }
        mine = now === undefined ? written : (await keepFirst(to.rows, now.rows, [written]))[0];
        // A list marked for deletion since (its delete reads its rows after marking it) would take the patient with it: not joined.
        const still = await resolve(team, toListId).catch(() => to);
        if (!still) {
          await to.rows.release([written]);
          return refused('no_list');
        }
        if (mine) await bump(to);
      }
      let removed: number;
      try {
        removed = await from.rows.remove(fromRows);
      } catch (err) {
        if (mine) await to.rows.release([mine]);
        throw err;
      }
      if (removed === 0) {
        // Another call took the patient off `from` since it was read (the same move sent twice, a
        // move elsewhere, a removal): that call is the change, and this one finds the patient no
        // longer on the list, as on SQLite. Its row goes again, unless the move that took the
        // patient off has taken it over as the patient's row there (holdOnTo).
        if (mine) await to.rows.release([mine]);
        return refused('not_on_list');
      }
      await bump(from);
      if (mine) return done({ added: true });
      const added = await holdOnTo(to.rows, patientId, userId, toRows);
      if (added) await bump(to);
      return done({ added });
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

/**
 * A list's patients as read: the first MAX_PATIENTS_PER_LIST added, and how many more its rows
 * name. Members of the team's group can add rows in SharePoint past the app's limit; a list read
 * never asks the EHR for (or records) more than the limit allows. With rows left unread (`more`,
 * past readBounds.patientRows) the count beyond is of the rows read, a least number, and
 * `rowsUnread` says so (contract/lists.ts).
 */
function withinLimit(ids: string[], more: boolean): Pick<StoredList, 'patientIds' | 'beyondLimit' | 'rowsUnread'> {
  const beyond = ids.length - MAX_PATIENTS_PER_LIST;
  const unread = more ? { rowsUnread: true as const } : {};
  return beyond > 0 ? { patientIds: ids.slice(0, MAX_PATIENTS_PER_LIST), beyondLimit: beyond, ...unread } : { patientIds: ids, ...unread };
}

/**
 * Whether a patient of rows a call wrote (`ours`) is past the list's cap: not among the first
 * MAX_PATIENTS_PER_LIST patients of the rows read (first added first, as every read of the list
 * counts them: see withinLimit). Item ids only grow, so a row within the cap stays within it.
 */
function pastCap(rows: PatientRow[], ours: PatientRow[]): boolean {
  const within = new Set(patientIdsOf(rows).slice(0, MAX_PATIENTS_PER_LIST));
  return ours.some((r) => !within.has(r.patientId));
}

const statusOf = (err: unknown) => (err as { status?: number }).status;

/** How long a failing clean-up waits in one instance before it is tried again. */
const CLEANUP_RETRY_MS = 5 * 60_000;

/** How long a list marked for deletion is left to the delete that marked it (see cleanUp). */
const DELETE_GRACE_MS = 60_000;

/**
 * Why a delete failed, when SharePoint would not delete the list: nothing was deleted, which the
 * caller is told, with what to do. The code (and so the API's status) is the failure's.
 */
function notDeleted(err: unknown, shown: boolean): GraphAccessError {
  const code = err instanceof GraphAccessError ? err.code : 'graph_failed';
  const why = err instanceof Error ? ` (${err.message})` : '';
  const next = shown ? 'It is still there; try again.' : 'It is still there, and shows again in a minute or two; then try again.';
  return new GraphAccessError(code, `The list was not deleted: SharePoint did not delete it${why}. ${next}`, statusOf(err));
}

/** Whether a patient list's SharePoint list is still there. */
async function sharePointListExists(api: GraphApi, siteId: string, listId: string): Promise<boolean> {
  try {
    await api.get(`/sites/${siteId}/lists/${listId}`);
    return true;
  } catch (err) {
    if (isStatus(err, 404)) return false;
    throw err;
  }
}

/** Deletes a patient list's SharePoint list; one that is gone already counts as deleted. */
async function deleteSharePointList(api: GraphApi, siteId: string, listId: string): Promise<void> {
  try {
    await api.delete(`/sites/${siteId}/lists/${listId}`);
  } catch (err) {
    if (!isStatus(err, 404)) throw err;
  }
}
