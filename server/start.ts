import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { createApp } from './app.js';
import { devDirectory } from './auth/dev-directory.js';
import { createDevIdentity } from './auth/dev-identity.js';
import { devMembership } from './auth/membership.js';
import { createTokenVerifier } from './auth/verify-token.js';
import { loadConfig } from './config.js';
import { createEhrGateway } from './fhir/index.js';
import { createLinkGuard } from './http/link-guard.js';
import { openSqliteAuditLog } from './audit/sqlite-audit-log.js';
import { openSqliteStore } from './lists/sqlite-store.js';
import { createSandbox } from './sandbox/index.js';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

const SANDBOX_PATH = '/sandbox';

/**
 * Starts the app in dev mode: the API and the built tab, the dev identity provider and directory,
 * the sandbox EHR partner beside the app (never inside it), and the SQLite store under DATA_DIR.
 */
export interface StartOptions {
  /** The fetch the EHR gateway uses; benchmarks wrap it to count and replay FHIR calls. */
  ehrFetch?: typeof fetch;
}

export async function startServer(env: Record<string, string | undefined> = process.env, options: StartOptions = {}): Promise<RunningServer> {
  const config = loadConfig(env);
  const sandbox = await createSandbox({
    tenants: devDirectory.tenants.map(({ id, name }) => ({ id, name })),
    patientsPerTenant: config.SANDBOX_PATIENTS,
    dataDir: config.SANDBOX_FHIR_DATA,
  });
  const ehrClient = config.EHR_CLIENT_ID
    ? { clientId: config.EHR_CLIENT_ID, clientSecrets: config.EHR_CLIENT_SECRETS!.split(',').map((s) => s.trim()) }
    : (({ clientId, clientSecret }) => ({ clientId, clientSecrets: [clientSecret] }))(sandbox.registerClient('Patients (dev)'));

  const identity = await createDevIdentity(devDirectory);
  const store = openSqliteStore(join(config.dataDir, 'patients.sqlite'));
  const audit = openSqliteAuditLog(join(config.dataDir, 'audit.sqlite'));
  const app = createApp({
    audit,
    verifyToken: createTokenVerifier(identity.verifierSettings),
    membership: devMembership(devDirectory),
    store,
    ehr: createEhrGateway({
      ...ehrClient,
      fetch: options.ehrFetch,
      timeoutMs: config.EHR_TIMEOUT_MS,
      mrnSystem: config.EHR_MRN_SYSTEM,
      checkUrl: createLinkGuard({ allowHttp: true, allowLoopback: true }),
    }),
    staticDir: config.staticDir,
    dev: { directory: devDirectory, identity, sandboxPath: SANDBOX_PATH },
  });

  const root = express();
  root.disable('x-powered-by');
  root.use(SANDBOX_PATH, sandbox.router);
  root.use(app);

  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const s = root.listen(config.PORT, config.host, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      audit.close();
    },
  };
}


