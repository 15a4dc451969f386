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

// What an empty cell says about itself is shared with the details panel's vital signs.
export { emptyHint, emptyKind, type EmptyKind } from '../../shared/empty-kind';
