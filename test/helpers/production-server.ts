import express from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DevDirectory } from '../../server/identity/dev-directory';
import { createSandbox } from '../../server/sandbox/index';
import { startServer, type RunningServer } from '../../server/start';
import { startAzureAdTokens, testAadApp } from './azure-ad-tokens';
import { startAzurite } from './azurite';
import { startFakeEntra, type FakeEntra } from './fake-entra';
import { startGraphEmulator, type GraphEmulator, type GraphEmulatorOptions } from './graph-emulator';
import { testSealKey } from './production-settings';
import type { DevInfo } from './test-server';
import { suiteRateLimits } from './test-server';
import { testTab } from './test-tab';
import type { Json } from './json';

/**
 * The app in production mode with what cannot run here replaced at its HTTP boundary: Teams SSO
 * tokens shaped like Azure AD's (signed by a local key published as a JWKS), Azure AD's
 * on-behalf-of endpoint (fake Entra), Microsoft Graph (the emulator: membership and the team's
 * data), and the EHR partner (the sandbox on its own port, reached through EHR_LINK_ALLOW_LIST).
 * With `staticDir` (the built tab, dist/client) it serves the tab; without, a stand-in index.html
 * (testTab), since production does not start without one. The app registration's
 * redirect URI is the consent end page at https://{TAB_DOMAIN}, as in aad.manifest.json: browser
 * tests open the tab at that origin (TeamsJS only opens https popups) and route it here.
 */
export interface ProductionHarness {
  server: RunningServer;
  graph: GraphEmulator;
  entra: FakeEntra;
  /** The directory in the shape of /dev/info, with the sandbox's FHIR links. */
  info: DevInfo;
  /** An Azure AD shaped token of a user: v2 (client id audience) or v1 (api:// audience). */
  tokenFor(userId: string, version?: 'v1' | 'v2', claims?: Record<string, unknown>): Promise<string>;
  sign(claims: Record<string, unknown>, issuer: string, audience: string): Promise<string>;
  api(userId: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }>;
  stop(): Promise<void>;
}

export const productionApp = { ...testAadApp, secret: 'app-secret-for-tests' };

/**
 * The Graph emulator holding the directory's teams, members and names, and fake Entra minting
 * its on-behalf-of tokens for the production app registration.
 */
export async function startDirectoryGraph(
  directory: DevDirectory,
  options?: GraphEmulatorOptions,
): Promise<{ graph: GraphEmulator; entra: FakeEntra }> {
  const graph = await startGraphEmulator(options);
  for (const tenant of directory.tenants) {
    for (const team of tenant.teams) {
      graph.addGroup(tenant.id, team.id, team.name);
      graph.setPeople(tenant.id, team.id, team.owners, team.members);
    }
  }
  for (const user of directory.users) graph.state.userNames.set(user.id, user.name);
  const entra = await startFakeEntra({
    clientId: productionApp.clientId,
    clientSecret: productionApp.secret,
    mint: (tenantId, userId) => graph.tokenFor(tenantId, userId),
  });
  return { graph, entra };
}

export async function startProductionHarness(
  directory: DevDirectory,
  options: { staticDir?: string; graphPageSize?: number } = {},
): Promise<ProductionHarness> {
  const { graph, entra } = await startDirectoryGraph(directory, { pageSize: options.graphPageSize });
  const aad = await startAzureAdTokens({ authority: entra.authorityHost });

  const sandbox = await createSandbox({ tenants: directory.tenants.map(({ id, name }) => ({ id, name })), patientsPerTenant: 30 });
  const partner: Server = await new Promise((resolve) => {
    const s = express()
      .use('/sandbox', sandbox.router)
      .listen(0, '127.0.0.1', () => resolve(s));
  });
  const partnerOrigin = `http://127.0.0.1:${(partner.address() as AddressInfo).port}`;
  const client = sandbox.registerClient('Patients (production test)');

  // Production keeps its audit trail in Azure Table Storage, never SQLite: azurite on loopback here.
  const azurite = await startAzurite();
  const dataDir = mkdtempSync(join(tmpdir(), 'patients-prod-'));
  const server = await startServer(
    {
      ...suiteRateLimits,
      APP_MODE: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      STATIC_DIR: options.staticDir ?? testTab(dataDir),
      AAD_APP_CLIENT_ID: productionApp.clientId,
      SECRET_AAD_APP_CLIENT_SECRET: productionApp.secret,
      TAB_DOMAIN: productionApp.tabDomain,
      AAD_AUTHORITY: entra.authorityHost,
      AAD_JWKS_URL: aad.jwksUrl,
      GRAPH_BASE_URL: graph.url,
      EHR_CLIENT_ID: client.clientId,
      EHR_CLIENT_SECRETS: client.clientSecret,
      EHR_TOKEN_ENDPOINT: `${partnerOrigin}/sandbox/token`,
      EHR_FHIR_ORIGINS: partnerOrigin,
      EHR_LINK_ALLOW_LIST: partnerOrigin,
      AUDIT_STORE: 'azure-table',
      AUDIT_TABLE_CONNECTION_STRING: azurite.connectionString,
      STORE_SEAL_KEYS: testSealKey,
    },
    { oboNetworkClient: entra.networkClient },
  );
  entra.addReplyUrl(`https://${productionApp.tabDomain}/consent-end.html`);

  const tokenFor = async (userId: string, version: 'v1' | 'v2' = 'v2', claims: Record<string, unknown> = {}) => {
    const user = directory.users.find((u) => u.id === userId);
    const tenantId = user?.tenantId ?? '';
    const token = await aad.tokenFor({ id: userId, tenantId, name: user?.name }, version, claims);
    entra.acceptAssertion(token, tenantId, userId);
    return token;
  };
  const tokens = new Map<string, string>();
  return {
    server,
    graph,
    entra,
    info: {
      tenants: directory.tenants,
      users: directory.users,
      sandbox: { fhir: { dstu2: `${partnerOrigin}/sandbox/dstu2`, stu3: `${partnerOrigin}/sandbox/stu3`, r4: `${partnerOrigin}/sandbox/r4` } },
    },
    tokenFor,
    sign: aad.sign,
    async api(userId, method, path, body) {
      if (!tokens.has(userId)) tokens.set(userId, await tokenFor(userId));
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${tokens.get(userId)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text || null };
    },
    async stop() {
      await server.close();
      await entra.close();
      await graph.close();
      partner.closeAllConnections();
      await new Promise((resolve) => partner.close(resolve));
      await aad.close();
      await azurite.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
