import type { AuditEvent, AuditOperation } from '../../../contract/audit.js';
import { fhirIdPattern } from '../../../contract/id-syntax.js';
import type { AuditLog } from '../../storage/ports.js';
import { requestContext, type DeclaredAudit } from '../../platform/request-context.js';
import type { AuditOf } from '../../storage/ports.js';

/** Ids in audit records are checked for shape: a record never holds free text from a request. */
export const idLike = (value: unknown): string | null => (typeof value === 'string' && fhirIdPattern.test(value) ? value : null);

export interface AuditDetails {
  /** The patients read or changed: one record each (none: one record without a patient). */
  patientIds?: readonly string[];
  listId?: string | null;
  /** The team the records are about, where the route names none (a read of the audit trail filtered by team). */
  teamId?: string | null;
  status?: number;
}

function declared(): DeclaredAudit {
  const audit = requestContext().audit;
  if (!audit) throw new Error('this route declared no audit operation');
  return audit;
}

function events(
  operation: AuditOperation,
  outcome: AuditEvent['outcome'],
  details: AuditDetails,
  who: { tenantId: string; userId: string },
): AuditEvent[] {
  const { requestId } = requestContext();
  const audit = declared();
  const base = {
    time: new Date().toISOString(),
    operation,
    outcome,
    status: details.status ?? 200,
    tenantId: who.tenantId,
    teamId: details.teamId === undefined ? audit.teamId : idLike(details.teamId),
    userId: who.userId,
    listId: details.listId === undefined ? audit.listId : idLike(details.listId),
    requestId,
  };
  const patients = details.patientIds?.length ? [...new Set(details.patientIds)].map(idLike) : [audit.patientId];
  return patients.map((patientId) => ({ ...base, patientId }));
}

/** The patients the refusal about to be thrown names in its answer: its records name them, one record each. */
export function refusalNames(patientIds: Iterable<string>): void {
  declared().refusalPatientIds = [...patientIds];
}

/** Names what the call turned out to be once the use case knows (e.g. creating or updating a schema), for its records either way. */
export function redeclare(...operations: AuditOperation[]): void {
  declared().operations = operations;
}

/** The records of a successful use case, for the verified caller. */
function succeeded(operation: AuditOperation, details: AuditDetails = {}): AuditEvent[] {
  const { caller } = requestContext();
  if (!caller) throw new Error('audit records need a verified caller');
  declared().recorded = true;
  return events(operation, 'success', details, caller);
}

/** Records a read of patient data (or of the audit trail): await it before the answer goes out. */
export async function recordRead(log: AuditLog, operation: AuditOperation, details: AuditDetails = {}): Promise<void> {
  await log.append(...succeeded(operation, details));
}

/** For a store change: its records, made from its result, commit with it (see TeamStore). */
export function onCommit<T>(operation: AuditOperation, details: (result: T) => AuditDetails = () => ({})): AuditOf<T> {
  return (result) => succeeded(operation, details(result));
}

/** Several records from one change (e.g. a rename and new columns in one call). */
export function allOf<T>(...parts: AuditOf<T>[]): AuditOf<T> {
  return (result) => parts.flatMap((part) => part(result));
}

/**
 * A call that failed before its use case recorded anything: one failure record per declared
 * operation, for the verified caller or (401) the tenant and user the refused token claims.
 */
export async function recordRefusal(log: AuditLog, status: number): Promise<void> {
  const context = requestContext();
  const audit = context.audit;
  if (!audit || audit.recorded) return;
  const who = context.caller ?? audit.claimed;
  if (!who) return;
  audit.recorded = true;
  const patientIds = audit.refusalPatientIds;
  await log.append(...audit.operations.flatMap((operation) => events(operation, 'failure', { status, patientIds }, who)));
}
