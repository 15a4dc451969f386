import { createGraphApi } from '../graph/graph-api.js';
import { GraphAccessError, GraphRequestFailed } from '../graph/graph-errors.js';
import type { MembershipDirectory, TeamRole } from './membership.js';

/**
 * Team membership from Microsoft Graph, with the caller's own delegated token (a team is a
 * Microsoft 365 group: its owners and members). Answers are cached briefly per user and team.
 */
export function graphMembership(options: {
  baseUrl?: string;
  /** The caller's Graph token for their tenant (on-behalf-of their SSO token). */
  getAccessToken: (tenantId: string) => Promise<string>;
  cacheMs?: number;
}): MembershipDirectory {
  const cache = new Map<string, { role: TeamRole | null | 'no_team'; until: number }>();
  const ttl = options.cacheMs ?? 60_000;
  return {
    async roleOf(tenantId, teamId, userId) {
      const key = `${tenantId}/${teamId}/${userId}`;
      const hit = cache.get(key);
      if (hit && hit.until > Date.now()) return hit.role;
      const api = createGraphApi({ baseUrl: options.baseUrl ?? 'https://graph.microsoft.com', getAccessToken: () => options.getAccessToken(tenantId) });
      let role: TeamRole | null | 'no_team';
      try {
        const ids = async (kind: 'owners' | 'members') =>
          (await api.getAll<{ id: string }>(`/groups/${encodeURIComponent(teamId)}/${kind}?$select=id&$top=999`)).map((m) => m.id);
        role = (await ids('owners')).includes(userId) ? 'owner' : (await ids('members')).includes(userId) ? 'member' : null;
      } catch (err) {
        // Graph answers 404 for a group of another tenant or none at all: the team is unknown here.
        if ((err instanceof GraphRequestFailed && err.status === 404) || (err instanceof GraphAccessError && err.code === 'team_site_not_found')) role = 'no_team';
        else throw err;
      }
      cache.set(key, { role, until: Date.now() + ttl });
      return role;
    },
  };
}
