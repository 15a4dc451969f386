import {
  fieldValueShape,
  mrnKey,
  type ManualPatient,
  type ManualPatientData,
  type ManualSchema,
  type SchemaField,
} from '../../../contract/manual.js';
import { logger } from '../../platform/logger.js';
import { done, refused, type Outcome, type TeamStore } from '../ports.js';
import type { GraphApi } from '../../platform/graph/graph-api.js';
import { GraphRequestFailed, isStatus } from '../../platform/graph/graph-errors.js';
import type { OpenTeam } from './graph-lists.js';
import { byItemId, itemsWhere, rowsTitled, type ListItem } from './list-catalog.js';
import { readBounds, tooManyRows } from './read-bounds.js';
import { retryOnStaleEtag } from './etag-retry.js';
import type { RowSealer } from './row-seal.js';
import { rowOf, sealedFields } from './sealed-lists.js';

type ManualOps = Pick<TeamStore, 'getSchema' | 'setSchema' | 'updateManualPatient' | 'getManualPatients'>;
type Team = Parameters<OpenTeam>[0];
type Items = { api: GraphApi; path: string; sealer: RowSealer };

const SCHEMA = 'Manual schema';
const genders = new Set(['male', 'female', 'other', 'unknown']);
const textOrNull = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
export const versionOf = (item: ListItem) => Number(item.fields.Version ?? 1) || 1;
/** A discharged patient's row keeps its data, with who discharged them and when (graph-discharge.ts). */
const admitted = (item: ListItem) => !item.fields.DischargedAt;

/**
 * A patient's stored Values column as values: an object of text, numbers, yes/no and persons, as
 * the app writes it. A member may rewrite the column in SharePoint: anything else there (null, a
 * text, an array, a nested object) is left out, so one row can neither fail a list nor make the
 * patient impossible to edit. Keys are kept as own properties only.
 */
function storedValues(text: unknown): ManualPatientData['values'] {
  let parsed: unknown;
  try {
    parsed = typeof text === 'string' && text ? JSON.parse(text) : {};
  } catch {
    return {};
  }
  const values: ManualPatientData['values'] = {};
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return values;
  for (const [key, value] of Object.entries(parsed)) {
    const kept = fieldValueShape.safeParse(value);
    if (kept.success) Object.defineProperty(values, key, { value: kept.data, enumerable: true, writable: true, configurable: true });
  }
  return values;
}

export function patientOf(item: ListItem): ManualPatient {
  const f = item.fields;
  const values = storedValues(f.Values);
  const gender = textOrNull(f.Gender);
  return {
    id: String(f.PatientId),
    name: String(f.Title ?? ''),
    mrn: textOrNull(f.Mrn),
    birthDate: textOrNull(f.BirthDate),
    gender: gender && genders.has(gender) ? (gender as ManualPatientData['gender']) : null,
    room: textOrNull(f.Room),
    values,
    version: versionOf(item),
  };
}

/** A patient's columns in the team's list (also written by an import, graph-manual-import.ts). */
export const fieldsOf = (data: ManualPatientData) => ({
  Title: data.name,
  Mrn: data.mrn,
  BirthDate: data.birthDate,
  Gender: data.gender,
  Room: data.room,
  Values: JSON.stringify(data.values),
});

/** The roster's rows, admitted and discharged, up to readBounds.roster; `more` when there are more (added outside the app). */
export const rosterRows = (items: { api: GraphApi; path: string }) =>
  items.api.getAll<ListItem>(`${items.path}?expand=fields`, { maxItems: readBounds.roster });

/**
 * Manual mode in the team's site: the schema is a row of "Patients app – settings", each
 * patient a row of "Patients app – manual patients" with readable columns. Both carry a Version
 * that goes up with each write, made with If-Match so that a stale expected version is refused.
 * The schema is an owner's: its row carries the app's seal (sealed-lists.ts), and one without a
 * valid seal is not used (the team reads as having no schema yet, which an owner saves again).
 */
