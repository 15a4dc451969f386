import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { auditRoutes } from './features/audit/audit-routes.js';
import { connectionRoutes } from './features/connection/connection-routes.js';
import type { ApiDeps } from './features/shared/deps.js';
import { apiRouter, endpoints, type Guards } from './features/shared/endpoint.js';
import { listPatientRoutes } from './features/lists/list-patient-routes.js';
import { listRoutes } from './features/lists/list-routes.js';
import { manualRoutes } from './features/manual/manual-routes.js';
import { importRoutes } from './features/manual/import-routes.js';
import { myTeamsRoutes } from './features/teams/my-teams-routes.js';
import { noteRoutes } from './features/notes/note-routes.js';
import { patientRoutes } from './features/patients/patient-routes.js';
import type { ConsentConfig } from '../contract/teams.js';
import type { AuditLog } from './storage/ports.js';
import { recordRefusal } from './features/shared/audit-trail.js';
import type { MembershipDirectory } from './identity/membership.js';
import { teamMembersRoutes } from './features/teams/team-members-routes.js';
import type { TokenVerifier } from './identity/verify-token.js';
import type { EhrGateway } from './ehr/types.js';
import { errorHandler, notFoundHandler, pageNotFound, toProblem } from './platform/error-handler.js';
import { logger } from './platform/logger.js';
import { securityHeaders } from './platform/security-headers.js';
import { staticFiles } from './platform/static-files.js';
import { withRequestContext } from './platform/request-context.js';
import { rememberRouteBase, requestLog } from './platform/request-log.js';
import { readinessRoute, type ReadinessCheck } from './platform/health.js';
import type { AuditingTeamStore } from './storage/ports.js';
import type { HeldItems } from './platform/held-items.js';

export interface AppDeps {
  verifyToken: TokenVerifier;
  membership: MembershipDirectory;
  /** The team store, which keeps the audit trail (changes commit with their records). */
  store: AuditingTeamStore;
  ehr: EhrGateway;
  /** Per-caller, per-tenant and failed-authentication limits (http/rate-limit.ts). */
  rateLimits: Guards['rateLimits'];
  /** Proxies in front of the app whose X-Forwarded-For is believed (App Service: 1); 0 in dev mode. */
  trustProxyHops?: number;
  /** The built tab; not served when it has no index.html (start.ts refuses that in production and warns in dev mode). */
  staticDir?: string;
  /** Dev mode only: the `/dev` routes, which start.ts loads in dev mode only (production never loads server/dev). */
  devRoutes?: express.Router;
  /**
   * Production only: what the tab's consent popup sends to Azure AD's authorize endpoint, public facts
   * of the app's Entra registration (`authority` is Azure AD's host, `AAD_AUTHORITY`; the popup adds the tenant).
   */
  consent?: ConsentConfig;
  /** What `GET /api/ready` (no token) checks, by name: the store reachable, the audit trail writable, the configuration complete. */
  readiness: Record<string, ReadinessCheck>;
  /** Download tickets and uploads between requests: shared by every instance when given; this process's memory by default. */
  heldItems?: HeldItems;
  /** The most records an audit CSV asked for without a limit holds before it is cut off (default AUDIT_MAX_LIMIT). */
  auditExportCeiling?: number;
}

/** An answer no browser or proxy keeps. */
function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}

/** The consent popup's pages: Teams opens them in a window that must keep its opener to report back. */
const consentPages = ['/consent-start.html', '/consent-end.html'];

/** The request headers on which Express answers a GET 304 (RFC 9110 13.1.2, 13.1.3; If-Match names a list's version). */
const CONDITIONAL_HEADERS = ['if-none-match', 'if-modified-since'] as const;

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  // No ETag made from an answer's body (Express's default, a hash of it): every API answer is
  // no-store, and a hash of patient data would tell whether two users' answers are the same. A
  // function, not `false`, since Express also reads this setting as "send the tab's files with
  // ETags" (res.sendFile), which stay; a list's ETag is its version, set by its route.
  app.set('etag', () => undefined);
  // Limits by address need the client's address, not the front end's.
  if (deps.trustProxyHops) app.set('trust proxy', deps.trustProxyHops);
  app.use(withRequestContext);
  app.use(requestLog());
  app.use(securityHeaders());

  // helmet's Cross-Origin-Opener-Policy: same-origin would cut the popup off from the Teams window that opened it.
  app.use(consentPages, (_req, res, next) => {
    res.setHeader('Cross-Origin-Opener-Policy', 'unsafe-none');
    next();
  });

  const api = apiRouter();
  api.use(rememberRouteBase);
  // Patient data must not be kept by browsers or proxies. Nor is an answer ever conditional: a
  // 304 gives no body, so a read recorded as given, or a download link used up, would not have
  // been (`If-None-Match: *` makes Express answer 304 to any GET).
  api.use((req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    for (const header of CONDITIONAL_HEADERS) delete req.headers[header];
    next();
  });
  api.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  api.get('/ready', readinessRoute(deps.readiness));
  const { consent } = deps;
  if (consent) api.get('/consent-config', (_req, res) => void res.json(consent));
  const ep = endpoints(api, deps);
  const apiDeps: ApiDeps = { store: deps.store, ehr: deps.ehr, membership: deps.membership, heldItems: deps.heldItems };
  myTeamsRoutes(ep, apiDeps, deps.membership);
  teamMembersRoutes(ep, apiDeps);
  connectionRoutes(ep, apiDeps);
  patientRoutes(ep, apiDeps);
  noteRoutes(ep, apiDeps);
  listRoutes(ep, apiDeps);
  listPatientRoutes(ep, apiDeps);
  manualRoutes(ep, apiDeps);
  importRoutes(ep, apiDeps);
  auditRoutes(ep, apiDeps, deps.auditExportCeiling);
  api.use(notFoundHandler);
  api.use(refusalRecorder(deps.store.audit));
  app.use('/api', api);

  // Dev tokens are bearer credentials: no browser or proxy may keep them (RFC 6749 5.1).
  if (deps.devRoutes) app.use('/dev', noStore, express.json({ limit: '4kb' }), deps.devRoutes);

  if (deps.staticDir && existsSync(join(deps.staticDir, 'index.html'))) {
    app.use(staticFiles(deps.staticDir));
  }
  // Any other address: the app's own problem answer (not Express's page, which echoes the path).
  app.use(pageNotFound);
  app.use(errorHandler);
  return app;
}

/**
 * A call that fails before its use case recorded anything is recorded as a failure of what the
 * route declared (refusals by authentication, membership, validation or the EHR). No answer
 * goes out without its record: if the record cannot be written, the connection is dropped.
 */
function refusalRecorder(log: AuditLog) {
  return async (err: unknown, req: Request, res: Response, next: NextFunction) => {
    const { status } = toProblem(err);
    try {
      await recordRefusal(log, status);
    } catch (failure) {
      logger.error({ err: { name: (failure as Error).name } }, 'audit record could not be written');
      req.socket.destroy();
      return;
    }
    next(err);
  };
}
