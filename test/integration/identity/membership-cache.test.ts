import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphMembership } from '../../../server/identity/graph-membership';
import { startGraphEmulator, type GraphEmulator } from '../../helpers/graph-emulator';

// Team membership is asked of Graph and cached briefly. A verified caller can name any team id in
// a path, and each unknown one is an answer ("no such team") that is cached too: the cache must
// stay bounded in entries, not only in time, or such calls would grow the process without end.
const tenantId = '8d7a1c5e-0b9f-4c1a-9e2d-3f4a5b6c7d8e';
const userId = 'a1b2c3d4-0000-4000-8000-000000000001';
const team = '11111111-2222-4333-8444-555555555555';

describe('team membership cache', () => {
  let graph: GraphEmulator;
  const rolesAsked = (teamId: string) => graph.requests.filter((r) => r.path.startsWith(`/v1.0/groups/${teamId}/owners`)).length;

  beforeAll(async () => {
    graph = await startGraphEmulator();
    graph.addGroup(tenantId, team, 'Ward 4B');
    graph.setPeople(tenantId, team, [], [userId]);
  });
  afterAll(() => graph?.close());

  const directory = (cacheEntries: number) =>
    graphMembership({ baseUrl: graph.url, getAccessToken: async () => graph.tokenFor(tenantId, userId), cacheEntries });

  it('answers a repeated question from the cache within its time', async () => {
    const membership = directory(10);
    const before = rolesAsked(team);
    expect(await membership.roleOf(tenantId, team, userId)).toBe('member');
    expect(await membership.roleOf(tenantId, team, userId)).toBe('member');
    expect(rolesAsked(team) - before).toBe(1);
  });

  it('keeps at most its number of entries: calls naming unknown teams push out the oldest, and it asks Graph again', async () => {
    const membership = directory(3);
    const before = rolesAsked(team);
    expect(await membership.roleOf(tenantId, team, userId)).toBe('member');
    for (let i = 0; i < 5; i++) {
      const unknown = `99999999-0000-4000-8000-00000000000${i}`;
      expect(await membership.roleOf(tenantId, unknown, userId)).toBe('no_team');
    }
    // The real team's entry was pushed out by the unknown ones: Graph is asked again, same answer.
    expect(await membership.roleOf(tenantId, team, userId)).toBe('member');
    expect(rolesAsked(team) - before).toBe(2);
  });
});
