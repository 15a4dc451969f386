import type { INetworkModule } from '@azure/msal-node';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, type AppDeps } from './app.js';
import { openSqliteAuditLog } from './storage/sqlite/sqlite-audit-log.js';
import { auditAfterWrite } from './storage/store-audit.js';
import { auditTableClient, openTableAuditLog } from './storage/azure-table/table-audit-log.js';
import { proveAuditAppend } from './storage/azure-table/audit-write-probe.js';
import { openTableHeldItems } from './storage/azure-table/table-held-items.js';
import { graphMembership } from './identity/graph-membership.js';
import { devMembership } from './identity/membership.js';
import { azureAdVerifierSettings, createTokenVerifier } from './identity/verify-token.js';
import { ConfigError, loadConfig, SIGTERM_KILL_MS, unknownSettingMessage, unknownSettings, type Config } from './config.js';
import { createEhrGateway, type EhrFetch, type EhrPartner } from './ehr/index.js';
import { openPartnerSecrets, type PartnerSecretsSettings } from './ehr/partner-secrets.js';
import { openGraphStore } from './storage/sharepoint/graph-store.js';
import { createOboTokenSource, graphScopes, graphTokenForCaller } from './platform/graph/obo-token.js';
import { createRateLimits } from './platform/rate-limit.js';
import { createLinkGuard } from './ehr/link-guard.js';
import { currentRequestId, requestContext } from './platform/request-context.js';
import { createInFlightWork, drainServer } from './platform/shutdown.js';
import { createHttpServer, type HttpLimits } from './platform/http-limits.js';
import { loopbackHostOnly } from './platform/loopback.js';
import { configurationCheck } from './platform/health.js';
import { logger } from './platform/logger.js';
import { openSqliteStore } from './storage/sqlite/sqlite-store.js';
import { NewerSchemaError } from './storage/sqlite/sqlite-file.js';
import { openSealKeys } from './seal-keys.js';

export interface RunningServer {
  url: string;
  /** The Express application, for tests that walk its routes. */
  app: express.Express;
  mode: Config['APP_MODE'];
  /** Stops at once: open connections are cut (tests). */
  close(): Promise<void>;
  /**
   * Stops as on SIGTERM: no new connections, requests in flight finish within SHUTDOWN_GRACE_MS,
   * then the stores close.
   */
  shutdown(): Promise<void>;
}

export interface StartOptions {
  /**
   * The fetch the EHR gateway uses; benchmarks wrap it to count and replay FHIR calls. It gets the
   * link guard's dispatcher in its init and must pass it on to `requestEhr` (or undici's fetch).
   */
  ehrFetch?: EhrFetch;
  /** msal-node's transport for the on-behalf-of exchange; tests route it to a local stand-in for Azure AD. */
  oboNetworkClient?: INetworkModule;
  /** Key Vault client options for the EHR secrets; tests trust their stand-in vault's certificate with it. */
  keyVault?: Pick<PartnerSecretsSettings, 'clientOptions' | 'credential'>;
  /** The most records an audit CSV asked for without a limit holds before it is cut off (AUDIT_MAX_LIMIT); tests lower it. */
  auditExportCeiling?: number;
  /** How long a client may take over its request, or leave an answer unread (platform/http-limits.ts); tests lower them. */
  httpLimits?: Partial<HttpLimits>;
}

const SANDBOX_PATH = '/sandbox';

/** How long store work already running is waited for after the grace period, at most (see settleWithin). */
const SETTLE_MS = 5_000;
/** close() (tests) stops at once: store work in flight gets this long. */
const CLOSE_SETTLE_MS = 1_000;
/**
 * How long store work still running after a grace of `graceMs` may take: SETTLE_MS, within what
 * is left of App Service's 30 s before its kill (a second kept for the stores to close and exit).
 */
export function settleWithin(graceMs: number): number {
  return Math.max(0, Math.min(SETTLE_MS, SIGTERM_KILL_MS - graceMs - 1_000));
}

/**
 * Starts the app. Dev mode: the API and the built tab, the dev identity provider and directory,
 * the sandbox EHR partner beside the app (never inside it), loopback only. Production: Teams SSO
 * tokens from Azure AD, team membership and (by default) team data through Microsoft Graph on
 * behalf of the caller, and the hospital's interop partner.
 */
