import type { GraphApi } from '../../platform/graph/graph-api.js';
import { isStatus } from '../../platform/graph/graph-errors.js';
import { byItemId, itemsWhere, type ListItem } from './list-catalog.js';
import { retryOnStaleEtag } from './etag-retry.js';
import { createRowsOrNone, deleteWrittenRows } from './written-rows.js';
import { readBounds, tooManyRows } from './read-bounds.js';

/** A patient's row in a patient list's own SharePoint list. */
export interface PatientRow {
  itemId: string;
  etag: string;
  patientId: string;
}

const rowOf = (item: ListItem): PatientRow => ({ itemId: item.id, etag: item.eTag, patientId: String(item.fields.PatientId ?? '') });

/**
 * The rows of one patient list. Each added patient is its own item, so concurrent adds never
 * contend for one item; two people adding the same patient at once can leave two rows, which
 * readers fold into one (first added wins) and a removal deletes together.
 */
export function patientRows(api: GraphApi, siteId: string, listId: string) {
  const items = `/sites/${siteId}/lists/${listId}/items`;

  /**
   * Writes (or deletes) the row with If-Match: when it changed meanwhile (412), its eTag is read
   * again and the write made on that. Whether it was made: false when the row is gone (404).
   */
  const onCurrentRow = (row: PatientRow, write: (etag: string) => Promise<void>): Promise<boolean> => {
    let etag = row.etag;
    return retryOnStaleEtag(async () => {
      try {
        await write(etag);
        return true;
      } catch (err) {
        if (isStatus(err, 404)) return false;
        if (!isStatus(err, 412)) throw err;
        try {
          etag = (await api.get<ListItem>(`${items}/${row.itemId}`)).eTag;
        } catch (readErr) {
          if (isStatus(readErr, 404)) return false;
          throw readErr;
        }
        throw err;
      }
    });
  };

  const ops = {
    /**
     * The rows, oldest first: the first readBounds.patientRows of them, and whether the list holds
     * more (added outside the app), which are not read. `items` counts every item read, rows naming
     * no patient too (added outside the app): they take places of the bound as any row does, so a
     * write is checked against it. Null when the SharePoint list is gone.
     */
    async all(): Promise<{ rows: PatientRow[]; more: boolean; items: number } | null> {
      try {
        const read = await api.getAll<ListItem>(`${items}?expand=fields`, { maxItems: readBounds.patientRows });
        return {
          rows: read.items
            .sort(byItemId)
            .map(rowOf)
            .filter((r) => r.patientId),
          more: read.more,
          items: read.items.length,
        };
      } catch (err) {
        if (isStatus(err, 404)) return null;
        throw err;
      }
    },
    /**
     * The patient's rows; null when the SharePoint list is gone. More than readBounds.rowsOfPatient
     * (added outside the app) fail the read: a removal of some would leave the patient on the list.
     */
    async ofPatient(patientId: string): Promise<PatientRow[] | null> {
      try {
        const read = await itemsWhere(api, items, 'PatientId', patientId, readBounds.rowsOfPatient);
        if (read.more) throw tooManyRows('patient list', 'rows for this patient');
        return read.items.sort(byItemId).map(rowOf);
      } catch (err) {
        if (isStatus(err, 404)) return null;
        throw err;
      }
    },
    /**
     * Adds the patient's row; the row as written (its eTag then: see `release`). As `addMany`: a
     * request whose answer was lost (a 504) may have written the row, which is then found and
     * deleted again before the error goes back, never left on the list unrecorded.
     */
    async add(patientId: string, userId: string): Promise<PatientRow> {
      const [row] = await ops.addMany([patientId], userId);
      return row;
    },
    /**
     * Adds many rows, in the order given, in `$batch`es of 20, one batch at a time (a ward's 500
     * patients take 25 requests instead of 500, paced), all of them or none: a row that could not
     * be written fails the call with its error, and the rows before it are deleted again
     * (written-rows.ts). Gives the rows as written, in order. The caller keeps the list's rows with
     * these within readBounds.patientRows, so that a batch that failed as a whole finds its rows.
     */
    async addMany(patientIds: string[], userId: string): Promise<PatientRow[]> {
      const at = new Date().toISOString();
      // Rows of a batch that failed as a whole are this call's: these patients, added by this user at this instant.
      const ids = new Set(patientIds);
      const findWritten = async () =>
        (await api.getAll<ListItem>(`${items}?expand=fields`, { maxItems: readBounds.patientRows })).items
          .filter((i) => ids.has(String(i.fields.PatientId)) && i.fields.AddedBy === userId && i.fields.AddedAt === at)
          .map((i) => i.id);
      const written = await createRowsOrNone(
        api,
        items,
        patientIds.map((id) => rowFields(id, userId, at)),
        findWritten,
        'an addition to a patient list',
      );
      return written.map((r, i) => ({ ...r, patientId: patientIds[i] }));
    },
    /**
     * Deletes the rows (If-Match; a row changed meanwhile is re-read and still deleted); how many
     * this call removed. Newest first: a removal that fails part way leaves the patient's first
     * row, so the patient is on the list as before (readers fold the rest), never moved down it.
     */
    async remove(rows: PatientRow[]): Promise<number> {
      let removed = 0;
      for (const row of [...rows].sort((a, b) => byItemId({ id: b.itemId }, { id: a.itemId }))) {
        if (await onCurrentRow(row, (etag) => api.delete(`${items}/${row.itemId}`, etag))) removed += 1;
      }
      return removed;
    },
    /**
     * Takes over a row another call wrote (a move relying on it to keep its patient on the list):
     * rewrites it with If-Match, which changes its eTag, so that the call that wrote it can no
     * longer delete it again (`release`). Graph answers 412 to a stale eTag and leaves the item
     * alone (learn.microsoft.com/graph/api/listitem-update, listitem-delete); a row changed
     * meanwhile is read again and taken over. False when the row is gone.
     */
    async claim(row: PatientRow): Promise<boolean> {
      return onCurrentRow(row, async (etag) => {
        await api.patch(`${items}/${row.itemId}/fields`, { Title: row.patientId }, etag);
      });
    },
    /**
     * Deletes again rows this call wrote, on the way out of a change that did not happen, each with
     * If-Match on the eTag it was written with: a row another call has taken over since (`claim`)
     * is left to it. Never throws; gives how many rows are left (taken over, or not deletable),
     * for the log.
     */
    release(rows: readonly PatientRow[]): Promise<number> {
      return deleteWrittenRows(api, items, rows);
    },
  };
  return ops;
}

const rowFields = (patientId: string, userId: string, at: string) => ({
  Title: patientId,
  PatientId: patientId,
  AddedBy: userId,
  AddedAt: at,
});

/**
 * The rows of `ours` (item ids) that put their patient on the list: a patient's first row (the
 * lowest item id) is the one readers keep, so of two calls adding the same patient at once only
 * the one whose row came first added them. The others' rows are duplicates, to be deleted again.
 */
export function firstRows(rows: PatientRow[], ours: Iterable<string>): { first: PatientRow[]; duplicates: PatientRow[] } {
  const mine = new Set(ours);
  const firstOf = new Map<string, string>();
  for (const row of [...rows].sort((a, b) => byItemId({ id: a.itemId }, { id: b.itemId }))) {
    if (!firstOf.has(row.patientId)) firstOf.set(row.patientId, row.itemId);
  }
  const own = rows.filter((r) => mine.has(r.itemId));
  return { first: own.filter((r) => firstOf.get(r.patientId) === r.itemId), duplicates: own.filter((r) => firstOf.get(r.patientId) !== r.itemId) };
}

/** Patient ids in the order first added, each once. */
export function patientIdsOf(rows: PatientRow[]): string[] {
  return [...new Set(rows.map((r) => r.patientId))];
}
