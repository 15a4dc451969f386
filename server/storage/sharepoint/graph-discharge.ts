import type { ManualPatient, ManualPatientData } from '../../../contract/manual.js';
import type { Discharge, DischargedPatient } from '../../../contract/manual-discharge.js';
import { isStatus } from '../../platform/graph/graph-errors.js';
import { DischargeStopped, done, refused, type DischargeResult, type Outcome, type TeamKey, type TeamStore } from '../ports.js';
import { retryOnStaleEtag } from './etag-retry.js';
import type { OpenTeam } from './graph-lists.js';
import { patientOf, rosterRows, versionOf } from './graph-manual.js';
import { readBounds, tooManyRows } from './read-bounds.js';
import { byItemId, itemsWhere, type ListItem } from './list-catalog.js';
import { SEAL_COLUMN, type RowSealer } from './row-seal.js';
import { rowOf as sealedRow, sealedFields, unverifiedAuthor } from './sealed-lists.js';

type DischargeOps = Pick<TeamStore, 'dischargeManualPatient' | 'readmitManualPatient' | 'getDischargedPatients'>;
type ListOps = Pick<TeamStore, 'listLists' | 'removePatient'>;

const dischargeOf = (item: ListItem): Discharge | null =>
  item.fields.DischargedAt
    ? {
        at: new Date(String(item.fields.DischargedAt)).toISOString(),
        byId: String(item.fields.DischargedBy ?? ''),
        byName: String(item.fields.DischargedByName ?? ''),
      }
    : null;

/**
 * The discharge as a user is shown it: who discharged the patient only when the app vouches for it
 * (its seal, sealed-lists.ts), else no one, with why.
 */
function attributedDischarge(team: TeamKey, sealer: RowSealer, item: ListItem): Discharge | null {
  const discharge = dischargeOf(item);
  if (!discharge) return null;
  const state = sealer.check(sealedRow(team, 'discharge', String(item.fields.PatientId ?? '')), sealedFields.discharge, item);
  if (state === 'sealed') return discharge;
  const unverified = unverifiedAuthor(state);
  return { ...discharge, byId: '', byName: unverified.name, byUnverified: unverified.reason };
}

/**
 * Discharge in the team's site: the patient's row in "– manual patients" gets who and when
 * (If-Match on its version), and the patient's rows leave every patient list. Graph has no
 * transactions, so the lists are swept before the row is marked and once more after it: a
 * discharge that stops half-way leaves an admitted patient off some lists, which a second
 * discharge finishes, and an add racing the discharge is swept too.
 *
 * Why the sweep comes before the mark (and not after): an admitted patient on no list is a state
 * the team may be in anyway, and one a second discharge (the patient is still admitted, so the
 * app offers it) finishes; a discharged patient left on a list could not be swept by anything
 * (a second discharge is refused, and the list shows them as gone). What a discharge that stops
 * half-way (a failed mark, a refused one, a failed removal) did stands, and fails the call as a
 * DischargeStopped naming it, so the removals made are recorded, not only the call's failure.
 */
