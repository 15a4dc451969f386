import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevDirectory, DevTeam, DevUser } from '../../../server/identity/dev-directory';
import { IMPORT_UPLOADS_PER_USER } from '../../../server/features/manual/import-uploads';
import { startProductionHarness, type ProductionHarness } from '../../helpers/production-server';

/**
 * What one organisation can hold of an instance's uploads waiting for their import, through the
 * API (production mode: Graph, and the held-items table every instance shares). Two organisations
 * anyone could create, each one person owning ten teams, upload a tiny file to every team and
 * never import it: each person holds IMPORT_UPLOADS_PER_USER uploads (their newest), and a
 * hospital's owner in a third organisation still uploads.
 */
const id = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;
const victimTenant = id('7d3f0c3e', 1);
const victim: DevUser = { id: id('0a1b2c3d', 1), name: 'Avery Nguyen', tenantId: victimTenant };
const hostileTenants = [id('b2e4a9f1', 2), id('b2e4a9f1', 3)];
const hostiles: DevUser[] = hostileTenants.map((tenantId, i) => ({ id: id('0a1b2c3d', 100 + i), name: `Mallory ${i + 1}`, tenantId }));
const teamsOf = (user: DevUser, from: number, count: number): DevTeam[] =>
  Array.from({ length: count }, (_, i) => ({ id: id('c0ffee00', from + i), name: `Team ${from + i}`, owners: [user.id], members: [user.id] }));

const directory: DevDirectory = {
  tenants: [
    { id: victimTenant, name: 'St Mary', teams: teamsOf(victim, 1, 1) },
    ...hostiles.map((user, i) => ({ id: user.tenantId, name: `Hostile ${i + 1}`, teams: teamsOf(user, 100 + 20 * i, 10) })),
  ],
  users: [victim, ...hostiles],
};

describe('held uploads through the API, production mode', () => {
  let server: ProductionHarness;
  const upload = async (userId: string, teamId: string) => {
    const res = await fetch(`${server.server.url}/api/teams/${teamId}/manual-import/file`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await server.tokenFor(userId)}`,
        'content-type': 'application/octet-stream',
        'x-file-name': 'ward.csv',
      },
      body: Buffer.from('Name;MRN\r\nAda Lovelace;Q-1\r\n'),
    });
    return { status: res.status, body: (await res.json()) as { token?: string; code?: string; message?: string } };
  };
  const preview = async (userId: string, teamId: string, token: string) =>
    (
      await server.api(userId, 'POST', `/api/teams/${teamId}/manual-import/preview`, {
        token,
        mapping: [
          { target: 'name', column: 'Name' },
          { target: 'mrn', column: 'MRN' },
        ],
      })
    ).status;

  beforeAll(async () => {
    server = await startProductionHarness(directory);
    for (const tenant of directory.tenants)
      for (const team of tenant.teams)
        expect((await server.api(team.owners[0], 'PUT', `/api/teams/${team.id}/connection`, { mode: 'manual' })).status).toBe(200);
  }, 240_000);
  afterAll(() => server?.stop());

  it("hostile organisations uploading to every team they own hold only each person's newest few, and another hospital still uploads", async () => {
    for (const [i, user] of hostiles.entries()) {
      const teams = directory.tenants[i + 1].teams;
      const tokens: string[] = [];
      for (const team of teams) {
        const sent = await upload(user.id, team.id);
        expect(sent.status).toBe(200);
        tokens.push(sent.body.token!);
      }
      // The person's newest uploads are kept; each new one past the cap replaced their oldest.
      const kept = teams.length - IMPORT_UPLOADS_PER_USER;
      for (const [n, team] of teams.entries()) expect(await preview(user.id, team.id, tokens[n])).toBe(n < kept ? 404 : 200);
    }
    const mine = await upload(victim.id, directory.tenants[0].teams[0].id);
    expect(mine.status).toBe(200);
    expect(await preview(victim.id, directory.tenants[0].teams[0].id, mine.body.token!)).toBe(200);
  }, 120_000);
});
