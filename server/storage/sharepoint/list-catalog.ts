import { defaultColumns, fieldColumn, listColumns, type ListColumn } from '../../../contract/columns.js';
import { filterParam, odataString, type GraphApi, type Rows } from '../../platform/graph/graph-api.js';
import { isStatus } from '../../platform/graph/graph-errors.js';
import { retryOnStaleEtag, type WriteQueue } from './etag-retry.js';
import { guidPattern } from '../../../contract/id-syntax.js';
import { readBounds, tooManyRows } from './read-bounds.js';

/** A patient list's row in "Patients app – lists": its name, columns and version. */
export interface CatalogEntry {
  itemId: string;
  etag: string;
  /** The id of the list's own SharePoint list, which is also the list id the app uses. */
  listId: string;
  name: string;
  columns: ListColumn[];
  version: number;
  /** Deleted in the app, its SharePoint list not yet: when the delete was first tried. */
  deletePendingAt: string | null;
}

export interface ListItem {
  id: string;
  eTag: string;
  fields: Record<string, unknown>;
}

const known = new Set<string>(listColumns);

/** Columns are kept as readable comma-separated keys ("name,mrn,birthDate"). */
export const columnsText = (columns: ListColumn[]) => columns.join(',');

function columnsFrom(value: unknown): ListColumn[] {
  if (typeof value !== 'string') return [...defaultColumns];
  return (
    value
      .split(',')
      .map((c) => c.trim())
      // A Manual-mode team's own fields (`field:<id>`) are columns too; only what is neither is dropped.
      .filter((c): c is ListColumn => known.has(c) || fieldColumn.test(c))
  );
}

function entryOf(item: ListItem): CatalogEntry {
  const f = item.fields;
  return {
    itemId: item.id,
    etag: item.eTag,
    listId: String(f.ListId ?? ''),
    name: String(f.Title ?? ''),
    columns: columnsFrom(f.Columns),
    version: typeof f.Version === 'number' ? f.Version : Number(f.Version ?? 1) || 1,
    deletePendingAt: typeof f.DeletePendingAt === 'string' && f.DeletePendingAt ? f.DeletePendingAt : null,
  };
}

export const byItemId = <T extends { id: string }>(a: T, b: T) => Number(a.id) - Number(b.id);

/**
 * The items of a SharePoint list (`itemsPath`, `…/lists/{id}/items`) whose `field` holds exactly
 * `key`. SharePoint compares text in a `$filter` ignoring case (its databases' collation is
 * case-insensitive, Latin1_General_CI_AS_KS_WS): `fields/PatientId eq 'abc'` also finds the rows of
 * patient "ABC", another patient (FHIR ids are case-sensitive, [A-Za-z0-9\-\.]{1,64}). Every lookup
 * by a key (a patient id, a list id, a user id) goes through here, so that another key's rows are
 * never read, changed, counted or deleted as its own. At most `maxItems` items are read, the first
 * (the lowest item ids), and `more` says whether items were left unread (see readBounds).
 */
export async function itemsWhere(api: GraphApi, itemsPath: string, field: string, key: string, maxItems: number): Promise<Rows<ListItem>> {
  const found = await api.getAll<ListItem>(`${itemsPath}?expand=fields&${filterParam(`fields/${field} eq ${odataString(key)}`)}`, { maxItems });
  return { items: found.items.filter((r) => r.fields[field] === key), more: found.more };
}

/**
 * The rows of an app list whose Title is `title` (a setting), oldest first, of its first `maxItems`
 * rows. Graph serves items in id order, so the first such row is among those read whenever the
 * list has one; when none was read and rows were left unread, whether there is one cannot be
 * told, and the read fails (`what` names the list).
 */
export async function rowsTitled(api: GraphApi, itemsPath: string, title: string, maxItems: number, what: string): Promise<ListItem[]> {
  const read = await api.getAll<ListItem>(`${itemsPath}?expand=fields`, { maxItems });
  const found = read.items.filter((r) => r.fields.Title === title).sort(byItemId);
  if (!found.length && read.more) throw tooManyRows(what);
  return found;
}

/** The catalog of one team site (the "Patients app – lists" list). */
export function listCatalog(api: GraphApi, siteId: string, catalogId: string, queue: WriteQueue) {
  const items = `/sites/${siteId}/lists/${catalogId}/items`;

  const read = async (itemId: string): Promise<CatalogEntry | null> => {
    try {
      return entryOf(await api.get<ListItem>(`${items}/${itemId}?expand=fields`));
    } catch (err) {
      if (isStatus(err, 404)) return null;
      throw err;
    }
  };

  return {
    /**
     * Every entry, oldest first, those pending deletion too (see `deletePendingAt`); a list named
     * by more than one row once, by its first (as `find`). Of the first readBounds.catalog rows:
     * `more` says the catalog holds more (added outside the app), when which lists the team has,
     * and how many, cannot be told.
     */
    async all(): Promise<{ entries: CatalogEntry[]; more: boolean }> {
      const read = await api.getAll<ListItem>(`${items}?expand=fields`, { maxItems: readBounds.catalog });
      const seen = new Set<string>();
      const entries = read.items
        .sort(byItemId)
        .map(entryOf)
        // The app writes a list's Graph id (a GUID) here; a row a member wrote past the app that names
        // anything else (a path into another site, say) is no list of the team's: never read, listed or deleted.
        .filter((e) => guidPattern.test(e.listId))
        .filter((e) => !seen.has(e.listId.toLowerCase()) && seen.add(e.listId.toLowerCase()));
      return { entries, more: read.more };
    },
    async find(listId: string): Promise<CatalogEntry | null> {
      // The first row wins: it is among the first read, whatever rows follow.
      const found = (await itemsWhere(api, items, 'ListId', listId, readBounds.keyedRow)).items;
      const entry = found.length ? entryOf(found.sort(byItemId)[0]) : null;
      return entry && !entry.deletePendingAt ? entry : null;
    },
    read,
    async add(name: string, listId: string, userId: string): Promise<CatalogEntry> {
      const fields = {
        Title: name,
        ListId: listId,
        Columns: columnsText(defaultColumns),
        Version: 1,
        CreatedBy: userId,
        CreatedAt: new Date().toISOString(),
      };
      return entryOf(await api.post<ListItem>(items, { fields }));
    },
    /**
     * Applies `change` to the freshest copy of the entry and writes it with If-Match, again on
     * 412; Version goes up with each write. `change` returns the fields to write or a reason to
     * stop. Null when the entry is gone.
     */
    async change<R>(
      itemId: string,
      change: (current: CatalogEntry) => Record<string, unknown> | { stop: R },
    ): Promise<'changed' | { stop: R } | null> {
      return queue(`${items}/${itemId}`, () =>
        retryOnStaleEtag(async () => {
          const current = await read(itemId);
          if (!current) return null;
          const decided = change(current);
          if ('stop' in decided) return { stop: decided.stop as R };
          try {
            await api.patch(`${items}/${itemId}/fields`, { ...decided, Version: current.version + 1 }, current.etag);
          } catch (err) {
            if (isStatus(err, 404)) return null;
            throw err;
          }
          return 'changed' as const;
        }),
      );
    },
    async remove(itemId: string): Promise<boolean> {
      try {
        await api.delete(`${items}/${itemId}`);
        return true;
      } catch (err) {
        if (isStatus(err, 404)) return false;
        throw err;
      }
    },
  };
}

export type ListCatalog = ReturnType<typeof listCatalog>;
