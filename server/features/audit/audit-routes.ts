import type { Request } from 'express';
import { z } from 'zod';
import { AUDIT_READER_ROLE, auditOperations } from '../../../contract/audit.js';
import { recordRead } from '../shared/audit-trail.js';
import { toCsv } from '../../platform/csv.js';
import { problem } from '../../platform/problem.js';
import { caller } from '../../platform/request-context.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';

const isoTime = z.string().datetime({ offset: true, message: 'must be an ISO 8601 time, e.g. 2026-11-23T08:00:00Z' });
const auditQuery = z
  .object({
    from: isoTime.optional(),
    to: isoTime.optional(),
    user: z.string().min(1).max(100).optional(),
    patient: z.string().min(1).max(64).optional(),
    operation: z.enum(auditOperations).optional(),
    format: z.enum(['json', 'csv']).default('json'),
    limit: z.coerce.number().int().min(1).max(50_000).default(5_000),
  })
  .strict();

const columns = ['time', 'operation', 'outcome', 'status', 'tenantId', 'teamId', 'userId', 'patientId', 'listId', 'requestId'] as const;

/** Reading the trail is itself recorded: as an export when it goes out as a file. */
const readOperation = (req: Request) => (req.query.format === 'csv' ? ('AuditExport' as const) : ('AuditView' as const));

/** The audit trail of the caller's tenant, for holders of the audit reader app role. */
export function auditRoutes(ep: Endpoints, { store }: ApiDeps): void {
  ep.get('/audit', { audit: (req) => [readOperation(req)], access: 'caller' }, async (req, res) => {
    const { tenantId, roles } = caller();
    if (!roles.includes(AUDIT_READER_ROLE)) throw problem('audit_reader_required', 'Reading the audit trail needs the audit reader role.');
    const q = auditQuery.parse(req.query);
    const norm = (t?: string) => (t ? new Date(t).toISOString() : undefined);
    const events = store.audit.query({
      tenantId,
      from: norm(q.from),
      to: norm(q.to),
      userId: q.user,
      patientId: q.patient,
      operation: q.operation,
      limit: q.limit,
    });
    // The trail holds ids, not patient data: a read of it is one record, whatever it was filtered by.
    recordRead(store.audit, readOperation(req));
    if (q.format === 'csv') {
      res.type('text/csv; charset=utf-8').attachment('audit.csv');
      res.send(
        toCsv(
          [...columns],
          events.map((e) => columns.map((c) => e[c])),
        ),
      );
    } else {
      res.json({ events });
    }
  });
}
