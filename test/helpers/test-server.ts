import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devDirectory } from '../../server/identity/dev-directory';
import { startServer, type RunningServer, type StartOptions } from '../../server/start';
import { startAzureAdTokens } from './azure-ad-tokens';
import { checkAnswer } from './contract-check';
import type { Json } from './json';
import { testTab } from './test-tab';

export interface DevInfo {
  tenants: { id: string; name: string; teams: { id: string; name: string; owners: string[]; members: string[] }[] }[];
  users: { id: string; name: string; tenantId: string }[];
  sandbox: { fhir: { dstu2: string; stu3: string; r4: string } };
}

export interface TestServer extends RunningServer {
  dataDir: string;
  info: DevInfo;
  /** An SSO token for a user of the dev directory, as the server expects it (see startTestSso). */
  tokenFor(userId: string): Promise<string>;
  /** Calls the API as a user; `body` is sent as JSON. The answer is checked against the contract. */
  api(userId: string | null, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }>;
  /** Stops the server, keeping or removing its data folder. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/**
 * The SSO tokens the API suites call with: the dev identity provider's (`/dev/token`), or, when
 * TEST_SSO=azure-ad (the `integration-aad` project), tokens shaped like Azure AD's that the
 * server verifies against a local JWKS with Azure AD's issuers (SSO=azure-ad). Users alternate
 * between v2 and v1 tokens; audit readers hold the app role in `roles`, as Azure AD puts it.
 */
export interface TestSso {
  kind: 'dev' | 'azure-ad';
  /** Settings that make the server accept these tokens. */
  env: Record<string, string>;
  tokenFor(serverUrl: string, userId: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestSso(kind = process.env.TEST_SSO ?? 'dev'): Promise<TestSso> {
  if (kind === 'dev') {
    return {
      kind,
      env: {},
      async tokenFor(serverUrl, userId) {
        const res = await fetch(`${serverUrl}/dev/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId }),
        });
        return ((await res.json()) as { access_token: string }).access_token;
      },
      close: async () => {},
    };
  }
  if (kind !== 'azure-ad') throw new Error(`TEST_SSO must be dev or azure-ad, not ${kind}`);
  const aad = await startAzureAdTokens();
  return {
    kind,
    env: aad.settings,
    async tokenFor(_serverUrl, userId) {
      const index = devDirectory.users.findIndex((u) => u.id === userId);
      if (index < 0) throw new Error(`no user ${userId} in the dev directory`);
      const roles = devDirectory.auditReaders?.includes(userId) ? { roles: ['Patients.AuditReader'] } : {};
      return aad.tokenFor(devDirectory.users[index], index % 2 === 0 ? 'v2' : 'v1', roles);
    },
    close: aad.close,
  };
}

/**
 * Suites connect and search far faster than a person: they run with generous limits, and
 * `rate-limits.test.ts` checks the limits themselves with small ones.
 */
export const suiteRateLimits = {
  RATE_LIMIT_USER_PER_MINUTE: '100000',
  RATE_LIMIT_SEARCH_PER_MINUTE: '100000',
  RATE_LIMIT_CONNECTION_CHECK_PER_MINUTE: '100000',
  RATE_LIMIT_TENANT_PER_MINUTE: '100000',
  RATE_LIMIT_FAILED_AUTH: '100000',
};

/** The real server in dev mode on a free loopback port, with its own data folder. */
export async function startTestServer(env: Record<string, string> = {}, dataDir?: string, options: StartOptions = {}): Promise<TestServer> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'patients-it-'));
  const sso = await startTestSso();
  const server = await startServer(
    {
      PORT: '0',
      DATA_DIR: dir,
      SANDBOX_PATIENTS: '30',
      // A stand-in tab: dev mode would warn that the tab is not built.
      STATIC_DIR: testTab(dir),
      ...suiteRateLimits,
      ...sso.env,
      ...env,
    },
    options,
  ).catch(async (err) => {
    await sso.close();
    throw err;
  });
  const info = (await (await fetch(`${server.url}/dev/info`)).json()) as DevInfo;
  const tokens = new Map<string, string>();
  const tokenFor = async (userId: string) => {
    if (!tokens.has(userId)) tokens.set(userId, await sso.tokenFor(server.url, userId));
    return tokens.get(userId)!;
  };
  return {
    ...server,
    dataDir: dir,
    info,
    tokenFor,
    async api(userId, method, path, body) {
      const headers: Record<string, string> = {};
      if (userId) headers.authorization = `Bearer ${await tokenFor(userId)}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      const json = res.headers.get('content-type')?.includes('json');
      const answer = text && json ? JSON.parse(text) : text || null;
      // Every answer is checked against the contract (contract/routes.ts): a mismatch fails the test.
      checkAnswer(method, path, res.status, answer, Boolean(json));
      return { status: res.status, body: answer };
    },
    async stop(options = {}) {
      await server.close();
      await sso.close();
      if (!options.keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The dev directory's cast, by role, for tests that read like the story they tell. */
export function cast(info: DevInfo) {
  const [contoso, fabrikam] = info.tenants;
  const team = contoso.teams[0];
  const owner = team.owners[0];
  const member = team.members.find((m) => !team.owners.includes(m))!;
  // A team of the same tenant with a tenant user who is not in it.
  const closedTeam = contoso.teams.find((t) => info.users.some((u) => u.tenantId === contoso.id && !t.members.includes(u.id)))!;
  const outsider = info.users.find((u) => u.tenantId === contoso.id && !closedTeam.members.includes(u.id))!.id;
  const otherTenantTeam = fabrikam.teams[0];
  return { contoso, fabrikam, team, owner, member, closedTeam, outsider, otherTenantTeam, otherTenantOwner: otherTenantTeam.owners[0] };
}
