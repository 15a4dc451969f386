import { AUDIT_READER_ROLE, AUDIT_VIEW_LIMIT, auditColumns, type AuditEvent, type AuditOperation, type AuditQuery } from '../../../contract/audit.js';
import { guidPattern } from '../../../contract/id-syntax.js';
import { toCsv } from '../../platform/csv.js';
import { problem } from '../../platform/problem.js';
import { requestContext } from '../../platform/request-context.js';
import { recordRead } from '../shared/audit-trail.js';
import type { ApiDeps } from '../shared/deps.js';

/** Reading the trail is itself recorded: as an export when it goes out as a file. */
export const readOperation = (format: unknown): AuditOperation => (format === 'csv' ? 'AuditExport' : 'AuditView');

/** A refusal unless the caller holds the audit reader app role. */
export function requireAuditReader(roles: readonly string[]): void {
  if (!roles.includes(AUDIT_READER_ROLE)) throw problem('audit_reader_required', 'Reading the audit trail needs the audit reader role.');
}

/**
 * The audit trail of the caller's tenant, for holders of the audit reader app role, read as the
 * caller takes it (a day can be 100,000 records: never all in memory). The read's own record is
 * committed first, and is not part of what it reads.
 */
export async function readAuditTrail(
  { store }: ApiDeps,
  caller: { tenantId: string; roles: readonly string[] },
  query: AuditQuery,
  limit: number,
): Promise<AsyncIterable<AuditEvent>> {
  requireAuditReader(caller.roles);
  const norm = (t?: string) => (t ? new Date(t).toISOString() : undefined);
  // Team ids are recorded in lower case (a Microsoft 365 group id in any case is the same team).
  const teamId = query.team && guidPattern.test(query.team) ? query.team.toLowerCase() : query.team;
  const records = store.audit.query({
    tenantId: caller.tenantId,
    from: norm(query.from),
    // As given: the store reads `to` to the end of its stated precision (audit-range.ts).
    to: query.to,
    teamId,
    userId: query.user,
    patientId: query.patient,
    operation: query.operation,
    limit,
  });
  // The trail holds ids, not patient data: a read of it is one record. A patient's trail tells who
  // cared for them, so a deliberate read of it (a CSV export, or JSON asked for more than a
  // screenful) names the patient and the team it was filtered by, and the patient's own trail
  // shows who took it. A screenful does not: the tab asks again as a filter is typed, and "p",
  // "pa", "pat" are no patients.
  const deliberate = query.format === 'csv' || (query.limit ?? 0) > AUDIT_VIEW_LIMIT;
  const filtered = deliberate ? { patientIds: query.patient ? [query.patient] : [], teamId: teamId ?? null } : {};
  await recordRead(store.audit, readOperation(query.format), filtered);
  const { requestId } = requestContext();
  return withoutRequest(records, requestId);
}

async function* withoutRequest(records: AsyncIterable<AuditEvent>, requestId: string): AsyncGenerator<AuditEvent> {
  for await (const record of records) if (record.requestId !== requestId) yield record;
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

/** The opening and closing of the JSON answer `{"events":[…]}` around its records; `more` when the limit left some out. */
export const auditJson = {
  open: '{"events":[',
  records: (events: AuditEvent[], first: boolean) => (first ? '' : ',') + events.map((e) => JSON.stringify(e)).join(','),
  close: (more: boolean) => (more ? '],"more":true}' : ']}'),
};
