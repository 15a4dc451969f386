import { z } from 'zod';
import { fieldIssue } from './manual-issues.js';

/**
 * Importing Manual-mode patients from an Excel (.xlsx) or CSV file, owners only, in three steps:
 * the file is sent as it is (`POST …/manual-import/file`, `application/octet-stream`, its name in
 * `X-File-Name`) and the server answers its columns, a proposed mapping and an upload token; the
 * owner's mapping gives a preview with every row's problems (`…/preview`); `…/confirm` imports the
 * rows in one change of the store.
 */

/** The largest file accepted, and the most rows (below the header) it may hold. */
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 10_000;

/** The built-in fields a column can be mapped to; a team field is `field:<id>`. */
export const importBuiltIns = ['name', 'mrn', 'birthDate', 'gender', 'room'] as const;

/** One column of the file mapped to a field (`name`, `mrn`…, or `field:<id>`). */
export const importMapping = z.array(z.object({ target: z.string().min(1).max(60), column: z.string().min(1).max(200) }).strict()).max(60);
export type ImportMapping = z.infer<typeof importMapping>;

/** The answer to an uploaded file: what it holds, and the mapping proposed from its column names. */
export const importFileAnswer = z.object({
  token: z.string(),
  fileName: z.string(),
  columns: z.array(z.string()),
  rowCount: z.number().int().min(0),
  mapping: importMapping,
});
export type ImportFileAnswer = z.infer<typeof importFileAnswer>;

/** `POST …/manual-import/preview`: the upload and the owner's mapping. */
export const importPreviewBody = z.object({ token: z.string().min(1).max(100), mapping: importMapping }).strict();
export type ImportPreviewBody = z.infer<typeof importPreviewBody>;

/** A row of the file with its problems in plain words (its number as the file shows it). */
export const importRow = z.object({
  row: z.number().int().min(1),
  name: z.string(),
  mrn: z.string().nullable(),
  problems: z.array(z.string()),
  /** The same problems as codes, for the tab to say them in the user's language. */
  issues: z.array(fieldIssue).optional(),
});
export type ImportRow = z.infer<typeof importRow>;

/** Every row, in file order, and how many can be imported. */
export const importPreviewAnswer = z.object({ rows: z.array(importRow), valid: z.number().int().min(0), invalid: z.number().int().min(0) });
export type ImportPreviewAnswer = z.infer<typeof importPreviewAnswer>;

/**
 * `POST …/manual-import/confirm`: `valid` imports the rows without problems and lists the others;
 * `all` imports only when every row is valid, and nothing otherwise.
 */
export const importConfirmBody = z.object({ token: z.string().min(1).max(100), mapping: importMapping, mode: z.enum(['valid', 'all']) }).strict();
export type ImportConfirmBody = z.infer<typeof importConfirmBody>;

/** What was imported (in one change), and the rows left out with their problems. */
export const importConfirmAnswer = z.object({ imported: z.number().int().min(0), skipped: z.array(importRow) });
export type ImportConfirmAnswer = z.infer<typeof importConfirmAnswer>;