export async function startServer(env: Record<string, string | undefined> = process.env, options: StartOptions = {}): Promise<RunningServer> {
  const config = loadConfig(env);
  // A misspelt setting (AUDIT_STOR) would be ignored and its default used: named, never fatal.
  for (const unknown of unknownSettings(env)) logger.warn({ setting: unknown.name, closest: unknown.closest }, unknownSettingMessage(unknown));
  checkTabBuilt(config);
  // Which X-Forwarded-For hops are believed for rate limits and audit records, and why.
  logger.info({ trustProxyHops: config.trustProxy.hops, because: config.trustProxy.source }, config.trustProxy.reason);
  const root = express();
  // Dev mode: only requests addressed to a loopback name, sandbox and dev routes included.
  if (config.APP_MODE === 'dev') root.use(loopbackHostOnly);
  root.disable('x-powered-by');
  // The credentials go only to these partners' token endpoints; dev mode adds its sandbox once it listens.
  // With KEY_VAULT_URL, their secrets are read from Key Vault at run time (rotation without a restart).
  const partnerSecrets = openPartnerSecrets(config.ehrPartners, {
    vaultUrl: config.KEY_VAULT_URL,
    refreshMs: config.KEY_VAULT_REFRESH_SECONDS * 1000,
    ...options.keyVault,
  });
  const partners: EhrPartner[] = partnerSecrets.partners;
  let sandboxClient: Pick<EhrPartner, 'clientId' | 'clientSecrets'> | undefined;
  let auth: Pick<AppDeps, 'verifyToken' | 'membership' | 'devRoutes' | 'consent'>;
  // One on-behalf-of source (and MSAL token cache) for Graph membership and the Graph store.
  let graphToken: ((tenantId: string) => Promise<string>) | undefined;
  // Each user's share of the app's SharePoint budget is counted per verified caller and request.
  const graphUser = () => {
    const requestId = currentRequestId();
    const caller = requestId ? requestContext().caller : undefined;
    return caller && requestId ? { user: `${caller.tenantId}/${caller.userId}`, request: requestId } : undefined;
  };
  const oboFor = () => (graphToken ??= createGraphToken());
  const createGraphToken = () => {
    const obo = createOboTokenSource({
      clientId: config.AAD_APP_CLIENT_ID!,
      clientSecret: config.SECRET_AAD_APP_CLIENT_SECRET!,
      authorityHost: config.AAD_AUTHORITY,
      networkClient: options.oboNetworkClient,
    });
    return graphTokenForCaller(obo, () => {
      const { caller, ssoToken } = requestContext();
      if (!caller || !ssoToken) throw new Error('Graph is only reached on behalf of a verified caller');
      return { ssoToken, tenantId: caller.tenantId };
    });
  };

  if (config.APP_MODE === 'dev') {
    // Dev-only code is loaded here and only here: production never loads the sandbox (and @medplum/*),
    // the dev directory and identity provider or the /dev routes, and the deploy package leaves them out.
    const [{ createSandbox }, { devDirectory }, { createDevIdentity }, { devRoutes }] = await Promise.all([
      import('./sandbox/index.js'),
      import('./identity/dev-directory.js'),
      import('./identity/dev-identity.js'),
      import('./dev/dev-routes.js'),
    ]);
    const sandbox = await createSandbox({
      tenants: devDirectory.tenants.map(({ id, name }) => ({ id, name })),
      patientsPerTenant: config.SANDBOX_PATIENTS,
      dataDir: config.SANDBOX_FHIR_DATA,
    });
    root.use(SANDBOX_PATH, sandbox.router);
    // EHR_CLIENT_ID without a token endpoint of its own is a client at the sandbox.
    if (config.EHR_CLIENT_ID && !config.EHR_TOKEN_ENDPOINT)
      sandboxClient = { clientId: config.EHR_CLIENT_ID, clientSecrets: config.EHR_CLIENT_SECRETS! };
    else {
      const registered = sandbox.registerClient('Patients (dev)');
      sandboxClient = { clientId: registered.clientId, clientSecrets: [registered.clientSecret] };
    }
    // The dev identity provider, unless Azure AD tokens were asked for (SSO=azure-ad).
    const identity = config.SSO === 'dev' ? await createDevIdentity(devDirectory) : undefined;
    auth = {
      verifyToken: identity ? createTokenVerifier(identity.verifierSettings) : azureAdVerifier(config),
      membership: devMembership(devDirectory),
      devRoutes: devRoutes({ directory: devDirectory, identity, sandboxPath: SANDBOX_PATH }),
    };
  } else {
    auth = {
      verifyToken: azureAdVerifier(config),
      membership: graphMembership({ baseUrl: config.GRAPH_BASE_URL, getAccessToken: oboFor() }),
      consent: { clientId: config.AAD_APP_CLIENT_ID!, authority: config.AAD_AUTHORITY, scopes: graphScopes },
    };
  }

  // SQLite keeps the audit trail in the team data's own file, so each change commits with its records.
  const auditFile = join(config.dataDir, 'audit.sqlite');
  // AUDIT_STORE=azure-table: one trail in Azure Table Storage for every instance, written after each change, before its answer;
  // in the same account, download links and uploads are held where every instance finds them.
  const tableAccount = config.AUDIT_STORE === 'azure-table' && {
    endpoint: config.AUDIT_TABLE_ENDPOINT,
    connectionString: config.AUDIT_TABLE_CONNECTION_STRING,
  };
  // Production always has the table (config.ts refuses AUDIT_STORE=sqlite there): its trail is never a file on the web app's disk.
  const sharedAudit = tableAccount ? await openTableAuditLog({ ...tableAccount, tableName: config.AUDIT_TABLE_NAME }) : undefined;
  // Readiness proves the table takes records (a read does not): one create of a probe entity outside any tenant's partitions.
  const auditProbeClient = tableAccount ? auditTableClient({ ...tableAccount, tableName: config.AUDIT_TABLE_NAME }) : undefined;
  const heldItems = tableAccount ? await openTableHeldItems({ ...tableAccount, tableName: config.HELD_ITEMS_TABLE_NAME }) : undefined;
  // What the app vouches for in the team's SharePoint lists is sealed with a key of the server's (config.ts requires one for Graph).
  const sealKeys = config.STORE === 'graph' ? openSealKeys(config, options.keyVault) : undefined;
  const store = sealKeys
    ? auditAfterWrite(
        openGraphStore({ baseUrl: config.GRAPH_BASE_URL, getAccessToken: oboFor(), currentUser: graphUser, sealKeys }),
        sharedAudit ?? inDataDir(() => openSqliteAuditLog(auditFile)),
      )
    : sharedAudit
      ? auditAfterWrite(
          inDataDir(() => openSqliteStore(join(config.dataDir, 'patients.sqlite'))),
          sharedAudit,
        )
      : inDataDir(() => openSqliteStore(join(config.dataDir, 'patients.sqlite'), { importAuditFrom: auditFile }));
  // The store as requests use it: what they have started on it is finished (or abandoned, bounded) before it closes at shutdown.
  const work = createInFlightWork();
  const requestStore = work.track(store);
  const dev = config.APP_MODE === 'dev';
  // Dev mode allows http and loopback, for the sandbox on this machine; production neither.
  const linkGuard = createLinkGuard({ allowHttp: dev, allowLoopback: dev, allowOrigins: config.EHR_LINK_ALLOW_LIST });
  const rateLimits = createRateLimits({
    limits: {
      userDefault: config.RATE_LIMIT_USER_PER_MINUTE,
      userSearch: config.RATE_LIMIT_SEARCH_PER_MINUTE,
      userConnectionCheck: config.RATE_LIMIT_CONNECTION_CHECK_PER_MINUTE,
      tenant: config.RATE_LIMIT_TENANT_PER_MINUTE,
      failedAuth: config.RATE_LIMIT_FAILED_AUTH,
    },
  });
  const app = createApp({
    ...auth,
    rateLimits,
    trustProxyHops: config.trustProxy.hops,
    store: requestStore,
    heldItems,
    auditExportCeiling: options.auditExportCeiling,
    ehr: createEhrGateway({
      partners,
      fetch: options.ehrFetch,
      timeoutMs: config.EHR_TIMEOUT_MS,
      mrnSystem: config.EHR_MRN_SYSTEM,
      checkUrl: linkGuard.checkUrl,
      dispatcher: linkGuard.dispatcher,
    }),
    staticDir: config.staticDir,
    readiness: {
      store: () => requestStore.ready(),
      audit: async () => {
        await requestStore.audit.ready();
        if (auditProbeClient) await proveAuditAppend(auditProbeClient);
      },
      configuration: configurationCheck(env),
    },
  });
  root.use(app);

  const server = createHttpServer(root, options.httpLimits);
  await new Promise<void>((resolve, reject) => {
    // A listen error (a port in use, say) comes as the server's error event.
    const refused = (error: Error) => reject(new PortError(config.host, config.PORT, error));
    server.once('error', refused).listen(config.PORT, config.host, () => {
      server.off('error', refused);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  if (sandboxClient) {
    // The sandbox is mounted on the app's own port, under either loopback name.
    for (const host of ['localhost', '127.0.0.1']) {
      const origin = `http://${host}:${port}`;
      partners.push({ ...sandboxClient, tokenEndpoint: `${origin}${SANDBOX_PATH}/token`, fhirOrigins: [origin] });
    }
  }
  return {
    url: `http://${dev ? 'localhost' : config.host}:${port}`,
    app,
    mode: config.APP_MODE,
    close: () => stop(0, CLOSE_SETTLE_MS),
    shutdown: () => stop(config.SHUTDOWN_GRACE_MS, settleWithin(config.SHUTDOWN_GRACE_MS)),
  };

  /**
   * Ends the requests in a defined way: no new connections; those in flight finish within
   * `graceMs`; then every connection is closed (no answer goes out after that, so nothing more is
   * acknowledged) and new store work is refused, the EHR calls are abandoned, and the store work
   * already running (a change and its audit record) is waited for, at most `settleMs`; only then
   * do the stores close. An answer that went out (a 2xx) was written before it was sent.
   */
  async function stop(graceMs: number, settleMs: number) {
    const { cutConnections } = await drainServer(server, graceMs);
    if (cutConnections) logger.warn({ graceMs }, 'requests still in flight at the end of the shutdown grace period were cut off');
    const settled = work.settle(settleMs);
    // EHR calls of requests that were cut are abandoned, not awaited.
    await (cutConnections ? linkGuard.dispatcher.destroy() : linkGuard.dispatcher.close());
    const { abandoned } = await settled;
    if (abandoned)
      logger.error(
        { abandoned, settleMs },
        'store work of requests cut off at shutdown was still running and was abandoned: a change among them may lack its audit record (its client got no answer)',
      );
    await store.close();
    await heldItems?.close();
    await rateLimits.shutdown();
    partnerSecrets.close();
    sealKeys?.close();
  }
}

function azureAdVerifier(config: Config) {
  const clientId = config.AAD_APP_CLIENT_ID!;
  return createTokenVerifier(
    azureAdVerifierSettings({
      clientId,
      applicationIdUri: `api://${config.TAB_DOMAIN}/${clientId}`,
      allowedTenants: config.AAD_ALLOWED_TENANTS?.length ? config.AAD_ALLOWED_TENANTS : undefined,
      authority: config.AAD_AUTHORITY,
      jwksUrl: config.AAD_JWKS_URL,
    }),
  );
}

/** STATIC_DIR does not hold the built tab (no index.html): production does not start without it. */
export class StaticDirError extends ConfigError {
  constructor(staticDir: string) {
    super(
      `STATIC_DIR (${staticDir}) has no index.html, so the tab would not be served: set STATIC_DIR to the built tab (dist/client of the release), or build it with \`npm run build\`.`,
    );
    this.name = 'StaticDirError';
  }
}

/** Production refuses to start without the tab; dev mode says once that it is not built and serves the API. */
function checkTabBuilt(config: Config): void {
  if (existsSync(join(config.staticDir, 'index.html'))) return;
  if (config.APP_MODE === 'production') throw new StaticDirError(config.staticDir);
  logger.warn(
    { staticDir: config.staticDir },
    `the tab is not built (STATIC_DIR ${config.staticDir} has no index.html): serving the API only; \`npm run build\` builds the tab`,
  );
}

/** The SQLite files could not be created or opened under DATA_DIR (a file where a folder should be, no right to write, a full disk). */
export class DataDirError extends Error {
  constructor(cause: Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    super(
      // A file of a newer release (a rollback) says which file and which schema versions.
      cause instanceof NewerSchemaError
        ? cause.message
        : `DATA_DIR cannot hold the app's SQLite files (${code ?? cause.name}): set DATA_DIR to a folder this process may create and write, on a disk with free space.`,
      { cause },
    );
    this.name = 'DataDirError';
  }
}

function inDataDir<T>(open: () => T): T {
  try {
    return open();
  } catch (error) {
    throw error instanceof Error ? new DataDirError(error) : error;
  }
}

/** The server could not listen on its address: the port is taken or not this process's to use, or HOST is no address of this machine. */
export class PortError extends Error {
  constructor(host: string, port: number, cause: Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    // The address, not the port, is at fault: a name that resolves to nothing, or an address of another machine.
    const hostProblem =
      code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `HOST ${host} does not resolve to an address (${code})`
        : code === 'EADDRNOTAVAIL'
          ? `HOST ${host} is not an address of this machine (${code})`
          : undefined;
    const why =
      code === 'EADDRINUSE'
        ? 'is in use by another program'
        : code === 'EACCES'
          ? 'may not be used by this process'
          : `could not be used (${code ?? cause.message})`;
    super(
      hostProblem
        ? `${hostProblem}: set HOST to an address of this machine, or 0.0.0.0 to listen on every one.`
        : `Port ${port} on ${host} ${why}: set PORT to a free one, or stop what holds it.`,
      { cause },
    );
    this.name = 'PortError';
  }
}
