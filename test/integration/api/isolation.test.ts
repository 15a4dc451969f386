import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devDirectory } from '../../../server/identity/dev-directory';
import { startProductionHarness } from '../../helpers/production-server';
import { startTestServer, type DevInfo } from '../../helpers/test-server';
import type { Json } from '../../helpers/json';

// Every team route, for every kind of caller: owner, member, an outsider of the same tenant,
// and a user of the other tenant. Each team's own list and patient are the targets. Both stores:
// SQLite in dev mode, and the team's SharePoint site through Graph in production mode.
interface Harness {
  info: DevInfo;
  api(userId: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }>;
  stop(): Promise<void>;
}
const harnesses: [string, () => Promise<Harness>][] = [
  ['SQLite store, dev mode', startTestServer],
  ['Graph store, production mode', () => startProductionHarness(devDirectory)],
];

describe.each(harnesses)('%s', (_name, start) => {
  let server: Harness;
  interface TeamFixture {
    tenantId: string;
    teamId: string;
    owner: string;
    member: string;
    outsider?: string;
    foreigner: string;
    listId: string;
    otherListId: string;
    patientId: string;
  }
  const fixtures: TeamFixture[] = [];

  beforeAll(async () => {
    server = await start();
    const { tenants } = server.info;
    for (const tenant of tenants) {
      const foreigner = server.info.users.find((u) => u.tenantId !== tenant.id)!.id;
      for (const team of tenant.teams) {
        const owner = team.owners[0];
        const member = team.members.find((m) => !team.owners.includes(m))!;
        const outsider = server.info.users.find((u) => u.tenantId === tenant.id && !team.members.includes(u.id))?.id;
        const base = `/api/teams/${team.id}`;
        expect((await server.api(owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'EHR' })).status).toBe(
          200,
        );
        const patientId = (await server.api(owner, 'GET', `${base}/patients?gender=female&count=1`)).body.patients[0].id;
        const listId = (await server.api(owner, 'POST', `${base}/lists`, { name: 'Ward' })).body.id;
        const otherListId = (await server.api(owner, 'POST', `${base}/lists`, { name: 'Other' })).body.id;
        await server.api(owner, 'POST', `${base}/lists/${listId}/patients`, { patientIds: [patientId] });
        fixtures.push({ tenantId: tenant.id, teamId: team.id, owner, member, outsider, foreigner, listId, otherListId, patientId });
      }
    }
  });
  afterAll(() => server?.stop());

  type Route = { name: string; method: string; path: (f: TeamFixture) => string; body?: (f: TeamFixture) => unknown; ownerOnly?: boolean };
  const routes: Route[] = [
    { name: 'read the connection', method: 'GET', path: () => '/connection' },
    {
      name: 'set the connection',
      method: 'PUT',
      path: () => `/connection`,
      body: () => ({ mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'EHR' }),
      ownerOnly: true,
    },
    { name: 'search patients', method: 'GET', path: () => `/patients?gender=male&count=1` },
    { name: 'read a patient', method: 'GET', path: (f) => `/patients/${f.patientId}` },
    { name: 'read notes', method: 'GET', path: (f) => `/patients/${f.patientId}/notes` },
    { name: 'add a note', method: 'POST', path: (f) => `/patients/${f.patientId}/notes`, body: () => ({ text: 'checked' }) },
    { name: 'see the lists', method: 'GET', path: () => `/lists` },
    { name: 'create a list', method: 'POST', path: () => `/lists`, body: () => ({ name: 'New' }) },
    { name: 'read a list', method: 'GET', path: (f) => `/lists/${f.listId}` },
    { name: 'export a list', method: 'GET', path: (f) => `/lists/${f.listId}/export.csv` },
    { name: 'ask for a download link', method: 'POST', path: (f) => `/lists/${f.listId}/export`, body: () => ({ timeZone: 'UTC' }) },
    { name: 'edit a list', method: 'PATCH', path: (f) => `/lists/${f.otherListId}`, body: () => ({ columns: ['name', 'mrn'] }) },
    { name: 'add a patient', method: 'POST', path: (f) => `/lists/${f.otherListId}/patients`, body: (f) => ({ patientIds: [f.patientId] }) },
    { name: 'set a default list', method: 'PUT', path: () => `/me/default-list`, body: (f) => ({ listId: f.otherListId }) },
  ];

  const callers = ['owner', 'member', 'outsider', 'foreigner'] as const;

  describe.each(routes)('$name', (route) => {
    it.each(callers)('as %s of each team of each tenant', async (kind) => {
      for (const f of fixtures) {
        const userId = f[kind];
        if (!userId) continue;
        const res = await server.api(userId, route.method, `/api/teams/${f.teamId}${route.path(f)}`, route.body?.(f));
        const expected =
          kind === 'foreigner'
            ? 404
            : kind === 'outsider'
              ? 403
              : route.ownerOnly && kind === 'member'
                ? 403
                : route.method === 'POST' && route.name !== 'add a patient'
                  ? 201
                  : 200;
        expect(res.status, `${kind} of ${f.teamId}`).toBe(expected);
        if (expected >= 400) {
          expect(res.body.code).toBe(kind === 'foreigner' ? 'team_not_found' : kind === 'outsider' ? 'not_team_member' : 'owner_required');
        }
      }
    });
  });

  it('downloads a list through its single-use link, membership checked and the store read again on behalf of the user', async () => {
    const running = server as unknown as { url?: string; server?: { url: string } };
    const origin = running.url ?? running.server!.url;
    for (const f of fixtures) {
      const link = await server.api(f.member, 'POST', `/api/teams/${f.teamId}/lists/${f.listId}/export`, { timeZone: 'UTC' });
      expect(link.status, f.teamId).toBe(201);
      const res = await fetch(`${origin}${link.body.url}`);
      expect(res.status, f.teamId).toBe(200);
      expect(await res.text()).toMatch(/^Name,MRN,Birth date,Gender\r\n.+,/);
    }
  });

  it("never reaches another team's list or notes through one's own team", async () => {
    for (const mine of fixtures) {
      for (const theirs of fixtures.filter((f) => f.teamId !== mine.teamId)) {
        const base = `/api/teams/${mine.teamId}`;
        expect((await server.api(mine.owner, 'GET', `${base}/lists/${theirs.listId}`)).body.code).toBe('list_not_found');
        expect((await server.api(mine.owner, 'DELETE', `${base}/lists/${theirs.listId}`)).body.code).toBe('list_not_found');
        expect((await server.api(mine.owner, 'POST', `${base}/lists/${theirs.listId}/export`, { timeZone: 'UTC' })).body.code).toBe('list_not_found');
        expect(
          (await server.api(mine.owner, 'POST', `${base}/lists/${mine.listId}/patients/${mine.patientId}/move`, { toListId: theirs.listId })).body
            .code,
        ).toBe('list_not_found');
      }
    }
    for (const f of fixtures) {
      const view = (await server.api(f.owner, 'GET', `/api/teams/${f.teamId}/lists/${f.listId}`)).body;
      expect(view.rows.map((r: { patientId: string }) => r.patientId)).toEqual([f.patientId]);
    }
  });
});
