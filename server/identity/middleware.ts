import { decodeJwt } from 'jose';
import type { NextFunction, Request, Response } from 'express';
import { guidPattern } from '../../contract/id-syntax.js';
import { logger } from '../platform/logger.js';
import { problem } from '../platform/problem.js';
import { caller, requestContext } from '../platform/request-context.js';
import type { MembershipDirectory, TeamRole } from './membership.js';
import { TenantNotServed, TokenRejected, type TokenVerifier } from './verify-token.js';

/** Every /api call: a Bearer token, verified; tenant and user come from it and nowhere else. */
export function requireCaller(verify: TokenVerifier) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const context = requestContext();
    let served = true;
    try {
      if (!match) throw problem('unauthenticated', 'Sign in first: the request has no Bearer token.');
      try {
        context.caller = await verify(match[1]);
        context.ssoToken = match[1];
      } catch (err) {
        if (err instanceof TokenRejected) {
          served = !(err instanceof TenantNotServed);
          throw problem('unauthenticated', err.message);
        }
        throw err;
      }
    } catch (err) {
      // A tenant the app does not serve (TenantNotServed) gets no record: the app keeps no trail for
      // it, and an unsigned claim must not add records to one. A line without ids is logged instead.
      if (match && context.audit) {
        if (served) context.audit.claimed = claimedIdentity(match[1]);
        else logger.warn('a token claiming a tenant the app does not serve was refused: recorded in no audit trail');
      }
      throw err;
    }
    next();
  };
}

/**
 * The tenant and user a refused token claims, so that the refusal lands in that tenant's audit
 * trail (an attempt on its data), when the app serves that tenant. Shape-checked; never trusted
 * for anything else: anyone can write any claim into an unsigned token, so the record's user
 * reads `unverified:<claimed id>`, never the id alone (the attempt is not pinned on the person
 * named, and a filter on that person's id does not show it as theirs).
 */
const UNVERIFIED_USER_PREFIX = 'unverified:';
function claimedIdentity(token: string): { tenantId: string; userId: string } | undefined {
  try {
    const payload = decodeJwt(token);
    const tenantId = typeof payload.tid === 'string' && guidPattern.test(payload.tid) ? payload.tid : undefined;
    const user = typeof payload.oid === 'string' ? payload.oid : payload.sub;
    if (!tenantId) return undefined;
    const claimed = typeof user === 'string' && /^[A-Za-z0-9\-._]{1,100}$/.test(user) ? user : 'unknown';
    return { tenantId, userId: `${UNVERIFIED_USER_PREFIX}${claimed}` };
  } catch {
    return undefined;
  }
}

/** For routes under /api/teams/:teamId: the caller must be a member of that team in their tenant. */
export function requireTeamMember(directory: MembershipDirectory) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const teamId = String(req.params.teamId ?? '');
    if (!guidPattern.test(teamId)) throw problem('team_not_found', 'There is no such team.');
    const { tenantId, userId } = caller();
    const role = await directory.roleOf(tenantId, teamId, userId);
    if (role === 'no_team') throw problem('team_not_found', 'There is no such team.');
    if (role === null) throw problem('not_team_member', 'You are not a member of this team.');
    res.locals.teamRole = role satisfies TeamRole;
    next();
  };
}

/** Settings changes need a team owner. */
export function requireOwner(_req: Request, res: Response, next: NextFunction): void {
  if (res.locals.teamRole !== 'owner') throw problem('owner_required', 'Only a team owner can change this setting.');
  next();
}

export function teamKey(req: Request): { tenantId: string; teamId: string } {
  return { tenantId: caller().tenantId, teamId: String(req.params.teamId) };
}
