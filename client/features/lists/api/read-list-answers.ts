import type { ListSummary, ListRow as ContractListRow, ListView as ContractListView } from '../../../../contract/lists';
import { t } from '../../../shared/i18n/t';
import { ApiError } from '../../../shared/api/api-client';
import { deceasedOf, recordNoticeOf } from '../../../shared/format';
import { readListFields, type ListField } from '../../../shared/list-fields';

// The server's answers are read into the shapes the tab renders before any component sees them:
// another program's JSON (a newer server, a proxy, a bug) must not take the tab down. What a
// cell holds is checked where it is shown (cells.ts); here, the frame around the cells.

export type { ListSummary };

/**
 * A row of a list as the tab holds it: the contract's row, with its cells as sent (each is checked
 * where it is shown, cells.ts).
 */
export type ListRow = Omit<ContractListRow, 'cells'> & { cells: Record<string, unknown> };

/**
 * A list as the tab holds it: the contract's list, except that `columns` may hold columns this tab
 * does not know and `ehrError` a code it does not know (a newer server's), shown as such.
 */
export type ListView = Omit<ContractListView, 'columns' | 'rows' | 'ehrError' | 'fields'> & {
  columns: string[];
  /** Manual mode: the team's fields, for its `field:<id>` columns (absent for an EHR team's list). */
  fields?: ListField[];
  rows: ListRow[];
  ehrError?: { code: string; message: string };
};

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const textOrNull = (x: unknown): string | null => (typeof x === 'string' ? x : typeof x === 'number' && Number.isFinite(x) ? String(x) : null);

const unreadable = () => new ApiError(200, 'bad_answer', t('api.badAnswer'));

function readRow(raw: unknown): ListRow | null {
  if (!isObject(raw)) return null;
  const patientId = textOrNull(raw.patientId);
  if (!patientId) return null;
  return {
    patientId,
    displayName: textOrNull(raw.displayName),
    ...(typeof raw.sortName === 'string' ? { sortName: raw.sortName } : {}),
    mrn: textOrNull(raw.mrn),
    birthDate: textOrNull(raw.birthDate),
    gender: textOrNull(raw.gender),
    deceased: deceasedOf(raw.deceased),
    recordNotice: recordNoticeOf(raw.recordNotice),
    available: raw.available !== false,
    ...(raw.handEntered === true ? { handEntered: true } : {}),
    // Why a row is not available: only a row the source said is gone counts as gone (an older server's, or an unknown reason, failed).
    ...(raw.available === false ? { unavailable: raw.unavailable === 'gone' ? ('gone' as const) : ('failed' as const) } : {}),
    cells: isObject(raw.cells) ? raw.cells : {},
  };
}

/** A list's own fields (everything but its rows and EHR failure, with `beyondLimit`), as the tab shows them. */
function readHead(raw: Json): Omit<ListView, 'rows' | 'ehrError'> {
  const columns = Array.isArray(raw.columns) ? [...new Set(raw.columns.filter((c): c is string => typeof c === 'string' && c !== ''))] : [];
  return {
    id: textOrNull(raw.id) ?? '',
    name: textOrNull(raw.name) ?? '',
    version: typeof raw.version === 'number' ? raw.version : 0,
    columns: columns.length ? columns : ['name'],
    ...(Array.isArray(raw.fields) ? { fields: readListFields(raw.fields) } : {}),
    // How many more patients the list names than it shows (added outside the app): said above it.
    ...(Number.isSafeInteger(raw.beyondLimit) && (raw.beyondLimit as number) > 0 ? { beyondLimit: raw.beyondLimit as number } : {}),
    // Rows of the list left unread by the server: its count is then a least number.
    ...(raw.rowsUnread === true ? { rowsUnread: true as const } : {}),
  };
}

function readEhrError(raw: unknown): ListView['ehrError'] {
  if (!isObject(raw)) return undefined;
  return { code: typeof raw.code === 'string' && raw.code ? raw.code : 'ehr_error', message: textOrNull(raw.message) ?? '' };
}