export function graphManualOps(open: OpenTeam): ManualOps {
  const itemsOf = async (team: Team, kind: 'settings' | 'manualPatients', create: boolean): Promise<Items | null> => {
    const { api, site, sealer } = await open(team);
    const listId = await site.appList(kind, create);
    return listId ? { api, path: `/sites/${site.siteId}/lists/${listId}/items`, sealer } : null;
  };
  const schemaRows = (items: Items) => rowsTitled(items.api, items.path, SCHEMA, readBounds.settings, 'settings list');
  const trusted = (team: Team, items: Items, row: ListItem) =>
    items.sealer.check(rowOf(team, 'settings', SCHEMA), sealedFields.settings, row) === 'sealed';
  // A patient is one row: the first wins.
  const patientRows = async (items: Items, id: string) => (await itemsWhere(items.api, items.path, 'PatientId', id, readBounds.keyedRow)).items;

  return {
    async getSchema(team) {
      const items = await itemsOf(team, 'settings', false);
      const [row] = items ? await schemaRows(items) : [];
      if (!items || !row) return null;
      if (!trusted(team, items, row)) {
        logger.warn({ teamId: team.teamId }, 'the manual schema in the team site has no valid seal of the app; reading it as not set');
        return null;
      }
      let fields: SchemaField[] = [];
      try {
        const parsed: unknown = JSON.parse(String(row.fields.Value ?? '[]'));
        fields = Array.isArray(parsed) ? (parsed as SchemaField[]) : [];
      } catch {
        logger.warn({ teamId: team.teamId }, 'the manual schema in the team site is not valid JSON; reading it as empty');
      }
      return { fields, version: versionOf(row) };
    },

    async setSchema(team, fields, expectedVersion) {
      const items = (await itemsOf(team, 'settings', true))!;
      const value = JSON.stringify(fields);
      return retryOnStaleEtag(async (): Promise<Outcome<ManualSchema, 'conflict'>> => {
        const [current] = await schemaRows(items);
        // A row not sealed by the app is no schema (getSchema): an owner's save replaces it, from version 0.
        const version = current && trusted(team, items, current) ? versionOf(current) : 0;
        if (expectedVersion !== undefined && expectedVersion !== version) return refused('conflict');
        // Every sealed field is written, so that none left from an edit outside the app spoils the seal.
        const row = (v: number) =>
          items.sealer.sealed(rowOf(team, 'settings', SCHEMA), sealedFields.settings, {
            Title: SCHEMA,
            Value: value,
            Version: v,
            UpdatedBy: null,
            UpdatedAt: new Date().toISOString(),
          });
        if (current) {
          await items.api.patch(`${items.path}/${current.id}/fields`, row(version + 1), current.eTag);
          return done({ fields, version: version + 1 });
        }
        // The first schema: two first writers can both add a row; the older row wins.
        const created = await items.api.post<ListItem>(items.path, { fields: row(1) });
        // Written: a read that cannot tell whether it came first deletes it again (best effort) before the save fails,
        // unless a later save has changed it since (If-Match): that save's success stands on it.
        const [first] = await schemaRows(items).catch(async (err: unknown) => {
          await items.api.delete(`${items.path}/${created.id}`, created.eTag).catch(() => undefined);
          throw err;
        });
        if (first && first.id !== created.id) {
          await items.api.delete(`${items.path}/${created.id}`);
          if (expectedVersion !== undefined) return refused('conflict');
          throw new GraphRequestFailed(412, 'preconditionFailed', 'another first schema was written');
        }
        return done({ fields, version: 1 });
      });
    },

    async updateManualPatient(team, id, data, expectedVersion) {
      const items = await itemsOf(team, 'manualPatients', false);
      const [row] = items ? (await patientRows(items, id)).sort(byItemId) : [];
      if (!items || !row) return refused('not_found');
      return retryOnStaleEtag(async (): Promise<Outcome<ManualPatient, 'not_found' | 'conflict' | 'mrn_taken'>> => {
        let current: ListItem;
        try {
          current = await items.api.get<ListItem>(`${items.path}/${row.id}?expand=fields`);
        } catch (err) {
          if (isStatus(err, 404)) return refused('not_found');
          throw err;
        }
        if (!admitted(current)) return refused('not_found');
        const version = versionOf(current);
        if (expectedVersion !== undefined && expectedVersion !== version) return refused('conflict');
        // A new MRN must be no other row's, before the write and after it (no transactions, no unique
        // column that compares as mrnKey does): a row holding it by then means this change is undone.
        const mrn = mrnKey(data.mrn);
        const claims = mrn !== null && mrn !== mrnKey(current.fields.Mrn);
        const othersHolding = async () => {
          const held = await rosterRows(items);
          // Rows beyond a read (added outside the app) may hold it: whether they do cannot be told.
          return held.more || held.items.some((item) => item.id !== row.id && mrnKey(item.fields.Mrn) === mrn);
        };
        if (claims && (await othersHolding())) return refused('mrn_taken');
        const written = await items.api.patch<{ '@odata.etag'?: string }>(
          `${items.path}/${row.id}/fields`,
          { ...fieldsOf(data), Version: version + 1 },
          current.eTag,
        );
        if (claims) {
          // Back to the row as it was, unless changed again since (If-Match): that change stands on this one.
          const undo = () =>
            items.api
              .patch(`${items.path}/${row.id}/fields`, { ...fieldsOf(patientOf(current)), Version: version }, written['@odata.etag'])
              .catch(() => logger.warn({ teamId: team.teamId }, 'an MRN change that met another could not be undone: the row changed again'));
          let taken: boolean;
          try {
            taken = await othersHolding();
          } catch (err) {
            await undo();
            throw err;
          }
          if (taken) {
            await undo();
            return refused('mrn_taken');
          }
        }
        return done({ id, ...data, version: version + 1 });
      });
    },

    async getManualPatients(team, ids) {
      const items = await itemsOf(team, 'manualPatients', false);
      if (!items) return [];
      const held = await rosterRows(items);
      // Part of the roster would be shown as all of it, and a patient asked for may be among the rows unread.
      if (held.more) throw tooManyRows('Manual patients list');
      const all = held.items.filter(admitted).sort(byItemId).map(patientOf);
      const seen = new Set<string>();
      const unique = all.filter((p) => !seen.has(p.id) && seen.add(p.id));
      return ids ? unique.filter((p) => ids.includes(p.id)) : unique;
    },
  };
}
