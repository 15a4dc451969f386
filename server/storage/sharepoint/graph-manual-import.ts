import { randomUUID } from 'node:crypto';
import type { ManualPatient } from '../../../contract/manual.js';
import { logger } from '../../platform/logger.js';
import { done, type TeamStore } from '../ports.js';
import type { OpenTeam } from './graph-lists.js';
import { fieldsOf } from './graph-manual.js';
import type { ListItem } from './list-catalog.js';

/**
 * An import's patients in the team's site. SharePoint has no transaction over list rows, so the
 * rows are written one after another, in file order (the roster keeps the order rows were
 * added), and when one fails the rows already written are deleted again before the error goes
 * back: the import did not happen, and no audit record names it. Should a delete fail as well
 * (Graph down mid-way), those rows stay on the roster, where the owner sees them; the failure is
 * logged with counts only, and the answer is an error, never a success, so nothing acknowledged
 * is lost.
 */
export function graphManualImportOps(open: OpenTeam): Pick<TeamStore, 'createManualPatients'> {
  return {
    async createManualPatients(team, patients, userId) {
      if (!patients.length) return done([]);
      const { api, site } = await open(team);
      const path = `/sites/${site.siteId}/lists/${(await site.appList('manualPatients', true))!}/items`;
      const at = new Date().toISOString();
      const written: string[] = [];
      const created: ManualPatient[] = [];
      try {
        for (const data of patients) {
          const id = randomUUID();
          const item = await api.post<ListItem>(path, { fields: { ...fieldsOf(data), PatientId: id, Version: 1, CreatedBy: userId, CreatedAt: at } });
          written.push(item.id);
          created.push({ id, ...data, version: 1 });
        }
      } catch (err) {
        let left = 0;
        for (const itemId of written.reverse()) {
          await api.delete(`${path}/${itemId}`).catch(() => left++);
        }
        logger.warn({ teamId: team.teamId, written: written.length, left }, 'an import failed part way; the rows written were deleted again');
        throw err;
      }
      return done(created);
    },
  };
}
