import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devDirectory, type DevDirectory } from '../../../server/identity/dev-directory';
import { startServer } from '../../../server/start';
import { startAzureAdTokens } from '../../helpers/azure-ad-tokens';
import { startProductionHarness, type ProductionHarness } from '../../helpers/production-server';
import { cast, startTestServer, type DevInfo } from '../../helpers/test-server';
import type { Json } from '../../helpers/json';

// GET /api/me/teams: the caller's teams for the personal tab and group chats, from the dev
// directory in dev mode and from Microsoft Graph's /me/joinedTeams (the emulator) in production.
interface Harness {
  url: string;
  info: DevInfo;
  api(userId: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }>;
  stop(): Promise<void>;
}

// A Contoso user in no team at all, beside the dev directory's people.
const loner = { id: '0a1b2c3d-0000-4000-8000-000000000099', name: 'Harper Quinn', tenantId: devDirectory.users[0].tenantId };
const withLoner: DevDirectory = { ...devDirectory, users: [...devDirectory.users, loner] };

const harnesses: [string, () => Promise<Harness>][] = [
  ['dev mode, dev directory', startTestServer],
  [
    'production mode, Graph',
    async () => {
      const production = await startProductionHarness(withLoner);
      return { ...production, url: production.server.url };
    },
  ],
];

describe.each(harnesses)('%s', (_name, start) => {
  let server: Harness;
  let who: ReturnType<typeof cast>;
  let cardiology: DevInfo['tenants'][number]['teams'][number];

  beforeAll(async () => {
    server = await start();
    who = cast(server.info);
    cardiology = who.contoso.teams.find((t) => t.id !== who.team.id)!;
    // The first team keeps its lists by hand, the second reads the sandbox EHR; the other tenant's are not set up.
    expect((await server.api(who.owner, 'PUT', `/api/teams/${who.team.id}/connection`, { mode: 'manual' })).status).toBe(200);
    const ehr = { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'Cardiology EHR' };
    expect((await server.api(cardiology.owners[0], 'PUT', `/api/teams/${cardiology.id}/connection`, ehr)).status).toBe(200);
  });
  afterAll(() => server?.stop());

  it("lists the caller's teams by name, with how each is set up and the caller's role", async () => {
    const res = await server.api(who.owner, 'GET', '/api/me/teams');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      teams: [
        { id: cardiology.id, name: cardiology.name, mode: 'ehr', role: 'member' },
        { id: who.team.id, name: who.team.name, mode: 'manual', role: 'owner' },
      ],
    });
  });

  it("gives every user of the tenant exactly the tenant's teams they are in, and no other", async () => {
    for (const user of server.info.users.filter((u) => u.tenantId === who.contoso.id)) {
      const res = await server.api(user.id, 'GET', '/api/me/teams');
      const theirs = who.contoso.teams
        .filter((t) => t.members.includes(user.id))
        .map((t) => t.id)
        .sort();
      expect(res.body.teams.map((t: { id: string }) => t.id).sort(), user.name).toEqual(theirs);
    }
  });

  it("shows a user of another tenant only their own tenant's teams", async () => {
    const res = await server.api(who.otherTenantOwner, 'GET', '/api/me/teams');
    expect(res.status).toBe(200);
    const own = who.fabrikam.teams.filter((t) => t.members.includes(who.otherTenantOwner));
    expect(res.body.teams).toEqual(
      own
        .map((t) => ({ id: t.id, name: t.name, mode: 'unset', role: t.owners.includes(who.otherTenantOwner) ? 'owner' : 'member' }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it('refuses a caller without a token', async () => {
    const res = await fetch(`${server.url}/api/me/teams`);
    expect(res.status).toBe(401);
  });
});

describe('production mode, Graph answering one team per page', () => {
  let production: ProductionHarness;
  beforeAll(async () => {
    production = await startProductionHarness(withLoner, { graphPageSize: 1 });
  });
  afterAll(() => production?.stop());

  it('reads every page of joined teams, and answers an empty list for a user in no team', async () => {
    const [contoso] = production.info.tenants;
    const member = contoso.teams[0].owners[0];
    const theirs = contoso.teams.filter((t) => t.members.includes(member));
    expect(theirs.length).toBeGreaterThan(1);
    const res = await production.api(member, 'GET', '/api/me/teams');
    expect(res.body.teams.map((t: { name: string }) => t.name)).toEqual(theirs.map((t) => t.name).sort((a, b) => a.localeCompare(b)));
    const joined = production.graph.requests.filter((r) => r.path.startsWith('/v1.0/me/joinedTeams'));
    expect(joined.filter((r) => decodeURIComponent(r.path).includes('$skiptoken=')).length).toBe(theirs.length - 1);
    expect(await production.api(loner.id, 'GET', '/api/me/teams')).toEqual({ status: 200, body: { teams: [] } });
  });
});

// Dev mode with Azure AD tokens (SSO=azure-ad): an Entra user of a dev tenant whom no team lists.
describe('dev mode, a user in no team', () => {
  it('answers an empty list', async () => {
    const aad = await startAzureAdTokens();
    const dataDir = mkdtempSync(join(tmpdir(), 'patients-my-teams-'));
    const server = await startServer({
      PORT: '0',
      DATA_DIR: dataDir,
      STATIC_DIR: join(dataDir, 'no-tab'),
      SANDBOX_PATIENTS: '3',
      ...aad.settings,
    });
    try {
      const token = await aad.tokenFor(loner);
      const res = await fetch(`${server.url}/api/me/teams`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ teams: [] });
    } finally {
      await server.close();
      await aad.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
