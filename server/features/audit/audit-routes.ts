import { auditQuery } from '../../../contract/audit.js';
import { caller } from '../../platform/request-context.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';
import { auditCsv, readAuditTrail, readOperation, requireAuditReader } from './audit-service.js';

/** The audit trail of the caller's tenant, for holders of the audit reader app role. */
export function auditRoutes(ep: Endpoints, deps: ApiDeps): void {
  ep.get('/audit', { audit: (req) => [readOperation(req.query.format)], access: 'caller' }, async (req, res) => {
    const who = caller();
    // The role first: a caller without it learns nothing from the query's checks.
    requireAuditReader(who.roles);
    const query = auditQuery.parse(req.query);
    const events = readAuditTrail(deps, who, query);
    if (query.format === 'csv') {
      res.type('text/csv; charset=utf-8').attachment('audit.csv');
      res.send(auditCsv(events));
    } else {
      res.json({ events });
    }
  });
}
