import { AUDIT_READER_ROLE, AUDIT_VIEW_LIMIT, auditColumns, type AuditEvent, type AuditOperation, type AuditQuery } from '../../../contract/audit.js';
import { fhirIdPattern, guidPattern } from '../../../contract/id-syntax.js';
import { toCsv } from '../../platform/csv.js';
import { CodedError, Problem, problem } from '../../platform/problem.js';
import { requestContext } from '../../platform/request-context.js';
import { idLike, recordRead, refusalNames } from '../shared/audit-trail.js';
import type { ApiDeps } from '../shared/deps.js';
import { continuationToken, continuedKey, notAToken, type TrailFilters } from './audit-token.js';

/**
 * A team or user filter as the trail keeps it: team and user ids are Microsoft 365 group and Entra
 * object ids, GUIDs that mean the same in any letter case, and the trail holds them in lower case
 * (a team's as its path is normalized, a user's as Entra writes `oid`). Anything else is as given.
 */
function guidInLowerCase<T extends string | undefined>(id: T): T {
  return (id !== undefined && guidPattern.test(id) ? id.toLowerCase() : id) as T;
}

/** Reading the trail is itself recorded: as an export when it goes out as a file. */
export const readOperation = (format: unknown): AuditOperation => (format === 'csv' ? 'AuditExport' : 'AuditView');

/** A refusal unless the caller holds the audit reader app role. */
export function requireAuditReader(roles: readonly string[]): void {
  if (!roles.includes(AUDIT_READER_ROLE)) throw problem('audit_reader_required', 'Reading the audit trail needs the audit reader role.');
}

/** A read of the trail: its records as the caller takes them, and the token that continues after any of them. */
export interface AuditRead {
  records: AsyncIterable<AuditEvent>;
  /** The continuation token (`next`) of a read with the same filters after `record`, one of `records`. */
  nextAfter(record: AuditEvent): string;
}

/**
 * The audit trail of the caller's tenant, for holders of the audit reader app role, read as the
 * caller takes it (a day can be 100,000 records: never all in memory), after the record its
 * continuation token (`after`) names. The read's own record is committed first, before any record
 * is given, and is not part of what it reads; a refused token is refused before it, as a bad
 * filter is. The store is asked for the first record before the read is recorded (whether a read
 * filtered by a patient id gives any record decides whether its record names the patient,
 * deliberateRead); a store that fails on it refuses the read, as a store down when it is recorded does.
 */
export async function readAuditTrail(
  { store }: ApiDeps,
  caller: { tenantId: string; roles: readonly string[] },
  query: AuditQuery,
  limit: number,
): Promise<AuditRead> {
  requireAuditReader(caller.roles);
  // A deliberate read of a patient's trail (deliberateRead) refused from here on (a continuation
  // token of other filters, the store down) is recorded as an attempt on it, naming the patient.
  const deliberate = deliberateRead(query);
  if (deliberate && query.patient) refusalNames([query.patient]);
  const { requestId } = requestContext();
  const norm = (t?: string) => (t ? new Date(t).toISOString() : undefined);
  const teamId = guidInLowerCase(query.team);
  const filters: TrailFilters = {
    tenantId: caller.tenantId,
    from: norm(query.from),
    // As given: the store reads `to` to the end of its stated precision (audit-range.ts).
    to: query.to,
    teamId,
    userId: guidInLowerCase(query.user),
    patientId: query.patient,
    operation: query.operation,
  };
  if (query.after !== undefined && query.format === 'csv')
    throw new Problem(
      'validation_failed',
      'after continues a JSON read of the audit trail; a CSV export has every matching record and is never paged.',
      ['after'],
    );
  const after = query.after === undefined ? undefined : continuedKey(query.after, filters);
  // The store tells each record's key just before it gives the record.
  const keys = new WeakMap<AuditEvent, string>();
  let key = '';
  const records = queryOrRefuse(() => store.audit.query({ ...filters, limit, after, onKey: (k) => (key = k) }))[Symbol.asyncIterator]();
  // The first record the caller would be given, taken before the read is recorded (deliberateRead).
  const first = await firstOf(records, requestId, () => key);
  // The trail holds ids, not patient data: a read of it is one record. A patient's trail tells who
  // cared for them, so a read of it names the patient and the team it was filtered by, and the
  // patient's own trail shows who took it: a deliberate read, or any that gives a record of the
  // patient (a screenful can be the whole trail). One that gives nothing (a part of an id) names no one.
  const named = deliberate || (Boolean(query.patient) && first !== undefined);
  const filtered = named ? { patientIds: query.patient ? [query.patient] : [], teamId: teamId ?? null } : {};
  // Refused from here on (the store down for the read's record), it is an attempt on that trail.
  if (named && query.patient) refusalNames([query.patient]);
  try {
    await recordRead(store.audit, readOperation(query.format), filtered);
  } catch (error) {
    await records.return?.().catch(() => undefined);
    throw error;
  }
  return {
    records: withoutRequest(first, records, requestId, (record, at = key) => keys.set(record, at)),
    nextAfter(record) {
      const at = keys.get(record);
      if (at === undefined) throw new Error('a continuation token after a record this read did not give');
      return continuationToken(filters, at);
    },
  };
}

/** The store's read; a key it does not know (a token made elsewhere, with a valid check) is refused now, before the read is recorded. */
function queryOrRefuse(query: () => AsyncIterable<AuditEvent>): AsyncIterable<AuditEvent> {
  try {
    return query();
  } catch (error) {
    if (error instanceof CodedError && error.code === 'validation_failed') throw notAToken();
    throw error;
  }
}

/** A record the store gave, with the key it told just before giving it. */
interface Keyed {
  record: AuditEvent;
  key: string;
}

