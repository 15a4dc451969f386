import { LRUCache } from 'lru-cache';
import { createGraphApi } from '../platform/graph/graph-api.js';
import { GraphAccessError, GraphRequestFailed } from '../platform/graph/graph-errors.js';
import type { JoinedTeam, MembershipDirectory, TeamPerson, TeamRole } from './membership.js';

/**
 * Membership comes from Graph itself, not from rows a team's members can write, but a read still
 * stops somewhere: at Teams' own limits (learn.microsoft.com/microsoftteams/limits-specifications-teams),
 * 25,000 members in a team (its at most 100 owners among them) and 1,000 teams a user is a member of.
 */
const TEAM_PEOPLE = { maxItems: 25_000 };
const USER_TEAMS = { maxItems: 1_000 };

/**
 * Team membership from Microsoft Graph, with the caller's own delegated token (a team is a
 * Microsoft 365 group: its owners and members). Answers are cached briefly per user and team.
 * The user's teams come from `GET /me/joinedTeams` (learn.microsoft.com/graph/api/user-list-joinedteams,
 * delegated Team.ReadBasic.All): "me" is the user of the token, which is the caller's own.
 * The caches are bounded in entries as well as in time: a caller naming team after unknown team
 * (each cached as no team) pushes out the least recently used entries, never grows the process.
 */
export function graphMembership(options: {
  baseUrl?: string;
  /** The caller's Graph token for their tenant (on-behalf-of their SSO token). */
  getAccessToken: (tenantId: string) => Promise<string>;
  cacheMs?: number;
  /** Entries each cache holds at most (roles; a tenth of it for member lists). */
  cacheEntries?: number;
}): MembershipDirectory {
  const ttl = options.cacheMs ?? 60_000;
  const max = options.cacheEntries ?? 10_000;
  // Values are wrapped: a role of null (not in the team) is an answer to keep, not a miss.
  const roles = new LRUCache<string, { role: TeamRole | null | 'no_team' }>({ max, ttl });
  const people = new LRUCache<string, TeamPerson[]>({ max: Math.max(1, Math.ceil(max / 10)), ttl });
  const apiFor = (tenantId: string) =>
    createGraphApi({ baseUrl: options.baseUrl ?? 'https://graph.microsoft.com', getAccessToken: () => options.getAccessToken(tenantId) });
  return {
    async roleOf(tenantId, teamId, userId) {
      const key = `${tenantId}/${teamId}/${userId}`;
      const hit = roles.get(key);
      if (hit) return hit.role;
      const api = apiFor(tenantId);
      let role: TeamRole | null | 'no_team';
      try {
        const ids = async (kind: 'owners' | 'members') => {
          const read = await api.getAll<{ id: string }>(`/groups/${encodeURIComponent(teamId)}/${kind}?$select=id&$top=999`, TEAM_PEOPLE);
          return { ids: read.items.map((m) => m.id), more: read.more };
        };
        const owners = await ids('owners');
        const members = owners.ids.includes(userId) ? null : await ids('members');
        role = !members ? 'owner' : members.ids.includes(userId) ? 'member' : null;
        // Not among those read of a group larger than a team can be: whether the user is in it cannot be told.
        if (role === null && (owners.more || members?.more)) {
          throw new GraphAccessError('graph_failed', 'The team has more members than the app reads.');
        }
      } catch (err) {
        // Graph answers 404 for a group of another tenant or none at all: the team is unknown here.
        if ((err instanceof GraphRequestFailed && err.status === 404) || (err instanceof GraphAccessError && err.code === 'team_site_not_found'))
          role = 'no_team';
        else throw err;
      }
      roles.set(key, { role });
      return role;
    },
    async membersOf(tenantId, teamId) {
      const key = `${tenantId}/${teamId}`;
      const hit = people.get(key);
      if (hit) return hit;
      const api = apiFor(tenantId);
      // group-list-owners and group-list-members: owners of a team are usually members too, counted once.
      // A larger group than a team can be is named by its first owners and members, as many as a team can have.
      const of = async (kind: 'owners' | 'members') =>
        (
          await api.getAll<{ id: string; displayName?: string | null }>(
            `/groups/${encodeURIComponent(teamId)}/${kind}?$select=id,displayName&$top=999`,
            TEAM_PEOPLE,
          )
        ).items;
      let members: TeamPerson[] = [];
      try {
        const found = new Map<string, TeamPerson>();
        for (const m of [...(await of('owners')), ...(await of('members'))]) found.set(m.id, { id: m.id, name: m.displayName ?? '' });
        members = [...found.values()];
      } catch (err) {
        if (!(err instanceof GraphRequestFailed && err.status === 404)) throw err;
      }
      people.set(key, members);
      return members;
    },
    async teamsOf(tenantId) {
      const teams = (
        await apiFor(tenantId).getAll<{ id: string; displayName: string | null; tenantId?: string | null }>('/me/joinedTeams', USER_TEAMS)
      ).items;
      // Graph answers in the token's tenant; a team that names another tenant is left out all the same.
      return teams
        .filter((team) => !team.tenantId || team.tenantId === tenantId)
        .map((team): JoinedTeam => ({ id: team.id, name: team.displayName ?? '' }));
    },
  };
}
