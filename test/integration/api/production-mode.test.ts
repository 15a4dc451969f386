import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../server/start';
import { startAzureAdTokens, testAadApp, type AzureAdTokens } from '../../helpers/azure-ad-tokens';
import { startAzurite, type Azurite } from '../../helpers/azurite';
import { startFakeEntra, type FakeEntra } from '../../helpers/fake-entra';
import { startGraphEmulator, type GraphEmulator } from '../../helpers/graph-emulator';
import { suiteRateLimits } from '../../helpers/test-server';
import { testSealKey } from '../../helpers/production-settings';
import { testTab } from '../../helpers/test-tab';

// Production mode end to end, with what cannot run here replaced at its HTTP boundary: Teams SSO
// tokens shaped like Azure AD's v1 and v2 access tokens (signed by a local key, published as a
// JWKS), Azure AD's on-behalf-of endpoint (fake Entra) and Microsoft Graph (the emulator), which
// holds both team membership and the team's data.
const { clientId, tabDomain } = testAadApp;
const clientSecret = 'app-secret-for-tests';
const tenantA = '11111111-aaaa-4aaa-8aaa-111111111111';
const tenantB = '22222222-bbbb-4bbb-8bbb-222222222222';
const team = '33333333-cccc-4ccc-8ccc-333333333333';
const [owner, member, outsider, foreigner] = ['a1', 'a2', 'a3', 'b1'].map((s) => `00000000-0000-4000-8000-0000000000${s}`);

let graph: GraphEmulator;
let entra: FakeEntra;
let aad: AzureAdTokens;
/** The audit table: production never keeps its trail in SQLite. */
let azurite: Azurite;
let server: RunningServer;
let dataDir: string;

