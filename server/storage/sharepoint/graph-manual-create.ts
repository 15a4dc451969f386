import { randomUUID } from 'node:crypto';
import { MAX_ROSTER_PATIENTS, mrnKey, type ManualPatient } from '../../../contract/manual.js';
import { logger } from '../../platform/logger.js';
import { createRowsOrNone, deleteWrittenRows } from './written-rows.js';
import { done, refused, type TeamStore } from '../ports.js';
import type { OpenTeam } from './graph-lists.js';
import { fieldsOf, rosterRows } from './graph-manual.js';
import { byItemId, type ListItem } from './list-catalog.js';
import { readBounds } from './read-bounds.js';

/**
 * New patients in the team's site: an import's, or one typed in (an import of one row). SharePoint has no transaction over list rows, so the
 * rows are written one after another, in file order (the roster keeps the order rows were
 * added), 20 to a `$batch` chained with `dependsOn` (a request per 20 rows instead of one per
 * row; they run in order and stop at the first failure), and when one fails the rows already
 * written are deleted again before the error goes back: the import did not happen, and no audit
 * record names it. Should a delete fail as well (Graph down mid-way), those rows stay on the
 * roster, where the owner sees them; the failure is logged with counts only, and the answer is an
 * error, never a success, so nothing acknowledged is lost.
 *
 * Without a transaction, MRNs are checked twice: against the rows the team holds just before the
 * first write, and after the last one, when a row with one of these MRNs that came before ours
 * (a lower item id: another import at the same time) means ours are deleted again and the import
 * is refused with `mrn_taken`. The earlier writer keeps its rows; at worst both back out, never both stay.
 * The roster's limit (MAX_ROSTER_PATIENTS) is checked against the rows read before the first write.
 */
export function graphManualCreateOps(open: OpenTeam): Pick<TeamStore, 'createManualPatient' | 'createManualPatients'> {
  const ops: Pick<TeamStore, 'createManualPatient' | 'createManualPatients'> = {
    async createManualPatient(team, data, userId) {
      const outcome = await ops.createManualPatients(team, [data], userId);
      return outcome.ok ? done(outcome.value[0]) : outcome;
    },
    async createManualPatients(team, patients, userId) {
      if (!patients.length) return done([]);
      const { api, site } = await open(team);
      const path = `/sites/${site.siteId}/lists/${(await site.appList('manualPatients', true))!}/items`;
      const ours = new Set(patients.flatMap((p) => mrnKey(p.mrn) ?? []));
      // The roster as read before, and with this import's rows after: up to readBounds.roster rows, and these.
      const held = async () =>
        (await api.getAll<ListItem>(`${path}?expand=fields`, { maxItems: readBounds.roster + patients.length })).items.sort(byItemId);
      const read = await rosterRows({ api, path });
      const before = read.items.sort(byItemId);
      // Patients admitted now, as read before the first write (no transactions): imports at the same moment may each pass it.
      // A roster with more rows than a read takes (added outside the app) is full.
      if (read.more || before.filter((item) => !item.fields.DischargedAt).length + patients.length > MAX_ROSTER_PATIENTS)
        return refused('roster_full');
      if (ours.size && before.some((item) => ours.has(mrnKey(item.fields.Mrn) ?? ''))) return refused('mrn_taken');
      const at = new Date().toISOString();
      const rows = patients.map((data) => ({ id: randomUUID(), data }));
      // All of the rows or none; a batch that failed as a whole may have written some: they are found by their new ids.
      const ids = new Set<string>(rows.map((r) => r.id));
      const written = await createRowsOrNone(
        api,
        path,
        rows.map(({ id, data }) => ({ ...fieldsOf(data), PatientId: id, Version: 1, CreatedBy: userId, CreatedAt: at })),
        async () => (await held()).filter((item) => ids.has(String(item.fields.PatientId))).map((item) => item.id),
        patients.length > 1 ? 'an import' : 'a new patient',
      );
      const writtenIds = written.map((r) => r.itemId);
      if (ours.size) {
        let beaten: boolean;
        try {
          // The first row holding each of our MRNs must be ours.
          const after = await held();
          const firstOf = new Map<string, string>();
          for (const item of after) {
            const mrn = mrnKey(item.fields.Mrn);
            if (mrn && ours.has(mrn) && !firstOf.has(mrn)) firstOf.set(mrn, item.id);
          }
          // Rows are read in id order: every row before ours is read once all of ours are. When some
          // of ours were not (rows added meanwhile outside the app), whether another came first cannot
          // be told, and the import backs out as when one did.
          const readIds = new Set(after.map((item) => item.id));
          beaten = [...firstOf.values()].some((itemId) => !writtenIds.includes(itemId)) || writtenIds.some((itemId) => !readIds.has(itemId));
        } catch (err) {
          const left = await deleteWrittenRows(api, path, written);
          logger.warn({ teamId: team.teamId, written: written.length, left }, 'new patients failed part way; the rows written were deleted again');
          throw err;
        }
        if (beaten) {
          const left = await deleteWrittenRows(api, path, written);
          logger.warn(
            { teamId: team.teamId, written: written.length, left },
            'new patients met others with the same MRNs; their rows were deleted again',
          );
          return refused('mrn_taken');
        }
      }
      const created: ManualPatient[] = rows.map(({ id, data }) => ({ id, ...data, version: 1 }));
      return done(created);
    },
  };
  return ops;
}
