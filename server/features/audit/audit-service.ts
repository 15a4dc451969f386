import { AUDIT_READER_ROLE, auditColumns, type AuditEvent, type AuditOperation, type AuditQuery } from '../../../contract/audit.js';
import { toCsv } from '../../platform/csv.js';
import { problem } from '../../platform/problem.js';
import { recordRead } from '../shared/audit-trail.js';
import type { ApiDeps } from '../shared/deps.js';

/** Reading the trail is itself recorded: as an export when it goes out as a file. */
export const readOperation = (format: unknown): AuditOperation => (format === 'csv' ? 'AuditExport' : 'AuditView');

/** A refusal unless the caller holds the audit reader app role. */
export function requireAuditReader(roles: readonly string[]): void {
  if (!roles.includes(AUDIT_READER_ROLE)) throw problem('audit_reader_required', 'Reading the audit trail needs the audit reader role.');
}

/** The audit trail of the caller's tenant, for holders of the audit reader app role. */
export function readAuditTrail({ store }: ApiDeps, caller: { tenantId: string; roles: readonly string[] }, query: AuditQuery): AuditEvent[] {
  requireAuditReader(caller.roles);
  const norm = (t?: string) => (t ? new Date(t).toISOString() : undefined);
  const events = store.audit.query({
    tenantId: caller.tenantId,
    from: norm(query.from),
    to: norm(query.to),
    userId: query.user,
    patientId: query.patient,
    operation: query.operation,
    limit: query.limit,
  });
  // The trail holds ids, not patient data: a read of it is one record, whatever it was filtered by.
  recordRead(store.audit, readOperation(query.format));
  return events;
}

/** The records as CSV, a column each. */
export const auditCsv = (events: AuditEvent[]): string =>
  toCsv(
    [...auditColumns],
    events.map((e) => auditColumns.map((c) => e[c])),
  );
