import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../server/start';

export interface DevInfo {
  tenants: { id: string; name: string; teams: { id: string; name: string; owners: string[]; members: string[] }[] }[];
  users: { id: string; name: string; tenantId: string }[];
  sandbox: { fhir: { dstu2: string; stu3: string; r4: string } };
}

export interface TestServer extends RunningServer {
  dataDir: string;
  info: DevInfo;
  /** A dev SSO token for a user of the dev directory. */
  tokenFor(userId: string): Promise<string>;
  /** Calls the API as a user; `body` is sent as JSON. */
  api(userId: string | null, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Stops the server, keeping or removing its data folder. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** The real server in dev mode on a free loopback port, with its own data folder. */
export async function startTestServer(env: Record<string, string> = {}, dataDir?: string): Promise<TestServer> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'patients-it-'));
  const server = await startServer({ PORT: '0', DATA_DIR: dir, SANDBOX_PATIENTS: '30', STATIC_DIR: join(dir, 'no-tab'), ...env });
  const info = (await (await fetch(`${server.url}/dev/info`)).json()) as DevInfo;
  const tokens = new Map<string, string>();
  const tokenFor = async (userId: string) => {
    if (!tokens.has(userId)) {
      const res = await fetch(`${server.url}/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
      });
      tokens.set(userId, ((await res.json()) as { access_token: string }).access_token);
    }
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
      return { status: res.status, body: text && json ? JSON.parse(text) : text || null };
    },
    async stop(options = {}) {
      await server.close();
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
