import { fieldColumn, listColumns, maxListColumns, type ListColumn } from '../../../contract/columns.js';
import type { ConnectionMode } from '../../../contract/connection.js';
import type { SchemaField } from '../../../contract/manual.js';
import { Problem } from '../../platform/problem.js';

const builtInColumns: ReadonlySet<string> = new Set(listColumns);

/** A team's connection mode, as the store gives it. */
export type TeamMode = ConnectionMode;

/** A field of the team's Manual-mode schema, as far as columns care. */
export type ColumnField = Pick<SchemaField, 'id' | 'label'>;

/**
 * Checks the columns a list is to show against the team's mode and Manual-mode schema: the
 * reasons they do not fit, in plain words and naming each column as it was sent, or null.
 *
 * - Built-in columns are accepted in every mode; the EHR-only clinical ones (vital signs,
 *   conditions…) are accepted in Manual mode too and show there as "not offered", so a list kept
 *   through a change of mode can still be edited.
 * - `field:<id>` is accepted only in Manual mode and only for an id of the team's schema.
 * - Anything else is an unknown column; the list must keep at least one column and repeat none.
 */
export function columnProblems(columns: readonly string[], mode: TeamMode, fields: readonly ColumnField[]): string | null {
  const problems: string[] = [];
  if (columns.length === 0) problems.push('A list must keep at least one column.');
  if (columns.length > maxListColumns) problems.push(`A list can show at most ${maxListColumns} columns.`);
  const fieldIds = new Map(fields.map((f) => [f.id, f.label]));
  const seen = new Set<string>();
  for (const column of columns) {
    if (typeof column !== 'string') {
      problems.push('Every column must be given by its name, as text.');
      continue;
    }
    const shown = quote(column);
    if (seen.has(column)) {
      problems.push(`The column ${shown} is given more than once.`);
      continue;
    }
    seen.add(column);
    if (builtInColumns.has(column)) continue;
    if (!column.startsWith('field:')) {
      problems.push(`Unknown column ${shown}: a list can show ${listColumns.join(', ')}, or field:<id> for a field of a Manual-mode team.`);
    } else if (mode !== 'manual') {
      problems.push(
        `Unknown column ${shown}: team fields are columns in Manual mode only, and this team ${mode === 'ehr' ? 'is connected to an EHR' : 'is not set up yet'}. Remove the column.`,
      );
    } else if (!fieldColumn.test(column) || !fieldIds.has(column.slice(6))) {
      const known = [...fieldIds].map(([id, label]) => `field:${id} (${label})`);
      problems.push(
        `Unknown column ${shown}: ${known.length ? `this team's own fields are ${known.join(', ')}` : 'this team has no fields of its own yet'}.`,
      );
    }
  }
  return problems.length ? problems.join(' ') : null;
}

/** `columnProblems` as a 400 `validation_failed`; the columns, typed, when they fit. */
export function checkColumns(columns: readonly string[], mode: TeamMode, fields: readonly ColumnField[]): ListColumn[] {
  const problem = columnProblems(columns, mode, fields);
  if (problem) throw new Problem('validation_failed', problem);
  return columns as ListColumn[];
}

/** A column as the user sent it, in quotes, cut short and with control characters made visible. */
function quote(column: string): string {
  const cut = column.length > 60 ? `${column.slice(0, 60)}…` : column;
  return `“${cut.replace(/\p{Cc}/gu, '?')}”`;
}
