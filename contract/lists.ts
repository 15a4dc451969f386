import { z } from 'zod';
import { sharedText } from './shared-text.js';
import { rowCells } from './cells.js';
import { listColumns } from './columns.js';
import { errorCode } from './errors.js';
import { fhirId, uuid } from './ids.js';
import { deceasedValue, recordNotice } from './patients.js';
import { schemaFieldShape } from './manual.js';

/** A column as answers carry it: a built-in one or `field:<id>`. */
export const listColumn = z.union([z.enum(listColumns), z.templateLiteral(['field:', z.string()])]);

/** A list's name as given: trimmed, 1..200 characters. */
export const listName = sharedText(200, 'must be at most 200 characters');

/** `POST /api/teams/{teamId}/lists`. */
export const createListBody = z.object({ name: listName }).strict();
export type CreateListBody = z.infer<typeof createListBody>;

/**
 * `PATCH /api/teams/{teamId}/lists/{listId}`: a new name, new columns, or both; `version` (or
 * `If-Match`) is the version the caller read. Columns are checked against the team's mode and
 * Manual-mode schema by the server.
 */
export const patchListBody = z
  .object({ name: listName.optional(), columns: z.array(z.string().max(200)).max(200).optional(), version: z.number().int().min(1).optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.columns !== undefined, 'give a name or columns to change');
export type PatchListBody = z.infer<typeof patchListBody>;

/** `POST /api/teams/{teamId}/lists/{listId}/patients`: duplicates are ignored. */
/** The most patients one addition may name. */
export const MAX_PATIENTS_PER_ADDITION = 500;
export { MAX_PATIENTS_PER_LIST } from './plain-constants.js';
/** The most lists one team keeps. */
export const MAX_LISTS_PER_TEAM = 100;
export const addPatientsBody = z
  .object({ patientIds: z.array(fhirId).min(1, 'must name at least one patient').max(MAX_PATIENTS_PER_ADDITION) })
  .strict();
export type AddPatientsBody = z.infer<typeof addPatientsBody>;

/** `POST /api/teams/{teamId}/lists/{listId}/patients/{patientId}/move`. */
export const movePatientBody = z.object({ toListId: uuid }).strict();
export type MovePatientBody = z.infer<typeof movePatientBody>;

/** `PUT /api/teams/{teamId}/me/default-list`. */
export const defaultListBody = z.object({ listId: uuid }).strict();
export type DefaultListBody = z.infer<typeof defaultListBody>;

/**
 * Set when a list's SharePoint list holds more rows than the server reads (added outside the app,
 * far past MAX_PATIENTS_PER_LIST): counts are then of the rows read, so the list names at least
 * that many patients. Absent otherwise.
 */
const rowsUnread = z.literal(true).optional();

/** One of the team's lists, with its patient count and whether it is the caller's default. */
export const listSummary = z.object({
  id: z.string(),
  name: z.string(),
  patientCount: z.number().int().min(0),
  /** `patientCount` is then a least number (see rowsUnread). */
  rowsUnread,
  isDefault: z.boolean(),
});
export type ListSummary = z.infer<typeof listSummary>;

/** `GET /api/teams/{teamId}/lists`: the team's lists, oldest first (an array, not an object). */
export const listsAnswer = z.array(listSummary);
export type ListsAnswer = z.infer<typeof listsAnswer>;

/** One patient of a list: the summary fields, and a cell for each other column. */
export const listRow = z.object({
  patientId: z.string(),
  displayName: z.string().nullable(),
  /** "Family, Given" for sorting by name (see patientSummary); absent from older servers and Manual rows. */
  sortName: z.string().optional(),
  mrn: z.string().nullable(),
  birthDate: z.string().nullable(),
  gender: z.string().nullable(),
  /** Patient.deceased[x] (see patientSummary): null or absent when alive. */
  deceased: deceasedValue.nullable().optional(),
  /** A replaced or inactive record (see patientSummary): null or absent when the record is in use. */
  recordNotice: recordNotice.nullable().optional(),
  /** False when the EHR (or the Manual-mode roster) could not give this patient. */
  available: z.boolean(),
  /** On a row the EHR cannot give: true when it is a patient the team entered by hand in Manual mode before it linked the EHR. */
  handEntered: z.boolean().optional(),
  /**
   * On a row that is not available, why: `gone` when the team's source said the patient is not
   * there (the EHR answered not found or deleted, the Manual roster no longer has them, or they
   * were entered by hand before the team linked the EHR); `failed` when it could not tell (the EHR
   * did not answer, timed out, failed or refused). Only `gone` rows may be removed in bulk.
   * Absent on available rows (and from older servers: read as `failed`).
   */
  unavailable: z.enum(['gone', 'failed']).optional(),
  cells: rowCells,
});
export type ListRow = z.infer<typeof listRow>;

/** `GET /api/teams/{teamId}/lists/{listId}` (also the answer of a PATCH and of adding patients). */
export const listView = z.object({
  id: z.string(),
  name: z.string(),
  columns: z.array(listColumn),
  version: z.number().int().min(1),
  rows: z.array(listRow),
  /**
   * Manual mode only: the team's own fields, so the tab can offer, head, show and sort their
   * `field:<id>` columns. A `field:<id>` column whose id is not here is a field since removed.
   */
  fields: z.array(schemaFieldShape).optional(),
  /** Set when the EHR could not be read: rows then carry ids only. */
  ehrError: z.object({ code: errorCode, message: z.string() }).optional(),
  /**
   * How many more patients the list names than it shows: rows added outside the app (in
   * SharePoint) past MAX_PATIENTS_PER_LIST. The rows are its first MAX_PATIENTS_PER_LIST patients,
   * the first added; the others are not read. Absent when the list is within the limit.
   */
  beyondLimit: z.number().int().min(1).optional(),
  /**
   * The list's SharePoint list holds more rows than the server reads: the rows are still its first
   * patients, `beyondLimit` (when set) counts those past the limit among the rows read, and more
   * may follow. Absent otherwise.
   */
  rowsUnread,
});
export type ListView = z.infer<typeof listView>;

/** `POST …/patients/{patientId}/move`. */
export const moveAnswer = z.object({ fromListId: z.string(), toListId: z.string(), patientId: z.string() });
export type MoveAnswer = z.infer<typeof moveAnswer>;

/** `PUT /api/teams/{teamId}/me/default-list`. */
export const defaultListAnswer = z.object({ listId: z.string() });
export type DefaultListAnswer = z.infer<typeof defaultListAnswer>;
