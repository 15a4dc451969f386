import { AsyncResource } from 'node:async_hooks';
import express, { Router, type ErrorRequestHandler, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { AuditOperation } from '../../../contract/audit.js';
import { guidPattern } from '../../../contract/id-syntax.js';
import { idLike, recordClientGone } from './audit-trail.js';
import type { MembershipDirectory } from '../../identity/membership.js';
import { requireCaller, requireOwner, requireTeamMember } from '../../identity/middleware.js';
import type { TokenVerifier } from '../../identity/verify-token.js';
import type { RateLimitKind, RateLimits } from '../../platform/rate-limit.js';
import { checkJsonText } from '../../platform/json-text.js';
import { Problem } from '../../platform/problem.js';
import { requestContext, type DeclaredAudit } from '../../platform/request-context.js';

/** Routers of the API: paths match exactly (case and trailing slash), so no variant escapes a check. */
export const apiRouter = () => Router({ caseSensitive: true, strict: true, mergeParams: true });

export interface Guards {
  verifyToken: TokenVerifier;
  membership: MembershipDirectory;
  /** Per caller and tenant after authentication; per address for failed authentications before it. */
  rateLimits: RateLimits;
}

export interface EndpointSpec {
  /**
   * The audit operations the route's use case records (with the patient ids it reads or
   * changes), or `null` for a route that neither returns nor changes patient data. Declared up
   * front, so a call refused by any check is recorded as a failure of what it tried.
   */
  audit: AuditOperation | AuditOperation[] | ((req: Request) => AuditOperation[]) | null;
  /**
   * Which of the declared operations the call is, where the team's state tells rather than the
   * body (creating a team's schema or updating it): asked once the team checks passed, before the
   * body is read, so a refused body is recorded once, as what it was. Callers refused before
   * then are recorded with every operation declared: any may have been meant.
   */
  operationOf?: (req: Request) => Promise<AuditOperation[]>;
  /**
   * `refusals`: the route gives out a download link, reading no patient data; its success is
   * recorded by the download the link leads to, and only a refused request is recorded here.
   */
  records?: 'refusals';
  /** Who may call: any verified caller, a member of the team in the path, or its owner. */
  access: 'caller' | 'member' | 'owner';
  limit?: RateLimitKind;
  /**
   * Proves the caller otherwise than by a Bearer token (a download link's single-use ticket,
   * which restores the caller that asked for it); the team checks of `access` still follow.
   */
  authenticate?: RequestHandler;
  /** `file`: the handler reads the body itself (an upload's bytes); otherwise a body is JSON. */
  body?: 'json' | 'file';
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** JSON bodies of API calls: at most 64 kB, objects and arrays only, UTF-8, each member named once. */
const parseJson = express.json({ limit: '64kb', strict: true, verify: (_req, _res, body, charset) => checkJsonText(body, charset) });

/**
 * A body of another type would be left unread, and the call judged as if it sent nothing (a
 * "missing" field, or a path parameter blamed): it is refused for what it is.
 */
const jsonBody: RequestHandler = (req, res, next) => {
  const sent = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
  if (sent && !req.is('application/json')) {
    return next(new Problem('unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).'));
  }
  parseJson(req, res, next);
};
type Handler = (req: Request, res: Response) => Promise<void> | void;

/** The declaring middleware carries its route's spec, so a test can walk every route and read it. */
export type Declaration = RequestHandler & { spec: EndpointSpec };

function declare(spec: EndpointSpec): Declaration {
  const middleware = (req: Request, res: Response, next: NextFunction) => {
    const params = req.params as Record<string, string | undefined>;
    // A team is a Microsoft 365 group, whose id Graph reads in any letter case: one form (lower
    // case) from here on, so membership, storage and the audit trail all name the same team (an
    // auditor's filter on a team finds every call, however its path was written). Patient ids
    // are the EHR's, where case matters (FHIR ids are case-sensitive): left as they are.
    if (params.teamId !== undefined && guidPattern.test(params.teamId)) params.teamId = params.teamId.toLowerCase();
    if (spec.audit !== null) {
      const operations = typeof spec.audit === 'function' ? spec.audit(req) : [spec.audit].flat();
      const audit: DeclaredAudit = {
        operations,
        teamId: idLike(params.teamId),
        listId: idLike(params.listId),
        patientId: idLike(params.patientId),
        recorded: false,
      };
      requestContext().audit = audit;
      whenCallerLeaves(res, audit);
    }
    next();
  };
  return Object.assign(middleware, { spec });
}

/**
 * A caller who goes away before the answer is completely written (the connection closes first) was
 * not given it, whatever was recorded: from then on reads are recorded as failures (499), and once
 * the handler is done (at once, if it is), each success record the call made gets its failure record
 * (recordClientGone; a route that records the leaving itself, or a call that failed, gets none).
 */
function whenCallerLeaves(res: Response, audit: DeclaredAudit): void {
  // Run in the request's context: the records name its request id and caller.
  const closed = AsyncResource.bind(() => {
    if (res.writableFinished) return;
    audit.clientGone = true;
    if (!audit.serving) void recordClientGone();
  });
  res.once('close', closed);
}

/** The route's handler, after which the records of a caller who left while it ran are written (see whenCallerLeaves). */
function served(handler: Handler): Handler {
  return async (req, res) => {
    const audit = requestContext().audit;
    if (!audit) return handler(req, res);
    audit.serving = true;
    try {
      await handler(req, res);
    } finally {
      audit.serving = false;
    }
    // A handler that failed is recorded by the error path, with its status.
    if (audit.clientGone) await recordClientGone();
  };
}

/** Refusals of a route's own proof of the caller (a download ticket), which count as failed authentications. */
const proofRefused = new WeakSet<Problem>();

/** Marks the refusals (4xx) of a route's own authentication; other failures (a store down: 5xx) are no one's guess. */
function refusalsCounted(authenticate: RequestHandler): RequestHandler {
  return async (req, res, next) => {
    try {
      await authenticate(req, res, next);
    } catch (error) {
      if (error instanceof Problem && error.status >= 400 && error.status < 500) proofRefused.add(error);
      throw error;
    }
  };
}

/** HEAD on a GET route: 405, `Allow: GET`; nothing is read, used up or recorded as given. */
function refuseHead(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'HEAD') return next();
  res.set('Allow', 'GET');
  next(new Problem('method_not_allowed', 'This address is read with GET; asking for its headers alone is not served.'));
}

function operationsFromState(operationOf: (req: Request) => Promise<AuditOperation[]>): RequestHandler {
  return async (req, _res, next) => {
    const audit = requestContext().audit;
    if (audit && !audit.recorded) audit.operations = await operationOf(req);
    next();
  };
}

function operationsFromBody(operationsOf: (req: Request) => AuditOperation[]): RequestHandler {
  return (req, _res, next) => {
    const audit = requestContext().audit;
    if (audit && !audit.recorded) audit.operations = operationsOf(req);
    next();
  };
}

/**
 * The only way API routes are added: each declares its audit operations and access, and gets,
 * in this order, the declaration, authentication (a failed one answered 429 instead of 401
 * once its address is over its limit), the caller's and tenant's rate limits, the team checks
 * and its handler.
 */
export function endpoints(router: Router, guards: Guards) {
  const { failedAuth, perCaller } = guards.rateLimits;
  const authenticate = requireCaller(guards.verifyToken);
  // Only failed sign-ins are held back: many clinicians share a hospital's address, and one
  // broken or hostile client there must not lock the others out.
  // A flooded address's further refusals are not written to the tenant its tokens claim: without
  // a signature anyone can claim any tenant, so the records an address can add there stay bounded
  // by the limit (the limit being reached is logged).
  // A download ticket refused (unknown, used, expired) is a failed authentication too: the address
  // that guesses tickets is held back as one that guesses tokens.
  const floodedAddress: ErrorRequestHandler = (err, req, res, next) => {
    if (!(err instanceof Problem) || !(err.status === 401 || proofRefused.has(err))) return next(err);
    failedAuth.guard(req, res, (refusal?: unknown) => {
      if (!refusal) failedAuth.record(req);
      else delete requestContext().audit?.claimed;
      next(refusal ?? err);
    });
  };
  const member = requireTeamMember(guards.membership);
  const add = (method: Method) => (path: string, spec: EndpointSpec, handler: Handler) => {
    const chain: (RequestHandler | ErrorRequestHandler)[] = [
      declare(spec),
      // Express would answer HEAD with the GET handler: a read (or a single-use link used up)
      // for a caller who gets headers only. Refused before anything is looked at.
      ...(method === 'get' ? [refuseHead] : []),
      spec.authenticate ? refusalsCounted(spec.authenticate) : authenticate,
      floodedAddress,
      perCaller(spec.limit ?? 'default'),
    ];
    if (spec.access !== 'caller') chain.push(member);
    if (spec.access === 'owner') chain.push(requireOwner);
    if (spec.operationOf) chain.push(operationsFromState(spec.operationOf));
    // The body is read last, for a caller allowed to send it: a malformed, oversized or non-JSON one
    // (400, 413, 415) is then refused with the route's operations declared, so the refusal is recorded.
    if (spec.body !== 'file') chain.push(jsonBody);
    // Operations told by the body (a PATCH renaming a list or choosing its columns) are told
    // again once it is read, so a change refused for what it sends is recorded as what it was.
    if (typeof spec.audit === 'function') chain.push(operationsFromBody(spec.audit));
    router[method](path, ...(chain as RequestHandler[]), served(handler) as RequestHandler);
  };
  return { get: add('get'), post: add('post'), put: add('put'), patch: add('patch'), delete: add('delete') };
}
