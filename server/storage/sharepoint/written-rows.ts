import type { GraphApi } from '../../platform/graph/graph-api.js';
import { isStatus } from '../../platform/graph/graph-errors.js';
import { logger } from '../../platform/logger.js';

/**
 * SharePoint has no transaction over list rows: a change that writes many rows and fails part
 * way deletes the rows it wrote again before its error goes back, so it did not happen and no
 * audit record names it. These are the two steps such a change shares (a bulk addition to a
 * patient list, patient-rows.ts; an import's patients, graph-manual-import.ts).
 */

/**
 * Creates the rows in the order given, in `$batch`es chained with `dependsOn` (they stop at the
 * first failure), all of them or none: when one fails, or a batch fails as a whole (the rows it
 * wrote are then found by `findWritten`), the rows written are deleted again, the log told in
 * counts (`what` names the change), and the error is thrown. Gives the rows' item ids, in order.
 */
export async function createRowsOrNone(
  api: GraphApi,
  items: string,
  rows: Record<string, unknown>[],
  findWritten: () => Promise<string[]>,
  what: string,
): Promise<string[]> {
  const written: string[] = [];
  try {
    const outcomes = await api
      .batch<{ id: string }>(
        rows.map((fields) => ({ method: 'POST' as const, path: items, body: { fields } })),
        { ordered: true },
      )
      .catch(async (err: unknown) => {
        written.push(...(await findWritten().catch(() => [])));
        throw err;
      });
    for (const outcome of outcomes) if (outcome.ok) written.push(outcome.body.id);
    const failed = outcomes.find((o) => !o.ok);
    if (failed && !failed.ok) throw failed.error;
    return written;
  } catch (err) {
    const left = await deleteWrittenRows(api, items, written);
    logger.warn({ written: written.length, left }, `${what} failed part way; the rows written were deleted again`);
    throw err;
  }
}

/**
 * Deletes rows a change wrote, newest first, in `$batch`es; a row gone already counts as deleted.
 * Never throws (it runs on the way out of a failure): gives how many rows could not be deleted,
 * for the log, which gets counts only. Rows left stay where their owners see them, and the change
 * still answers with an error, never a success.
 */
export async function deleteWrittenRows(api: GraphApi, items: string, itemIds: readonly string[]): Promise<number> {
  if (!itemIds.length) return 0;
  const undone = await api
    .batch([...itemIds].reverse().map((itemId) => ({ method: 'DELETE' as const, path: `${items}/${itemId}` })))
    .catch(() => null);
  return undone ? undone.filter((o) => !o.ok && !isStatus(o.error, 404)).length : itemIds.length;
}
