import { filterParam, odataString, type GraphApi } from '../../platform/graph/graph-api.js';
import { isStatus } from '../../platform/graph/graph-errors.js';
import { byItemId, type ListItem } from './list-catalog.js';
import { retryOnStaleEtag } from './etag-retry.js';

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
  return {
    /** All rows, oldest first; null when the SharePoint list is gone. */
    async all(): Promise<PatientRow[] | null> {
      try {
        return (await api.getAll<ListItem>(`${items}?expand=fields`))
          .sort(byItemId)
          .map(rowOf)
          .filter((r) => r.patientId);
      } catch (err) {
        if (isStatus(err, 404)) return null;
        throw err;
      }
    },
    /** The patient's rows; null when the SharePoint list is gone. */
    async ofPatient(patientId: string): Promise<PatientRow[] | null> {
      try {
        const found = await api.getAll<ListItem>(`${items}?expand=fields&${filterParam(`fields/PatientId eq ${odataString(patientId)}`)}`);
        return found.sort(byItemId).map(rowOf);
      } catch (err) {
        if (isStatus(err, 404)) return null;
        throw err;
      }
    },
    async add(patientId: string, userId: string): Promise<void> {
      await api.post(items, { fields: rowFields(patientId, userId) });
    },
    /**
     * Adds many rows, in the order given, in `$batch`es of 20, one batch at a time (a ward's 500
     * patients take 25 requests instead of 500, paced). A row that could not be written fails the
     * call with its error, the rows before it written, as sequential adds stopped half-way would.
     */
    async addMany(patientIds: string[], userId: string): Promise<void> {
      const outcomes = await api.batch(
        patientIds.map((id) => ({ method: 'POST' as const, path: items, body: { fields: rowFields(id, userId) } })),
        { ordered: true },
      );
      const failed = outcomes.find((o) => !o.ok);
      if (failed && !failed.ok) throw failed.error;
    },
    /** Deletes the rows (If-Match; a row changed meanwhile is re-read and still deleted); how many this call removed. */
    async remove(rows: PatientRow[]): Promise<number> {
      let removed = 0;
      for (const row of rows) {
        let etag = row.etag;
        const gone = await retryOnStaleEtag(async () => {
          try {
            await api.delete(`${items}/${row.itemId}`, etag);
            return false;
          } catch (err) {
            if (isStatus(err, 404)) return true;
            if (!isStatus(err, 412)) throw err;
            try {
              etag = (await api.get<ListItem>(`${items}/${row.itemId}`)).eTag;
            } catch (readErr) {
              if (isStatus(readErr, 404)) return true;
              throw readErr;
            }
            throw err;
          }
        });
        if (!gone) removed += 1;
      }
      return removed;
    },
  };
}

const rowFields = (patientId: string, userId: string) => ({
  Title: patientId,
  PatientId: patientId,
  AddedBy: userId,
  AddedAt: new Date().toISOString(),
});

/** Patient ids in the order first added, each once. */
export function patientIdsOf(rows: PatientRow[]): string[] {
  return [...new Set(rows.map((r) => r.patientId))];
}
