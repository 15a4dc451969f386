import type { AuditEvent, AuditOperation } from '../../../contract/audit.js';
import { fhirIdPattern } from '../../../contract/id-syntax.js';
import type { AuditLog } from '../../storage/ports.js';
import { logger } from '../../platform/logger.js';
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

/**
 * The list a call names in its body rather than in its path (the default list chosen): its
 * records name that list whatever becomes of the call, so a refused choice (a list of another
 * team, one deleted) shows which list was tried, as its success does. A value not shaped as an
 * id names none (idLike).
 */
export function bodyNamesList(listId: unknown): void {
  declared().listId = idLike(listId);
}

/**
 * An operation the call would also have made, on another list (a move's addition to the list it
 * joins): a refusal records it there too, so that list's trail shows the attempt.
 */
export function refusalAlso(operation: AuditOperation, listId: string): void {
  (declared().refusalAlso ??= []).push({ operation, listId });
}

/** Names what the call turned out to be once the use case knows (e.g. creating or updating a schema), for its records either way. */
export function redeclare(...operations: AuditOperation[]): void {
  declared().operations = operations;
}

/** The records of a successful use case, for the verified caller; kept, so a failure of the call after them is recorded too. */
function succeeded(operation: AuditOperation, details: AuditDetails = {}): AuditEvent[] {
  const audit = declared();
  audit.recorded = true;
  const made = events(operation, 'success', details, verifiedCaller());
  (audit.succeeded ??= []).push(...made);
  return made;
}

function verifiedCaller(): { tenantId: string; userId: string } {
  const { caller } = requestContext();
  if (!caller) throw new Error('audit records need a verified caller');
  return caller;
}

/**
 * The records of a read about to be given: successes, or, when the caller already went away
 * (the answer's connection closed before it was written), failures with CLIENT_CLOSED_REQUEST:
 * a read is a success only for a caller still there to be given it.
 */
function given(log: AuditLog, operation: AuditOperation, details: AuditDetails): AuditEvent[] {
  const audit = declared();
  audit.log ??= log;
  if (audit.clientGone) return notGiven(operation, details);
  const made = succeeded(operation, details);
  (audit.readsGiven ??= []).push(...made);
  return made;
}

/** The failure records (CLIENT_CLOSED_REQUEST) of a read whose caller went away before it could be given. */
function notGiven(operation: AuditOperation, details: AuditDetails): AuditEvent[] {
  const audit = declared();
  audit.recorded = true;
  const made = events(operation, 'failure', { ...details, status: CLIENT_CLOSED_REQUEST }, verifiedCaller());
  (audit.notGiven ??= []).push(...made);
  return made;
}

/** Records a read of patient data (or of the audit trail): await it before the answer goes out. */
export async function recordRead(log: AuditLog, operation: AuditOperation, details: AuditDetails = {}): Promise<void> {
  await log.append(...given(log, operation, details));
}

/**
 * Records what an answer tells whatever becomes of the call: a refusal that names the team's
 * patients (an import's rows "already in the team") gives the caller that much, so it is a read of
 * them, recorded as such, and not turned into a failure when the call is refused. A caller already
 * gone is given nothing: then it is a read not given (CLIENT_CLOSED_REQUEST), as any other.
 */
export async function recordDisclosure(log: AuditLog, operation: AuditOperation, details: AuditDetails): Promise<void> {
  const gone = declared().clientGone;
  await log.append(...(gone ? notGiven(operation, details) : events(operation, 'success', details, verifiedCaller())));
}

/** Patients a read could not give, and the HTTP status of why (the EHR's error, 404 for a patient the source does not have). */
export interface NotGiven {
  patientIds: readonly string[];
  status: number;
}

/**
 * Records a read some of whose patients could not be read (a list whose EHR failed, or gave
 * nothing for some of them): success for the others, and a failure with its status for each
 * patient of `failed`, in one append. Await it before the answer goes out.
 */
export async function recordPartialRead(
  log: AuditLog,
  operation: AuditOperation,
  details: AuditDetails & { failed: readonly NotGiven[] },
): Promise<void> {
  const { failed: groups, ...rest } = details;
  const failed = new Set(groups.flatMap((g) => g.patientIds));
  if (!failed.size) return recordRead(log, operation, rest);
  const read = (rest.patientIds ?? []).filter((id) => !failed.has(id));
  await log.append(
    ...(read.length ? given(log, operation, { ...rest, patientIds: read }) : []),
    ...groups.flatMap((g) =>
      g.patientIds.length ? events(operation, 'failure', { ...rest, patientIds: g.patientIds, status: g.status }, verifiedCaller()) : [],
    ),
  );
}

/**
 * Failure records for patients whose read was already recorded as a success, when it then failed
 * for them (the EHR failed after a list's first rows went out): same operation and request, the
 * failure's status. Await it before the answer says it is complete.
 */
export async function recordFailedAfterRead(log: AuditLog, operation: AuditOperation, details: AuditDetails & { status: number }): Promise<void> {
  let patientIds = details.patientIds;
  if (details.status === CLIENT_CLOSED_REQUEST) {
    // The route records its caller's leaving itself (a list view's rows not sent): no other record of it follows,
    // and a patient whose read was already recorded as not given (the caller gone before it) gets no second one.
    const audit = declared();
    audit.clientGoneRecorded = true;
    const notGiven = new Set((audit.notGiven ?? []).filter((e) => e.operation === operation).map((e) => e.patientId));
    patientIds = patientIds?.filter((id) => !notGiven.has(idLike(id)));
  }
  if (!patientIds?.length) return;
  await log.append(...events(operation, 'failure', { ...details, patientIds }, verifiedCaller()));
}

