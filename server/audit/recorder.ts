import type { NextFunction, Request, Response } from 'express';
import { logger } from '../http/logger.js';
import { requestContext } from '../http/request-context.js';
import type { AuditLog, AuditOperation } from './events.js';

/** Which API calls are audited, and as what. Paths are relative to /api. */
const auditedRoutes: { method: string; path: RegExp; operation: AuditOperation }[] = [
  { method: 'PUT', path: /^\/teams\/(?<team>[^/]+)\/connection\/?$/, operation: 'EHRConnectionSet' },
  { method: 'GET', path: /^\/teams\/(?<team>[^/]+)\/patients\/?$/, operation: 'PatientSearch' },
  { method: 'GET', path: /^\/teams\/(?<team>[^/]+)\/patients\/(?<patient>[^/]+)\/?$/, operation: 'PatientView' },
  { method: 'POST', path: /^\/teams\/(?<team>[^/]+)\/lists\/?$/, operation: 'PatientListCreate' },
  { method: 'GET', path: /^\/teams\/(?<team>[^/]+)\/lists\/(?<list>[^/]+)\/?$/, operation: 'PatientListView' },
  { method: 'POST', path: /^\/teams\/(?<team>[^/]+)\/lists\/(?<list>[^/]+)\/patients\/?$/, operation: 'PatientListAddPatient' },
  {
    method: 'DELETE',
    path: /^\/teams\/(?<team>[^/]+)\/lists\/(?<list>[^/]+)\/patients\/(?<patient>[^/]+)\/?$/,
    operation: 'PatientListRemovePatient',
  },
];

const idLike = (value: unknown): string | null =>
  typeof value === 'string' && /^[A-Za-z0-9\-.]{1,64}$/.test(value) ? value : null;

/** Patients an add request names, one audit record each; none when the body is not a valid list. */
function patientsOf(req: Request, named: string | undefined): (string | null)[] {
  if (named !== undefined) return [idLike(decodeURIComponent(named))];
  const ids = (req.body as { patientIds?: unknown } | undefined)?.patientIds;
  if (!Array.isArray(ids) || !ids.length) return [null];
  const valid = [...new Set(ids.map(idLike))];
  return valid.includes(null) ? [null] : valid;
}

/**
 * Records each audited call once, outcome included, before the response leaves: an answer the
 * caller sees is never without its audit record. Runs after token verification, so refusals by
 * membership, validation or the EHR are recorded as failures.
 */
export function auditRecorder(log: AuditLog) {
  return (req: Request, res: Response, next: NextFunction) => {
    const route = auditedRoutes.find((r) => r.method === req.method && r.path.test(req.path));
    if (!route) return next();
    const groups = route.path.exec(req.path)!.groups ?? {};
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    let recorded = false;
    res.end = ((...args: unknown[]) => {
      if (!recorded) {
        recorded = true;
        try {
          record(log, route.operation, req, res, groups);
        } catch (err) {
          // No acknowledgment without its audit record: drop the connection instead of answering.
          logger.error({ operation: route.operation, err: { name: (err as Error).name } }, 'audit record could not be written');
          req.socket.destroy();
          return res;
        }
      }
      return end(...args);
    }) as Response['end'];
    next();
  };
}

function record(log: AuditLog, operation: AuditOperation, req: Request, res: Response, groups: Record<string, string>): void {
  const { requestId, caller } = requestContext();
  if (!caller) return;
  const status = res.statusCode;
  const base = {
    time: new Date().toISOString(),
    operation,
    outcome: status < 400 ? ('success' as const) : ('failure' as const),
    status,
    tenantId: caller.tenantId,
    teamId: idLike(groups.team),
    userId: caller.userId,
    listId: groups.list ? idLike(groups.list) : ((res.locals.createdListId as string | undefined) ?? null),
    requestId,
  };
  const patients = operation === 'PatientListAddPatient' || groups.patient !== undefined ? patientsOf(req, groups.patient) : [null];
  for (const patientId of patients) log.append({ ...base, patientId });
}