/**
 * The first record of the store's read that is not the read's own (undefined: none), taken before
 * the read is recorded. A key the store refuses only once it reads is refused as queryOrRefuse
 * refuses it; any other failure of the store refuses the read as it is (a 503 for a store down):
 * nothing was recorded as given yet, so it is recorded as a failure, naming a patient only when
 * the read was deliberate (deliberateRead: refusalNames).
 */
async function firstOf(records: AsyncIterator<AuditEvent>, requestId: string, keyOf: () => string): Promise<Keyed | undefined> {
  try {
    for (;;) {
      const next = await records.next();
      if (next.done) return undefined;
      if (next.value.requestId !== requestId) return { record: next.value, key: keyOf() };
    }
  } catch (error) {
    await records.return?.().catch(() => undefined);
    if (error instanceof CodedError && error.code === 'validation_failed') throw notAToken();
    throw error;
  }
}

/** The records given: `first` (taken before the read was recorded), then the rest, without the read's own record. */
async function* withoutRequest(
  first: Keyed | undefined,
  rest: AsyncIterator<AuditEvent>,
  requestId: string,
  given: (record: AuditEvent, key?: string) => void,
): AsyncGenerator<AuditEvent> {
  try {
    if (!first) return;
    given(first.record, first.key);
    yield first.record;
    for (;;) {
      const next = await rest.next();
      if (next.done) return;
      if (next.value.requestId === requestId) continue;
      given(next.value);
      yield next.value;
    }
  } finally {
    await rest.return?.();
  }
}

const header = [...auditColumns];
const opening = toCsv(header, []);

/** The records as CSV, a column each; `first` chunk with the byte order mark and header, later ones rows only. */
export const auditCsv = (events: AuditEvent[], first = true): string => {
  const csv = toCsv(
    header,
    events.map((e) => auditColumns.map((c) => e[c])),
  );
  return first ? csv : csv.slice(opening.length);
};

/**
 * What a CSV read with a `limit` ends with when the limit left records out (JSON says `more`): a
 * last row a spreadsheet shows, its words in the first column and the other columns empty, so the
 * file never passes for the whole trail. A file without it holds every matching record.
 */
export const AUDIT_CSV_MORE = 'More records match beyond the limit: this file is not the whole trail. Narrow the filters or raise the limit.';
export const auditCsvClose = (more: boolean): string =>
  more ? toCsv(header, [[AUDIT_CSV_MORE, ...header.slice(1).map(() => '')]]).slice(opening.length) : '';

/**
 * The opening and closing of the JSON answer `{"events":[…]}` around its records; `more` when
 * the limit left some out, with `next`, the token that continues after the last record given.
 */
export const auditJson = {
  open: '{"events":[',
  records: (events: AuditEvent[], first: boolean) => (first ? '' : ',') + events.map((e) => JSON.stringify(e)).join(','),
  close: (more: boolean, next?: string) => (more ? `],"more":true${next === undefined ? '' : `,"next":${JSON.stringify(next)}`}}` : ']}'),
};

/**
 * A read of the trail someone meant to take whole: a CSV export, JSON asked for more than a
 * screenful, or a page continued with `after` (paging through it). It names the patient it is
 * filtered by whatever it gives, and so does a refusal of it (nameAttemptedTrail).
 *
 * The first screenful of a filter is not: the tab asks as the filter is typed ("p", "pa", "pat" are
 * no patients), and naming each would fill that patient's trail with the auditor's own reads, so
 * that a patient with no record never reads as one. But a screenful can be a patient's whole trail,
 * and moving `from` forward pages through the rest: a screenful that gives any record of the
 * patient filtered by names the patient too (readAuditTrail). Only one that gives
 * nothing (a part of an id, a patient with no record in the range) names no one.
 */
function deliberateRead(query: { format?: string; limit?: number; after?: string }): boolean {
  return query.format === 'csv' || (query.limit ?? 0) > AUDIT_VIEW_LIMIT || query.after !== undefined;
}

/**
 * Whether a request's raw query (as sent, before it is checked) asks for a deliberate read
 * (deliberateRead): a CSV export, a `limit` over a screenful, or a page continued with `after`.
 * A screenful refused before it is read names no patient: nothing tells yet whether it would
 * give any record of one.
 */
export function deliberateRawQuery(query: Record<string, unknown>): boolean {
  const limit = typeof query.limit === 'string' ? Number(query.limit) : 0;
  return query.format === 'csv' || limit > AUDIT_VIEW_LIMIT || query.after !== undefined;
}

/**
 * A deliberate read of the trail (an export, a link to one, more than a screenful, a page
 * continued) is an attempt on what it is filtered by however it ends: called first in the route,
 * before the caller's role is checked, so every refusal of it (no audit role 403, a bad filter
 * 400, …) names the patient the request names and the team it was filtered by, as its success
 * does. The raw values are taken as sent, each checked for shape only (a patient id in the
 * project's id syntax, a team id as a GUID in lower case): an ill-formed one names no one. A
 * refusal before the route's own step (a token refused, 401; 429) names no patient: an unsigned
 * claim never writes into a patient's trail. A refused first screenful of a filter names no
 * patient (it read nothing to tell whether the id is one); given, it names the patient when it
 * gives any record of theirs (deliberateRead).
 */
export function nameAttemptedTrail(filters: { patient?: unknown; team?: unknown }): void {
  const patient = typeof filters.patient === 'string' && fhirIdPattern.test(filters.patient) ? filters.patient : undefined;
  if (patient !== undefined) refusalNames([patient]);
  const audit = requestContext().audit;
  if (audit && typeof filters.team === 'string') audit.teamId = idLike(guidInLowerCase(filters.team));
}
