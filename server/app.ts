import express, { Router } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { auditRoutes } from './api/audit-routes.js';
import { connectionRoutes } from './api/connection-routes.js';
import { defaultListRoutes, listRoutes } from './api/list-routes.js';
import { manualRoutes } from './api/manual-routes.js';
import { myTeamsRoutes } from './api/my-teams-routes.js';
import { noteRoutes } from './api/note-routes.js';
import { patientRoutes } from './api/patient-routes.js';
import { requireCaller, requireTeamMember } from './auth/middleware.js';
import type { AuditLog } from './audit/events.js';
import { auditRecorder } from './audit/recorder.js';
import type { MembershipDirectory } from './auth/membership.js';
import type { TokenVerifier } from './auth/verify-token.js';
import { devRoutes, type DevDeps } from './dev/dev-routes.js';
import type { EhrGateway } from './fhir/types.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { withRequestContext } from './http/request-context.js';
import type { TeamStore } from './lists/store.js';

export interface AppDeps {
  verifyToken: TokenVerifier;
  membership: MembershipDirectory;
  store: TeamStore;
  audit: AuditLog;
  ehr: EhrGateway;
  /** The built tab; not served when the folder is missing. */
  staticDir?: string;
  /** Present in dev mode only. */
  dev?: DevDeps;
  /** Production only: what the tab's consent popup sends to Azure AD's authorize endpoint. */
  consent?: ConsentConfig;
}

/** Public facts of the app's Entra registration for the Graph consent popup; no secrets. */
export interface ConsentConfig {
  clientId: string;
  /** Azure AD's host (`AAD_AUTHORITY`); the popup adds the tenant. */
  authority: string;
  /** The delegated Graph scopes the on-behalf-of exchange asks for. */
  scopes: string[];
}

/** The consent popup's pages: Teams opens them in a window that must keep its opener to report back. */
const consentPages = ['/consent-start.html', '/consent-end.html'];

/** Teams and the other Microsoft 365 hosts that may frame the tab (Teams tab requirements). */
const frameAncestors = [
  "'self'", 'https://*.cloud.microsoft', 'https://teams.microsoft.com', 'https://*.teams.microsoft.com',
  'https://*.microsoft365.com', 'https://*.office.com', 'https://outlook.office.com', 'https://outlook.office365.com',
  'https://outlook-sdf.office.com', 'https://outlook-sdf.office365.com', 'https://outlook.live.com',
];

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(withRequestContext);
  app.use(
    helmet({
      frameguard: false,
      contentSecurityPolicy: { directives: { frameAncestors, connectSrc: ["'self'"] } },
    }),
  );

  // helmet's Cross-Origin-Opener-Policy: same-origin would cut the popup off from the Teams window that opened it.
  app.use(consentPages, (_req, res, next) => {
    res.setHeader('Cross-Origin-Opener-Policy', 'unsafe-none');
    next();
  });

  const team = Router({ mergeParams: true });
  team.use(requireTeamMember(deps.membership));
  team.use('/connection', connectionRoutes(deps.store, deps.ehr));
  team.use('/patients/:patientId/notes', noteRoutes(deps.store));
  team.use('/patients', patientRoutes(deps.store, deps.ehr));
  team.use('/lists', listRoutes(deps.store, deps.ehr));
  team.use('/me', defaultListRoutes(deps.store));
  team.use(manualRoutes(deps.store));

  const api = Router();
  api.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const { consent } = deps;
  if (consent) api.get('/consent-config', (_req, res) => void res.json(consent));
  api.use(requireCaller(deps.verifyToken), auditRecorder(deps.audit), express.json({ limit: '64kb', strict: true }));
  api.use('/me', myTeamsRoutes(deps.membership, deps.store));
  api.use('/teams/:teamId', team);
  api.use('/audit', auditRoutes(deps.audit));
  api.use(notFoundHandler);
  app.use('/api', api);

  if (deps.dev) app.use('/dev', express.json({ limit: '4kb' }), devRoutes(deps.dev));

  if (deps.staticDir && existsSync(deps.staticDir)) {
    app.use(express.static(deps.staticDir, { index: 'index.html' }));
  }
  app.use(errorHandler);
  return app;
}
