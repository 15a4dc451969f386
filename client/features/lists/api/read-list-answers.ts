import type { ListSummary, ListRow as ContractListRow, ListView as ContractListView } from '../../../../contract/lists';
import { t } from '../../../shared/i18n/t';
import { ApiError } from '../../../shared/api/api-client';
import { deceasedOf } from '../../../shared/format';

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
export type ListView = Omit<ContractListView, 'columns' | 'rows' | 'ehrError'> & {
  columns: string[];
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
    available: raw.available !== false,
    cells: isObject(raw.cells) ? raw.cells : {},
  };
}

/** A list with its rows as the tab shows it; an answer that is not a list at all is an error. */
export function readListView(raw: unknown): ListView {
  if (!isObject(raw) || !Array.isArray(raw.rows)) throw unreadable();
  const columns = Array.isArray(raw.columns) ? [...new Set(raw.columns.filter((c): c is string => typeof c === 'string' && c !== ''))] : [];
  const seen = new Set<string>();
  const rows: ListRow[] = [];
  for (const item of raw.rows) {
    const row = readRow(item);
    // A patient is on a list once; a repeated row would only repeat its key.
    if (row && !seen.has(row.patientId)) {
      seen.add(row.patientId);
      rows.push(row);
    }
  }
  const ehrError = isObject(raw.ehrError)
    ? {
        code: typeof raw.ehrError.code === 'string' && raw.ehrError.code ? raw.ehrError.code : 'ehr_error',
        message: textOrNull(raw.ehrError.message) ?? '',
      }
    : undefined;
  return {
    id: textOrNull(raw.id) ?? '',
    name: textOrNull(raw.name) ?? '',
    version: typeof raw.version === 'number' ? raw.version : 0,
    columns: columns.length ? columns : ['name'],
    rows,
    ...(ehrError ? { ehrError } : {}),
  };
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
        isDefault: item.isDefault === true,
      },
    ];
  });
}
