import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../../server/identity/dev-identity';
import { startServer, type RunningServer } from '../../../server/start';
import { startAzureAdTokens, testAadApp, type AzureAdTokens } from '../../helpers/azure-ad-tokens';
import { cast, type DevInfo } from '../../helpers/test-server';
import { suiteRateLimits } from '../../helpers/test-server';

// Dev mode with SSO=azure-ad: the dev directory, the sandbox and SQLite stay, but only tokens
// shaped like Azure AD's, signed by a key of the configured JWKS, get in; dev tokens are gone.
let aad: AzureAdTokens;
let server: RunningServer;
let info: DevInfo;
let who: ReturnType<typeof cast>;
const dataDir = mkdtempSync(join(tmpdir(), 'patients-dev-aad-'));
const user = (id: string) => info.users.find((u) => u.id === id)!;

beforeAll(async () => {
  aad = await startAzureAdTokens();
  server = await startServer({
    ...suiteRateLimits,
    PORT: '0',
    DATA_DIR: dataDir,
    STATIC_DIR: join(dataDir, 'no-tab'),
    SANDBOX_PATIENTS: '3',
    ...aad.settings,
  });
  info = (await (await fetch(`${server.url}/dev/info`)).json()) as DevInfo;
  who = cast(info);
});
afterAll(async () => {
  await server?.close();
  await aad?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

it('lets dev directory users in on Azure AD v1 and v2 tokens, against the sandbox', async () => {
  const base = `/api/teams/${who.team.id}`;
  const ownerToken = await aad.tokenFor(user(who.owner), 'v2');
  const memberToken = await aad.tokenFor(user(who.member), 'v1');
  const connected = await call(ownerToken, 'PUT', `${base}/connection`, { mode: 'ehr', url: info.sandbox.fhir.r4, name: 'Sandbox' });
  expect(connected).toMatchObject({ status: 200, body: { mode: 'ehr', fhirVersion: 'R4' } });
  expect((await call(memberToken, 'POST', `${base}/lists`, { name: 'Handoff' })).status).toBe(201);
  expect((await call(ownerToken, 'GET', `${base}/lists`)).body.map((l: { name: string }) => l.name)).toContain('Handoff');
  expect((await call(memberToken, 'PUT', `${base}/connection`, { mode: 'manual' })).body.code).toBe('owner_required');
});

it('neither issues nor accepts dev identity tokens', async () => {
  const issued = await fetch(`${server.url}/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: who.owner }),
  });
  expect(issued.status).toBe(404);
  const owner = user(who.owner);
  const devShaped = await aad.sign({ tid: owner.tenantId, oid: owner.id }, DEV_ISSUER, DEV_AUDIENCE);
  expect(await call(devShaped, 'GET', `/api/teams/${who.team.id}/lists`)).toMatchObject({ status: 401, body: { code: 'unauthenticated' } });
});

it("refuses a token claiming another tenant's issuer, or signed by a key outside the JWKS", async () => {
  const owner = user(who.owner);
  const crossTenant = await aad.sign(
    { tid: owner.tenantId, oid: owner.id },
    `https://login.microsoftonline.com/${who.fabrikam.id}/v2.0`,
    testAadApp.clientId,
  );
  expect((await call(crossTenant, 'GET', `/api/teams/${who.team.id}/lists`)).status).toBe(401);
  const stranger = await startAzureAdTokens();
  try {
    const forged = await stranger.tokenFor(owner, 'v2');
    expect((await call(forged, 'GET', `/api/teams/${who.team.id}/lists`)).status).toBe(401);
  } finally {
    await stranger.close();
  }
});
