import { unavailableReasons, type UnavailableReason } from '../../../contract/plain-constants';
import type { MessageKey } from '../../shared/i18n/en';
import { lookupTable } from '../../../contract/lookup-table';

/**
 * How the list table lays its columns out: which ones sort, how wide a cell may grow, and what an
 * empty cell says about itself. Pure, so the rules are tested without a browser.
 */

/**
 * Columns whose values have no order a clinician could use: each cell is a set of entries
 * (conditions, allergies, medications) or free text (the latest note), so sorting would only
 * order them by whichever entry or word happens to come first. Their headers are not sort buttons.
 */
const unordered: ReadonlySet<string> = new Set(['conditions', 'allergies', 'medications', 'latestNote']);

/** Whether a column's header sorts the rows (the Actions column is never a data column, so never sorts). */
export const isSortableColumn = (column: string) => !unordered.has(column);

/** The widest any text cell grows; longer text is cut with an ellipsis and shown whole in a tooltip and the details. */
export const TEXT_MAX_WIDTH = 280;

// Narrower caps for short values, so a new list's columns (name, MRN, birth date, gender) fit a
// 740-pixel Teams pane; a value wider than its cap is cut, never the row's layout.
const maxWidths: Record<string, number> = lookupTable({
  mrn: 140,
  birthDate: 200,
  gender: 100,
  admissionDate: 140,
  heartRate: 200,
  bloodPressure: 200,
  respiratoryRate: 200,
  temperature: 200,
  spo2: 200,
  weight: 200,
  height: 200,
  bmi: 200,
  location: 220,
});

/** The widest a cell of `column` grows, in pixels. */
export const columnMaxWidth = (column: string) => maxWidths[column] ?? TEXT_MAX_WIDTH;

/** Why a cell is empty: "none recorded", or "not available" for one of the contract's reasons, or a value the tab could not read. */
export type EmptyKind = 'none' | UnavailableReason | 'unreadable';

const isReason = (x: unknown): x is UnavailableReason => typeof x === 'string' && (unavailableReasons as readonly string[]).includes(x);

/**
 * What kind of empty a shown cell is, from its status and the cell as sent: null for a cell with
 * data. A "not available" cell names the reason it carries; one whose value the tab could not
 * read (an unknown shape, an unknown column) is `unreadable`.
 */
export function emptyKind(status: 'ok' | 'none' | 'unavailable', sent: unknown): EmptyKind | null {
  if (status === 'ok') return null;
  if (status === 'none') return 'none';
  const reason = typeof sent === 'object' && sent !== null && 'reason' in sent ? sent.reason : undefined;
  return (sent as { status?: unknown } | null)?.status === 'unavailable' && isReason(reason) ? reason : 'unreadable';
}

/** The sentence that explains an empty cell on hover or focus. */
export const emptyHint = (kind: EmptyKind): MessageKey => `cellHint.${kind}`;
