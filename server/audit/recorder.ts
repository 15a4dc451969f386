import type { NextFunction, Request, Response } from 'express';
import { logger } from '../http/logger.js';
import { requestContext, type RequestContext } from '../http/request-context.js';
import type { AuditLog, AuditOperation } from './events.js';

type Body = Record<string, unknown> | undefined;
type Locals = Record<string, unknown>;
const team = '/teams/(?<team>[^/]+)';
const list = `${team}/lists/(?<list>[^/]+)`;
const route = (method: string, path: string, operations: AuditOperation | ((body: Body, locals: Locals) => AuditOperation[])) => ({
  method,
  path: new RegExp(`^${path}/?$`),
  operations: typeof operations === 'string' ? () => [operations] : operations,
});

/** Which API calls are audited, and as what (paths relative to /api). One call may be two actions. */
const auditedRoutes = [
  route('PUT', `${team}/connection`, 'EHRConnectionSet'),
  route('GET', `${team}/patients`, 'PatientSearch'),
  route('GET', `${team}/patients/(?<patient>[^/]+)`, 'PatientView'),
  route('GET', `${team}/patients/(?<patient>[^/]+)/details`, 'PatientView'),
  route('POST', `${team}/patients/(?<patient>[^/]+)/notes`, 'PatientNoteAdd'),
  route('POST', `${team}/lists`, 'PatientListCreate'),
  route('GET', list, 'PatientListView'),
  route('PATCH', list, (body) => {
    const ops: AuditOperation[] = [];
    if (body?.name !== undefined) ops.push('PatientListRename');
    if (body?.columns !== undefined) ops.push('PatientListEditColumns');
    return ops.length ? ops : ['PatientListRename'];
  }),
  route('DELETE', list, 'PatientListDelete'),
  route('GET', `${list}/export.csv`, 'ExportInitiation'),
  route('POST', `${list}/patients`, 'PatientListAddPatient'),
  route('DELETE', `${list}/patients/(?<patient>[^/]+)`, 'PatientListRemovePatient'),
  route('POST', `${list}/patients/(?<patient>[^/]+)/move`, 'PatientListMovePatient'),
  route('PUT', `${team}/me/default-list`, 'PatientListSetDefault'),
  route('PUT', `${team}/schema`, (_body, locals) => [locals.schemaCreated === false ? 'PatientSchemaUpdate' : 'PatientSchemaCreate']),
  route('POST', `${team}/manual-patients`, 'PatientDetailsEdit'),
  route('PATCH', `${team}/manual-patients/(?<patient>[^/]+)`, 'PatientDetailsEdit'),
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
 * Records each audited call once, outcome included, when its status line is written and before
 * any byte of the answer leaves: an answer the caller sees is never without its audit record.
 * A streamed answer (a list view) is recorded when it starts. Runs after token verification, so
 * refusals by membership, validation or the EHR are recorded as failures.
 */
export function auditRecorder(log: AuditLog) {
  return (req: Request, res: Response, next: NextFunction) => {
    const audited = auditedRoutes.find((r) => r.method === req.method && r.path.test(req.path));
    if (!audited) return next();
    const groups = audited.path.exec(req.path)!.groups ?? {};
    const context = requestContext();
    // Node writes the status line through writeHead, also when end() or write() does it implicitly.
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
    let recorded = false;
    res.writeHead = ((...args: unknown[]) => {
      if (!recorded) {
        recorded = true;
        if (typeof args[0] === 'number') res.statusCode = args[0];
        // The body is parsed by now, or undefined when it was refused as malformed.
        const operations = audited.operations(req.body as Body, res.locals);
        try {
          for (const operation of operations) record(log, context, operation, req, res, groups);
        } catch (err) {
          // No acknowledgment without its audit record: drop the connection instead of answering.
          logger.error({ operations, err: { name: (err as Error).name } }, 'audit record could not be written');
          req.socket.destroy();
          return res;
        }
      }
      return writeHead(...args);
    }) as Response['writeHead'];
    next();
  };
}

function record(
  log: AuditLog,
  { requestId, caller }: RequestContext,
  operation: AuditOperation,
  req: Request,
  res: Response,
  groups: Record<string, string>,
): void {
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
    listId: idLike(groups.list ?? res.locals.createdListId ?? (req.body as Body)?.listId),
    requestId,
  };
  const created = typeof res.locals.createdPatientId === 'string' ? [res.locals.createdPatientId] : null;
  const patients = created ?? (operation === 'PatientListAddPatient' || groups.patient !== undefined ? patientsOf(req, groups.patient) : [null]);
  for (const patientId of patients) log.append({ ...base, patientId });
}
