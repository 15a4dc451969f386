import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DevDirectory } from '../../server/identity/dev-directory';
import { createSandbox } from '../../server/sandbox/index';
import { startAzureAdTokens } from './azure-ad-tokens';
import type { FakeEntra } from './fake-entra';
import type { GraphEmulator, GraphEmulatorOptions } from './graph-emulator';
import { startHttpsBridge } from './https-bridge';
import type { Json } from './json';
import { productionApp, startDirectoryGraph } from './production-server';
import { testSealKey } from './production-settings';
import type { DevInfo } from './test-server';

/**
 * The stand-ins of production mode (see production-server.ts), each on its own 127.0.0.1 port,
 * for app processes started with `env`: Azure AD shaped SSO tokens (a local JWKS), Azure AD's
 * on-behalf-of endpoint (fake Entra behind an https front, since MSAL talks https only; the
 * child trusts its certificate through NODE_EXTRA_CA_CERTS), Microsoft Graph (the emulator) and
 * the EHR partner (the sandbox, reached through EHR_LINK_ALLOW_LIST). The directory's teams are
 * groups with team sites; its audit readers hold the app role in their tokens.
 */
export interface ProductionStandIns {
  graph: GraphEmulator;
  entra: FakeEntra;
  info: DevInfo;
  /** Settings for an app process in production mode against these stand-ins (add PORT, stores). */
  env: Record<string, string>;
  /** A v2 SSO token of a user, which fake Entra accepts as the OBO assertion. */
  tokenFor(userId: string): Promise<string>;
  /** Calls an app at `baseUrl` as a user; the answer is read to its end. */
  api(
    baseUrl: string,
    userId: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Json; requestId: string | null }>;
  stop(): Promise<void>;
}

export async function startProductionStandIns(
  directory: DevDirectory,
  options: { graph?: GraphEmulatorOptions; patientsPerTenant?: number } = {},
): Promise<ProductionStandIns> {
  const { graph, entra } = await startDirectoryGraph(directory, options.graph);
  const entraHttps = await startHttpsBridge(entra.localUrl, { from: entra.authorityHost });
  const aad = await startAzureAdTokens({ authority: entraHttps.url });

  const sandbox = await createSandbox({
    tenants: directory.tenants.map(({ id, name }) => ({ id, name })),
    patientsPerTenant: options.patientsPerTenant ?? 30,
  });
  const partner: Server = await new Promise((resolve) => {
    const s = express()
      .use('/sandbox', sandbox.router)
      .listen(0, '127.0.0.1', () => resolve(s));
  });
  const partnerOrigin = `http://127.0.0.1:${(partner.address() as AddressInfo).port}`;
  const client = sandbox.registerClient('Patients (production processes)');

  const tokenFor = async (userId: string) => {
    const user = directory.users.find((u) => u.id === userId);
    if (!user) throw new Error(`no user ${userId} in the directory`);
    const roles = directory.auditReaders?.includes(userId) ? { roles: ['Patients.AuditReader'] } : {};
    const token = await aad.tokenFor({ id: userId, tenantId: user.tenantId, name: user.name }, 'v2', roles);
    entra.acceptAssertion(token, user.tenantId, userId);
    return token;
  };
  const tokens = new Map<string, string>();
  return {
    graph,
    entra,
    info: {
      tenants: directory.tenants,
      users: directory.users,
      sandbox: { fhir: { dstu2: `${partnerOrigin}/sandbox/dstu2`, stu3: `${partnerOrigin}/sandbox/stu3`, r4: `${partnerOrigin}/sandbox/r4` } },
    },
    env: {
      APP_MODE: 'production',
      HOST: '127.0.0.1',
      AAD_APP_CLIENT_ID: productionApp.clientId,
      SECRET_AAD_APP_CLIENT_SECRET: productionApp.secret,
      TAB_DOMAIN: productionApp.tabDomain,
      AAD_AUTHORITY: entraHttps.url,
      AAD_JWKS_URL: aad.jwksUrl,
      NODE_EXTRA_CA_CERTS: entraHttps.caFile,
      GRAPH_BASE_URL: graph.url,
      EHR_CLIENT_ID: client.clientId,
      EHR_CLIENT_SECRETS: client.clientSecret,
      EHR_TOKEN_ENDPOINT: `${partnerOrigin}/sandbox/token`,
      EHR_FHIR_ORIGINS: partnerOrigin,
      EHR_LINK_ALLOW_LIST: partnerOrigin,
      STORE_SEAL_KEYS: testSealKey,
    },
    tokenFor,
    async api(baseUrl, userId, method, path, body) {
      if (!tokens.has(userId)) tokens.set(userId, await tokenFor(userId));
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${tokens.get(userId)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return {
        status: res.status,
        body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text || null,
        requestId: res.headers.get('x-request-id'),
      };
    },
    async stop() {
      await entraHttps.stop();
      await entra.close();
      await graph.close();
      partner.closeAllConnections();
      await new Promise((resolve) => partner.close(resolve));
      await aad.close();
    },
  };
}
