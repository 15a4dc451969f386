import { z } from 'zod';
import { auditOperations } from './audit-operations.js';

// Plain constants live apart, so the tab can use them without loading zod.
export * from './audit-operations.js';

/** One audit record. Ids only: never names, values or other clinical data. */
export const auditEvent = z.object({
  time: z.string(),
  operation: z.enum(auditOperations),
  outcome: z.enum(['success', 'failure']),
  /** HTTP status the caller got. */
  status: z.number().int(),
  tenantId: z.string(),
  teamId: z.string().nullable(),
  userId: z.string(),
  patientId: z.string().nullable(),
  listId: z.string().nullable(),
  requestId: z.string(),
});
export type AuditEvent = z.infer<typeof auditEvent>;

/** The columns of the audit trail's CSV, in order. */
export const auditColumns = ['time', 'operation', 'outcome', 'status', 'tenantId', 'teamId', 'userId', 'patientId', 'listId', 'requestId'] as const;

const timeMessage =
  'must be an ISO 8601 time with its zone, e.g. 2026-11-23T08:00:00Z or 2026-11-23T08:00+01:00, or a date (a UTC day), e.g. 2026-11-23';
/**
 * The instants an audit time may name, in UTC: years 0000 to 9999. Records are kept, compared and
 * keyed as UTC ISO text of four-digit years; a time past the end of 9999 in UTC (9999-12-31T23:59
 * at a zone west of UTC) would be written with a six-digit year ("+010000-…"), which sorts before
 * every record and turns a `from` or `to` around.
 */
const FIRST_INSTANT = Date.parse('0000-01-01T00:00:00.000Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

/** To the second or finer, or to the minute, with its zone; or a date: `to` covers the whole of what it states (server/storage/audit-range.ts). */
const isoTime = z
  .union([z.iso.datetime({ offset: true }), z.iso.datetime({ offset: true, precision: -1 }), z.iso.date()], { error: timeMessage })
  .refine((time) => Date.parse(time) >= FIRST_INSTANT && Date.parse(time) <= LAST_INSTANT, {
    error: 'must be a time from the year 0000 to 9999 in UTC',
  });

/** Records a JSON read of the trail gives when it names no `limit` (a screenful; the answer says when there are more). */
export const AUDIT_VIEW_LIMIT = 5_000;
/** The most records one read gives: a CSV export without a `limit` gives every record up to this. */
export const AUDIT_MAX_LIMIT = 1_000_000;

/** The longest continuation token (`after`) taken: the tokens given are under 100 characters. */
export const AUDIT_TOKEN_MAX = 512;

/**
 * `GET /api/audit?from=&to=&team=&user=&patient=&operation=&format=json|csv&limit=&after=`: oldest first,
 * `from` and `to` both inclusive, `to` up to the end of its stated precision (`…T09:11:58Z` takes
 * in the whole second, `…T09:11:58.3Z` the tenth; with milliseconds it is exact). The answer is
 * streamed, so an export may be large (a busy day is about 100,000 records). Without a `limit`,
 * JSON gives the first AUDIT_VIEW_LIMIT and says `more` when there are more; CSV gives every
 * record, and an export past AUDIT_MAX_LIMIT is cut off without its end (the download fails)
 * rather than passing as complete. CSV with a `limit` that left records out ends with a row
 * saying so (its words in the first column), as JSON says `more`. A read cut off after it started
 * is recorded as a failure after its success record.
 *
 * Paging: a JSON answer that says `more` also gives `next`, an opaque continuation token; the
 * same query again with `after=<next>` (any `limit`) gives the records after the last one
 * returned, so reading page by page gives every matching record exactly once, in order, even
 * when many share a millisecond (a `from` of the last record's time would repeat them; a
 * millisecond later would skip them). The last page has no `next`. A token is bound to the
 * tenant and to the filters it continues (`from`, `to`, `team`, `user`, `patient`,
 * `operation`; `from` as the instant it names, in any zone, a team or user GUID in any letter
 * case, the others as given): with other filters, malformed, altered, or with `format=csv` (an
 * export is never paged: it has every record) it is refused, 400 `validation_failed` naming
 * `after`, before anything is read (the refused read is recorded, as any refused read is). It names the last record's place in the
 * trail (its time, sequence and, on Azure Table Storage, the instance that wrote it), never a
 * patient or a filter's value; it is no secret and grants nothing: the read is the caller's
 * own, with the caller's filters.
 */
export const auditQuery = z
  .object({
    from: isoTime.optional(),
    to: isoTime.optional(),
    team: z.string().min(1).max(100).optional(),
    user: z.string().min(1).max(100).optional(),
    patient: z.string().min(1).max(64).optional(),
    operation: z.enum(auditOperations).optional(),
    format: z.enum(['json', 'csv']).default('json'),
    limit: z.coerce.number().int().min(1).max(AUDIT_MAX_LIMIT).optional(),
    /** The `next` of the previous page's answer, as it was given (see above). */
    after: z.string().min(1).max(AUDIT_TOKEN_MAX).optional(),
  })
  .strict();
export type AuditQuery = z.infer<typeof auditQuery>;

/**
 * `POST /api/audit/export`: the filters of a CSV download. The answer (contract/exports.ts
 * `exportLinkAnswer`) is a link with a single-use ticket, opened without a Bearer token, as a
 * list's download is: Teams on the web, desktop and mobile cannot save a blob link.
 */
export const auditExportBody = auditQuery.pick({ from: true, to: true, team: true, user: true, patient: true, operation: true }).strict();
export type AuditExportBody = z.infer<typeof auditExportBody>;

/**
 * `GET /api/audit` as JSON (as CSV, the same records in `auditColumns`): `more` when the limit
 * left matching records out, and then `next`, the token that continues after the last of
 * `events` (pass it as `after`).
 */
export const auditAnswer = z.object({
  events: z.array(auditEvent),
  more: z.literal(true).optional(),
  next: z.string().min(1).max(AUDIT_TOKEN_MAX).optional(),
});
export type AuditAnswer = z.infer<typeof auditAnswer>;