/**
 * For a store change: its records, made from its result, commit with it (see TeamStore). `details`
 * gives null when the result shows the change did nothing this operation records (an addition of
 * patients all on the list already): then no record, rather than one naming no one.
 */
export function onCommit<T>(operation: AuditOperation, details: (result: T) => AuditDetails | null = () => ({})): AuditOf<T> {
  return (result) => {
    const made = details(result);
    return made ? succeeded(operation, made) : [];
  };
}

/** Several records from one change (e.g. a rename and new columns in one call). */
export function allOf<T>(...parts: AuditOf<T>[]): AuditOf<T> {
  return (result) => parts.flatMap((part) => part(result));
}

/**
 * The failure records of a call that failed, written once per call, for the verified caller or
 * (401) the tenant and user the refused token claims:
 *
 * - refused before its use case recorded anything: one failure record per declared operation
 *   (naming the patients the refusal names). A record that cannot be written fails this call
 *   (the connection is then dropped: no answer without its record).
 * - failed after success records were made (a read recorded, a store change committed, then
 *   something later failed): each read recorded as given gets a failure record (same operation,
 *   patient, list and team, the final status): the caller was not given what it read. A change
 *   committed stands whatever followed (as for a caller who left): its success record is what
 *   happened, and is not contradicted. One failure record more per declared operation none of
 *   them covers. The answer is a failure that carries no patient data, so a failure record that
 *   cannot be written is logged (ids of no patient) and the answer still goes out.
 */
export async function recordRefusal(log: AuditLog, status: number): Promise<void> {
  const context = requestContext();
  const audit = context.audit;
  if (!audit || audit.failureRecorded) return;
  const who = context.caller ?? audit.claimed;
  if (!who) return;
  audit.failureRecorded = true;
  const prior = audit.succeeded ?? [];
  const time = new Date().toISOString();
  const mirrored = (audit.readsGiven ?? []).map((e): AuditEvent => ({ ...e, time, outcome: 'failure', status }));
  // A read recorded as not given (its caller gone) already has its failure record.
  const covered = new Set([...prior, ...(audit.notGiven ?? [])].map((e) => e.operation));
  const patientIds = audit.refusalPatientIds;
  const refused = [
    ...audit.operations.filter((op) => !covered.has(op)).flatMap((op) => events(op, 'failure', { status, patientIds }, who)),
    ...(audit.refusalAlso ?? [])
      .filter(({ operation }) => !covered.has(operation))
      .flatMap(({ operation, listId }) => events(operation, 'failure', { status, patientIds, listId }, who)),
  ].map((event) => (context.caller ? event : namingNoOne(event)));
  if (!prior.length) {
    audit.recorded = true;
    if (refused.length) await log.append(...refused);
    return;
  }
  if (!mirrored.length && !refused.length) return;
  try {
    await log.append(...mirrored, ...refused);
  } catch (error) {
    logger.error(
      { err: { name: error instanceof Error ? error.name : typeof error }, operations: [...covered, ...audit.operations], status },
      'the failure records of a call that failed after its success records could not be written',
    );
  }
}

/**
 * The record of a call refused before its caller was verified (401) names no team, list or
 * patient: they come from the path, which anyone can write, so an unsigned claim never enters a
 * patient's trail, a list's or a team's. The attempt stays in the claimed tenant's trail, by
 * operation, status, request id and the claimed user (`unverified:…`).
 */
function namingNoOne(event: AuditEvent): AuditEvent {
  return { ...event, teamId: null, listId: null, patientId: null };
}

/** The status the trail gives a read whose client went away before its end ("client closed request", as nginx logs it). */
export const CLIENT_CLOSED_REQUEST = 499;

/**
 * A call whose caller went away before its answer was completely written (its connection closed
 * first), once its handler is done: each read it recorded as given gets its failure record,
 * CLIENT_CLOSED_REQUEST, same operation, patient, list and team, so a read's "success" alone in the
 * trail means the caller got the data. A change committed stands (the caller not being told does not
 * undo it): its success record is what happened. Nothing when the call recorded no read, when its
 * failure was recorded already (it failed, or a streamed answer was cut off), or when the route
 * recorded its caller's leaving itself (a list view: only the rows not sent). Best effort: it never
 * throws (there is no one left to answer), and what it cannot write is logged.
 */
export async function recordClientGone(): Promise<void> {
  const audit = requestContext().audit;
  if (!audit?.clientGone || audit.failureRecorded || audit.clientGoneRecorded) return;
  // Reads given were recorded through given(), which keeps the log they went to.
  const { log, readsGiven: prior = [] } = audit;
  if (!log || !prior.length) return;
  audit.clientGoneRecorded = true;
  const time = new Date().toISOString();
  const mirrored = prior.map((e): AuditEvent => ({ ...e, time, outcome: 'failure', status: CLIENT_CLOSED_REQUEST }));
  try {
    await log.append(...mirrored);
  } catch (error) {
    logger.error(
      { err: { name: error instanceof Error ? error.name : typeof error }, operations: [...new Set(prior.map((e) => e.operation))] },
      'the failure records of a call whose caller left before its answer was written could not be written',
    );
  }
}

/**
 * A streamed answer that broke after its status went out (the store failed midway, the export hit
 * its ceiling): the call's failure records, with the status its problem would have had. Best
 * effort: it never throws (the answer is already cut off), and what it cannot write is logged.
 */
export async function recordCutOff(log: AuditLog, status: number): Promise<void> {
  try {
    await recordRefusal(log, status);
  } catch (error) {
    logger.error(
      { err: { name: error instanceof Error ? error.name : typeof error }, status },
      'the failure records of a cut-off answer could not be written',
    );
  }
}
