import express from 'express';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DevDirectory } from '../../server/auth/dev-directory';
import { createSandbox } from '../../server/sandbox/index';
import { startServer, type RunningServer } from '../../server/start';
import { startFakeEntra, type FakeEntra } from './fake-entra';
import { startGraphEmulator, type GraphEmulator } from './graph-emulator';
import type { DevInfo } from './test-server';

/**
 * The app in production mode with what cannot run here replaced at its HTTP boundary: Teams SSO
 * tokens shaped like Azure AD's (signed by a local key published as a JWKS), Azure AD's
 * on-behalf-of endpoint (fake Entra), Microsoft Graph (the emulator: membership and the team's
 * data), and the EHR partner (the sandbox on its own port, reached through EHR_LINK_ALLOW_LIST).
 * With `staticDir` (the built tab, dist/client) it also serves the tab. The app registration's
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
  api(userId: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export const productionApp = { clientId: '5f3c2a1b-7d4e-4c8f-9a0b-1c2d3e4f5a6b', secret: 'app-secret-for-tests', tabDomain: 'patients.example.org' };

export async function startProductionHarness(directory: DevDirectory, options: { staticDir?: string } = {}): Promise<ProductionHarness> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const key = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [key] })));
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const sign = (claims: Record<string, unknown>, issuer: string, audience: string) =>
    new SignJWT({ scp: 'access_as_user', ver: '2.0', ...claims }).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).setIssuer(issuer).setAudience(audience).setIssuedAt().setExpirationTime('1h').sign(privateKey);

  const graph = await startGraphEmulator();
  for (const tenant of directory.tenants) for (const team of tenant.teams) graph.setPeople(tenant.id, team.id, team.owners, team.members);
  const entra = await startFakeEntra({ clientId: productionApp.clientId, clientSecret: productionApp.secret, mint: (tenantId) => graph.tokenFor(tenantId) });

  const sandbox = await createSandbox({ tenants: directory.tenants.map(({ id, name }) => ({ id, name })), patientsPerTenant: 30 });
  const partner: Server = await new Promise((resolve) => {
    const s = express().use('/sandbox', sandbox.router).listen(0, '127.0.0.1', () => resolve(s));
  });
  const partnerOrigin = `http://127.0.0.1:${(partner.address() as AddressInfo).port}`;
  const client = sandbox.registerClient('Patients (production test)');

  const dataDir = mkdtempSync(join(tmpdir(), 'patients-prod-'));
  const server = await startServer(
    {
      APP_MODE: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      STATIC_DIR: options.staticDir ?? join(dataDir, 'no-tab'),
      AAD_APP_CLIENT_ID: productionApp.clientId,
      SECRET_AAD_APP_CLIENT_SECRET: productionApp.secret,
      TAB_DOMAIN: productionApp.tabDomain,
      AAD_AUTHORITY: entra.authorityHost,
      AAD_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/keys`,
      GRAPH_BASE_URL: graph.url,
      EHR_CLIENT_ID: client.clientId,
      EHR_CLIENT_SECRETS: client.clientSecret,
      EHR_LINK_ALLOW_LIST: partnerOrigin,
    },
    { oboNetworkClient: entra.networkClient },
  );
  entra.addReplyUrl(`https://${productionApp.tabDomain}/consent-end.html`);

  const tenantOf = (userId: string) => directory.users.find((u) => u.id === userId)?.tenantId ?? '';
  const tokenFor = async (userId: string, version: 'v1' | 'v2' = 'v2', claims: Record<string, unknown> = {}) => {
    const tid = tenantOf(userId);
    const name = directory.users.find((u) => u.id === userId)?.name;
    const token =
      version === 'v2'
        ? await sign({ tid, oid: userId, name, ...claims }, `${entra.authorityHost}/${tid}/v2.0`, productionApp.clientId)
        : await sign({ tid, oid: userId, name, ver: '1.0', ...claims }, `https://sts.windows.net/${tid}/`, `api://${productionApp.tabDomain}/${productionApp.clientId}`);
    entra.acceptAssertion(token, tid, userId);
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
    sign,
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
      await new Promise((resolve) => jwks.close(resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