beforeAll(async () => {
  graph = await startGraphEmulator();
  graph.setPeople(tenantA, team, [owner], [member]);
  entra = await startFakeEntra({ clientId, clientSecret, mint: (tenantId, userId) => graph.tokenFor(tenantId, userId) });
  aad = await startAzureAdTokens({ authority: entra.authorityHost });
  azurite = await startAzurite();
  dataDir = mkdtempSync(join(tmpdir(), 'patients-prod-'));
  server = await startServer(
    {
      ...suiteRateLimits,
      APP_MODE: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      STATIC_DIR: testTab(dataDir),
      AAD_APP_CLIENT_ID: clientId,
      SECRET_AAD_APP_CLIENT_SECRET: clientSecret,
      TAB_DOMAIN: tabDomain,
      AAD_AUTHORITY: entra.authorityHost,
      AAD_JWKS_URL: aad.jwksUrl,
      GRAPH_BASE_URL: graph.url,
      EHR_CLIENT_ID: 'patients-app',
      EHR_CLIENT_SECRETS: 'partner-secret',
      EHR_TOKEN_ENDPOINT: 'https://partner.example.org/oauth/token',
      EHR_FHIR_ORIGINS: 'https://fhir.example.org',
      AUDIT_STORE: 'azure-table',
      AUDIT_TABLE_CONNECTION_STRING: azurite.connectionString,
      STORE_SEAL_KEYS: testSealKey,
    },
    { oboNetworkClient: entra.networkClient },
  );
});
afterAll(async () => {
  await server?.close();
  await entra?.close();
  await graph?.close();
  await aad?.close();
  await azurite?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A token as Azure AD issues it for the tab: v2 (login.microsoftonline.com/{tid}/v2.0, client id audience) or v1 (sts.windows.net, api:// audience). */
async function tokenFor(userId: string, tenantId: string, version: 'v1' | 'v2' = 'v2', extra: Record<string, unknown> = {}) {
  const token = await aad.tokenFor({ id: userId, tenantId, name: `User ${userId.slice(-2)}` }, version, extra);
  entra.acceptAssertion(token, tenantId, userId);
  return token;
}

async function call(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

const base = `/api/teams/${team}`;

describe('production mode', () => {
  it("keeps a team's lists in its SharePoint site, for its members only, on Azure AD v1 and v2 tokens", async () => {
    const ownerToken = await tokenFor(owner, tenantA);
    expect((await call(ownerToken, 'PUT', `${base}/connection`, { mode: 'manual' })).status).toBe(200);
    const patient = await call(ownerToken, 'POST', `${base}/manual-patients`, { name: 'Grace Hopper', mrn: 'M-77', room: '5C' });
    expect(patient.status).toBe(201);
    const list = await call(ownerToken, 'POST', `${base}/lists`, { name: 'Rounds' });
    expect(list.status).toBe(201);
    await call(ownerToken, 'POST', `${base}/lists/${list.body.id}/patients`, { patientIds: [patient.body.id] });

    const memberToken = await tokenFor(member, tenantA, 'v1');
    const seen = await call(memberToken, 'GET', `${base}/lists/${list.body.id}`);
    expect(seen.body.rows).toMatchObject([{ patientId: patient.body.id, displayName: 'Grace Hopper', mrn: 'M-77' }]);
    expect((await call(memberToken, 'PUT', `${base}/connection`, { mode: 'manual' })).body.code).toBe('owner_required');

    const site = graph.state.siteOfGroup(tenantA, team)!;
    expect([...site.lists.values()].map((l) => l.displayName)).toEqual(expect.arrayContaining(['Patients app – lists', 'Patients – Rounds']));

    // With team data in SharePoint, each change's record is durable before it is acknowledged.
    const reader = await tokenFor(owner, tenantA, 'v2', { roles: ['Patients.AuditReader'] });
    const trail = (await call(reader, 'GET', '/api/audit')).body.events as {
      operation: string;
      outcome: string;
      patientId: string | null;
      userId: string;
    }[];
    expect(trail.map((e) => [e.operation, e.outcome, e.patientId])).toEqual(
      expect.arrayContaining([
        ['PatientDetailsEdit', 'success', patient.body.id],
        ['PatientListCreate', 'success', null],
        ['PatientListAddPatient', 'success', patient.body.id],
        ['PatientListView', 'success', patient.body.id],
        ['EHRConnectionSet', 'failure', null],
      ]),
    );
  });

  it('keeps outsiders and other tenants out', async () => {
    expect((await call(await tokenFor(outsider, tenantA), 'GET', `${base}/lists`)).body.code).toBe('not_team_member');
    expect((await call(await tokenFor(foreigner, tenantB), 'GET', `${base}/lists`)).body.code).toBe('team_not_found');
  });

  it('refuses tokens that are not for this app', async () => {
    const wrongAudience = await aad.sign({ tid: tenantA, oid: owner }, `${entra.authorityHost}/${tenantA}/v2.0`, 'api://someone-else');
    expect((await call(wrongAudience, 'GET', `${base}/lists`)).status).toBe(401);
    const wrongScope = await tokenFor(owner, tenantA, 'v2', { scp: 'User.Read' });
    expect((await call(wrongScope, 'GET', `${base}/lists`)).body.code).toBe('unauthenticated');
  });

  it('asks for consent when the user has not given it', async () => {
    const userWithoutConsent = '00000000-0000-4000-8000-0000000000a9';
    graph.setPeople(tenantA, team, [owner], [member, userWithoutConsent]);
    entra.withoutConsent(userWithoutConsent);
    const res = await call(await tokenFor(userWithoutConsent, tenantA), 'GET', `${base}/lists`);
    expect(res).toMatchObject({ status: 403, body: { code: 'consent_required' } });
  });

  it("gives the tab's consent popup the app's client id, Azure AD host and Graph scopes, without a token", async () => {
    const res = await fetch(`${server.url}/api/consent-config`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      clientId,
      authority: entra.authorityHost,
      scopes: [
        'https://graph.microsoft.com/Sites.Manage.All',
        'https://graph.microsoft.com/GroupMember.Read.All',
        'https://graph.microsoft.com/Team.ReadBasic.All',
      ],
    });
  });

  it('refuses EHR links on loopback or without https, and offers no dev endpoints', async () => {
    const ownerToken = await tokenFor(owner, tenantA);
    // The team's list holds a patient (above), so the change is confirmed: the link itself is what is refused.
    const res = await call(ownerToken, 'PUT', `${base}/connection`, { mode: 'ehr', url: 'http://127.0.0.1:9/fhir', name: 'Local', confirm: true });
    expect(res.body.code).toBe('link_not_allowed');
    expect((await fetch(`${server.url}/dev/info`)).status).toBe(404);
  });
});
