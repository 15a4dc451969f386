import type { ListColumn } from '../../../contract/columns.js';
import { isTimeZone } from '../../../contract/exports.js';
import { toCsv } from '../../platform/csv.js';
import { problem, Problem } from '../../platform/problem.js';
import type { TeamKey } from '../../storage/ports.js';
import { recordPartialRead, refusalNames } from '../shared/audit-trail.js';
import type { ApiDeps } from '../shared/deps.js';
import { columnHeadings, csvColumns } from './cell-text.js';
import { buildListView, rowsNotGiven } from './list-view.js';
import { findList } from './list-service.js';

/** The time zone of an export, checked with Intl: a bad one is refused in plain words. */
export function exportZone(zone: string | undefined): string {
  if (zone === undefined) return 'UTC';
  if (!isTimeZone(zone)) throw problem('validation_failed', 'The time zone is not one this server knows: send an IANA name such as Europe/London.');
  return zone;
}

/**
 * The list as a CSV file in English, with times in `zone`, its export recorded for every patient
 * on the list before it goes out (a failure for each whose row has no data); an EHR failure fails the export.
 */
export async function exportList(deps: ApiDeps, team: TeamKey, listId: string, zone: string): Promise<{ filename: string; csv: string }> {
  const { store, ehr } = deps;
  const stored = await findList(deps, team, listId);
  // An export that fails from here on (the EHR down, say) was still an export of these patients.
  refusalNames(stored.patientIds);
  const view = await buildListView(store, ehr, team, stored);
  if (view.ehrError) throw new Problem(view.ehrError.code, view.ehrError.message);
  const fields = view.fields ?? [];
  // A team field is headed by its label; one the team has since removed says so.
  const heading = (c: ListColumn) =>
    c.startsWith('field:')
      ? (fields.find((f) => `field:${f.id}` === c)?.label ?? `${c.slice(6)} (removed field)`)
      : columnHeadings[c as keyof typeof columnHeadings];
  const columns = view.columns.flatMap((c) => csvColumns(c, heading(c), zone));
  const csv = toCsv(
    columns.map((c) => c.heading),
    view.rows.map((row) => columns.map((c) => c.value(row))),
  );
  // A list holding more than it shows (rows added outside the app) exports what it shows, and its file says so.
  // Rows the store left unread (past its read bound) make the total unknown: the name says only that more were not read.
  const part = view.rowsUnread
    ? ` (first ${view.rows.length}, more not read)`
    : view.beyondLimit
      ? ` (first ${view.rows.length} of ${view.rows.length + view.beyondLimit})`
      : '';
  const filename = `${view.name.replace(/[^\p{L}\p{N} _-]+/gu, '').trim() || 'list'}${part}.csv`;
  // A patient whose row carries no data was not exported: a failure each, with the status of why.
  await recordPartialRead(store.audit, 'ExportInitiation', { listId: stored.id, patientIds: stored.patientIds, failed: rowsNotGiven(view) });
  return { filename, csv };
}