export function graphDischargeOps(open: OpenTeam, lists: ListOps): DischargeOps {
  const itemsOf = async (team: TeamKey) => {
    const { api, site, sealer } = await open(team);
    const listId = await site.appList('manualPatients', false);
    return listId ? { api, sealer, path: `/sites/${site.siteId}/lists/${listId}/items` } : null;
  };
  const rowOf = async (team: TeamKey, id: string) => {
    const items = await itemsOf(team);
    if (!items) return null;
    // A patient is one row: the first wins.
    const [row] = (await itemsWhere(items.api, items.path, 'PatientId', id, readBounds.keyedRow)).items.sort(byItemId);
    return row ? { items, row } : null;
  };
  /** Takes the patient off every list of the team, adding to `removed` each list they were taken off as it happens. */
  const sweep = async (team: TeamKey, id: string, removed: string[]): Promise<void> => {
    for (const list of await lists.listLists(team)) {
      if ((await lists.removePatient(team, list.id, id)).ok && !removed.includes(list.id)) removed.push(list.id);
    }
  };
  /** Sets the discharge on the patient's row, or clears it with the values kept, against the version the caller read. */
  const mark = async (team: TeamKey, id: string, discharge: Discharge | null, expectedVersion?: number, values?: ManualPatientData['values']) => {
    const found = await rowOf(team, id);
    if (!found) return refused('not_found');
    const { items, row } = found;
    return retryOnStaleEtag(async (): Promise<Outcome<ManualPatient, 'not_found' | 'conflict'>> => {
      let current: ListItem;
      try {
        current = await items.api.get<ListItem>(`${items.path}/${row.id}?expand=fields`);
      } catch (err) {
        if (isStatus(err, 404)) return refused('not_found');
        throw err;
      }
      if ((dischargeOf(current) === null) === (discharge === null)) return refused('not_found');
      const version = versionOf(current);
      if (expectedVersion !== undefined && expectedVersion !== version) return refused('conflict');
      const marked = items.sealer.sealed(sealedRow(team, 'discharge', String(current.fields.PatientId ?? '')), sealedFields.discharge, {
        PatientId: current.fields.PatientId,
        DischargedAt: discharge?.at ?? null,
        DischargedBy: discharge?.byId ?? null,
        DischargedByName: discharge?.byName ?? null,
      });
      await items.api.patch(
        `${items.path}/${row.id}/fields`,
        {
          DischargedAt: marked.DischargedAt,
          DischargedBy: marked.DischargedBy,
          DischargedByName: marked.DischargedByName,
          [SEAL_COLUMN]: marked[SEAL_COLUMN],
          ...(values ? { Values: JSON.stringify(values) } : {}),
          Version: version + 1,
        },
        current.eTag,
      );
      return done({ ...patientOf(current), ...(values ? { values } : {}), version: version + 1 });
    });
  };

  return {
    async dischargeManualPatient(team, id, discharge, expectedVersion) {
      const found = await rowOf(team, id);
      if (!found || dischargeOf(found.row)) return refused('not_found');
      if (expectedVersion !== undefined && expectedVersion !== versionOf(found.row)) return refused('conflict');
      const removedFromLists: string[] = [];
      const made: { patient?: DischargedPatient } = {};
      // Whatever stops the discharge once something was changed fails it as a DischargeStopped naming the changes.
      const stopped = (cause: unknown) =>
        removedFromLists.length || made.patient
          ? new DischargeStopped({ removedFromLists: [...removedFromLists], patient: made.patient }, cause)
          : cause;
      let marked: Outcome<ManualPatient, 'not_found' | 'conflict'>;
      try {
        await sweep(team, id, removedFromLists);
        marked = await mark(team, id, discharge, expectedVersion);
      } catch (error) {
        throw stopped(error);
      }
      // Refused (changed or discharged meanwhile): with lists already swept, the refusal is the cause of a stopped discharge.
      if (!marked.ok) {
        if (removedFromLists.length) throw stopped(marked);
        return marked;
      }
      const patient: DischargedPatient = { ...marked.value, discharged: discharge };
      made.patient = patient;
      try {
        await sweep(team, id, removedFromLists);
      } catch (error) {
        throw stopped(error);
      }
      return done({ patient, removedFromLists } satisfies DischargeResult);
    },

    async readmitManualPatient(team, id, values, expectedVersion) {
      return mark(team, id, null, expectedVersion, values);
    },

    async getDischargedPatients(team, ids) {
      const items = await itemsOf(team);
      if (!items) return [];
      const seen = new Set<string>();
      const held = await rosterRows(items);
      // Part of the discharged patients would be shown as all of them, and one asked for may be among the rows unread.
      if (held.more) throw tooManyRows('Manual patients list');
      const all = held.items.sort(byItemId).flatMap((item): DischargedPatient[] => {
        const discharged = attributedDischarge(team, items.sealer, item);
        const patient = patientOf(item);
        if (!discharged || seen.has(patient.id)) return [];
        seen.add(patient.id);
        return [{ ...patient, discharged }];
      });
      const wanted = ids ? all.filter((p) => ids.includes(p.id)) : all;
      return wanted.sort((a, b) => b.discharged.at.localeCompare(a.discharged.at));
    },
  };
}
