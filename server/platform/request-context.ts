import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { AuditEvent, AuditOperation } from '../../contract/audit.js';

/** Who is calling, taken from the verified token only. */
export interface Caller {
  userId: string;
  tenantId: string;
  name?: string;
  roles: string[];
}

export interface RequestContext {
  requestId: string;
  caller?: Caller;
  /** The caller's verified SSO token, for on-behalf-of exchanges; never logged. */
  ssoToken?: string;
  /** What the route being served does, for its audit records (see audit/trail.ts). */
  audit?: DeclaredAudit;
}

/** The audit operations a route performs, declared before any check can refuse the call. */
export interface DeclaredAudit {
  operations: AuditOperation[];
  /** Ids from the path, checked for shape: what a refusal record names. */
  teamId: string | null;
  listId: string | null;
  patientId: string | null;
  /** Set once the route's use case made its success records (committed, or failing with the call). */
  recorded: boolean;
  /**
   * The success records the use case made so far. A call that fails after them is still recorded
   * as a failure: each of them gets its failure record (same operation, patient, list and team,
   * the call's final status), so the trail shows both and the failure is never lost.
   */
  succeeded?: AuditEvent[];
  /** Set once the call's failure records were written (or tried, past its success): never twice. */
  failureRecorded?: boolean;
  /** The tenant and user an unverified token claims: only for recording its refusal (401). */
  claimed?: { tenantId: string; userId: string };
  /** The patients a refusal's answer names (e.g. who holds a value a schema change would break): its records name them too. */
  refusalPatientIds?: string[];
  /**
   * Operations a refusal records beside the declared ones, on a list of their own: what the call
   * would have made elsewhere (a move's addition to the list it joins).
   */
  refusalAlso?: { operation: AuditOperation; listId: string }[];
  /**
   * Set when the answer's connection closed before the answer was completely written: the caller
   * went away. Reads recorded from then on are failures (CLIENT_CLOSED_REQUEST), never successes,
   * and the reads already recorded as given get a failure record each once the handler is done.
   */
  clientGone?: boolean;
  /** Set while the route's handler runs: the records of a caller who left wait for its end. */
  serving?: boolean;
  /** Set once the caller's leaving was recorded (by the route itself, or once its handler was done): never twice. */
  clientGoneRecorded?: boolean;
  /** Reads recorded as given (successes), which a caller's leaving turns into failures (recordClientGone). */
  readsGiven?: AuditEvent[];
  /** Reads recorded as failures because the caller had already gone when they were to be recorded as successes. */
  notGiven?: AuditEvent[];
  /** The log the call's records go to, as the first read recorded names it (for the records of a caller who left). */
  log?: { append(...events: AuditEvent[]): Promise<void> };
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The context of the request being served; throws outside a request. */
export function requestContext(): RequestContext {
  const ctx = storage.getStore();
  if (!ctx) throw new Error('requestContext() called outside a request');
  return ctx;
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Gives each request an id (echoed as `X-Request-Id`) and a context that rides along into logs. */
export function withRequestContext(req: Request, res: Response, next: NextFunction): void {
  const requestId = randomUUID();
  res.setHeader('X-Request-Id', requestId);
  storage.run({ requestId }, () => next());
}

/** The verified caller; routes behind `requireCaller` always have one. */
export function caller(): Caller {
  const c = requestContext().caller;
  if (!c) throw new Error('no verified caller on this request');
  return c;
}