/** Rows as they come: unreadable ones left out, and a patient is on a list once (a repeat would only repeat its key). */
function rowCollector() {
  const seen = new Set<string>();
  const rows: ListRow[] = [];
  return {
    rows,
    add(item: unknown): boolean {
      const row = readRow(item);
      if (!row || seen.has(row.patientId)) return false;
      seen.add(row.patientId);
      rows.push(row);
      return true;
    },
  };
}

/** A list with its rows as the tab shows it; an answer that is not a list at all is an error. */
export function readListView(raw: unknown): ListView {
  if (!isObject(raw) || !Array.isArray(raw.rows)) throw unreadable();
  const { rows, add } = rowCollector();
  for (const item of raw.rows) add(item);
  const ehrError = readEhrError(raw.ehrError);
  return { ...readHead(raw), rows, ...(ehrError ? { ehrError } : {}) };
}

/**
 * The list's line-by-line answer (`application/x-ndjson`: `{"list":…}`, `{"row":…}` per row,
 * `{"end":{ehrError?}}`) read as it arrives, with the same checks as readListView. `onRows`
 * gets the list so far whenever a piece of the answer brought new rows. An answer that is cut
 * off (no end line), broken or not a list is an error, whatever rows came before it.
 */
export async function readListStream(body: ReadableStream<Uint8Array>, onRows?: (partial: ListView) => void): Promise<ListView> {
  const reader = body.getReader();
  // `stream: true` keeps a character split between two pieces until its last byte arrives.
  const decoder = new TextDecoder();
  const { rows, add } = rowCollector();
  let head: Omit<ListView, 'rows' | 'ehrError'> | undefined;
  let end: { ehrError?: ListView['ehrError'] } | undefined;
  let pending = '';
  const readLine = (line: string): boolean => {
    if (!line.trim()) return false;
    let item: unknown;
    try {
      item = JSON.parse(line);
    } catch {
      throw unreadable();
    }
    // Nothing may follow the end, and everything needs the list's head first.
    if (!isObject(item) || end) throw unreadable();
    if (!head) {
      if (!isObject(item.list)) throw unreadable();
      head = readHead(item.list);
      return false;
    }
    if ('row' in item) return add(item.row);
    if (!isObject(item.end)) throw unreadable();
    const ehrError = readEhrError(item.end.ehrError);
    end = ehrError ? { ehrError } : {};
    return false;
  };
  const readLines = (text: string): boolean => {
    const lines = (pending + text).split('\n');
    pending = lines.pop()!;
    let added = false;
    for (const line of lines) added = readLine(line) || added;
    return added;
  };
  try {
    for (let piece = await reader.read(); !piece.done; piece = await reader.read()) {
      if (readLines(decoder.decode(piece.value, { stream: true })) && head) onRows?.({ ...head, rows: [...rows] });
    }
  } catch (err) {
    // The rest of an answer that cannot be used is not waited for.
    reader.cancel().catch(() => undefined);
    if (err instanceof ApiError || (err as Error).name === 'AbortError') throw err;
    // The connection broke midway: the list is not whole.
    throw unreadable();
  }
  readLines(decoder.decode() + '\n');
  if (!head || !end) throw unreadable();
  return { ...head, rows, ...end };
}

/** The team's lists; entries without an id are left out. */
export function readListSummaries(raw: unknown): ListSummary[] {
  if (!Array.isArray(raw)) throw unreadable();
  return raw.flatMap((item): ListSummary[] => {
    const id = isObject(item) ? textOrNull(item.id) : null;
    if (!isObject(item) || !id) return [];
    return [
      {
        id,
        name: textOrNull(item.name) ?? id,
        patientCount: typeof item.patientCount === 'number' ? item.patientCount : 0,
        ...(item.rowsUnread === true ? { rowsUnread: true as const } : {}),
        isDefault: item.isDefault === true,
      },
    ];
  });
}
