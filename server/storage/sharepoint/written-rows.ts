import type { BatchOutcome, GraphApi } from '../../platform/graph/graph-api.js';
import { isStatus } from '../../platform/graph/graph-errors.js';
import { logger } from '../../platform/logger.js';

/**
 * SharePoint has no transaction over list rows: a change that writes many rows and fails part
 * way deletes the rows it wrote again before its error goes back, so it did not happen and no
 * audit record names it. These are the two steps such a change shares (a bulk addition to a
 * patient list, patient-rows.ts; an import's patients, graph-manual-import.ts).
 */

/** A row a change wrote: its item id, and the eTag it was written with (any later change of the row changes it). */
export interface WrittenItem {
  itemId: string;
  etag: string;
}

/**
 * Creates the rows in the order given, in `$batch`es chained with `dependsOn` (they stop at the
 * first failure; a single row by itself), all of them or none: when one fails, or a request fails
 * as a whole, the rows written (those answered, and those `findWritten` finds: a request whose
 * answer was lost, a 504, may have written its row) are deleted again, the log told in counts
 * (`what` names the change), and the error is thrown. Gives the rows written, in order.
 */
export async function createRowsOrNone(
  api: GraphApi,
  items: string,
  rows: Record<string, unknown>[],
  findWritten: () => Promise<string[]>,
  what: string,
): Promise<WrittenItem[]> {
  const written: WrittenItem[] = [];
  // One row goes as a request of its own; either way a creation is never sent again after its answer was lost (a 504).
  const create = (): Promise<BatchOutcome<{ id: string; eTag?: string }>[]> =>
    rows.length === 1
      ? api.post<{ id: string; eTag?: string }>(items, { fields: rows[0] }, { once: true }).then((body) => [{ ok: true, status: 201, body }])
      : api.batch(
          rows.map((fields) => ({ method: 'POST' as const, path: items, body: { fields } })),
          { ordered: true },
        );
  try {
    const outcomes = await create();
    for (const outcome of outcomes) if (outcome.ok) written.push({ itemId: outcome.body.id, etag: outcome.body.eTag ?? '' });
    const failed = outcomes.find((o) => !o.ok);
    if (failed && !failed.ok) throw failed.error;
    return written;
  } catch (err) {
    // A request that failed may still have written its row (a 504, in a batch or as a whole): found by `findWritten`.
    const known = new Set(written.map((r) => r.itemId));
    for (const itemId of await findWritten().catch(() => [])) if (!known.has(itemId)) written.push({ itemId, etag: '' });
    const left = await deleteWrittenRows(api, items, written);
    logger.warn({ written: written.length, left }, `${what} failed part way; the rows written were deleted again`);
    throw err;
  }
}

/**
 * Deletes rows a change wrote, newest first, in `$batch`es; a row gone already counts as deleted.
 * Each with If-Match on the eTag it was written with, when known: a row changed since is another
 * call's now (a move took it over, patient-rows.ts `claim`) and is left (Graph answers 412 and
 * leaves the item: learn.microsoft.com/graph/api/listitem-delete).
 * Never throws (it runs on the way out of a failure): gives how many rows could not be deleted,
 * for the log, which gets counts only. Rows left stay where their owners see them, and the change
 * still answers with an error, never a success.
 */
export async function deleteWrittenRows(api: GraphApi, items: string, rows: readonly WrittenItem[]): Promise<number> {
  if (!rows.length) return 0;
  const undone = await api
    .batch([...rows].reverse().map(({ itemId, etag }) => ({ method: 'DELETE' as const, path: `${items}/${itemId}`, etag: etag || undefined })))
    .catch(() => null);
  return undone ? undone.filter((o) => !o.ok && !isStatus(o.error, 404)).length : rows.length;
}
