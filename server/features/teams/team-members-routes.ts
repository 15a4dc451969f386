import type { TeamMembersAnswer } from '../../../contract/manual.js';
import { teamKey } from '../../identity/middleware.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';

/**
 * `GET /api/teams/{teamId}/members`: the team's members by name, for choosing a person in a
 * field such as "Assigned nurse". Members only (the membership check comes first), and only that
 * team's people; no patient data, so nothing to audit beyond a refusal.
 */
export function teamMembersRoutes(ep: Endpoints, { membership }: ApiDeps): void {
  ep.get('/teams/:teamId/members', { audit: null, access: 'member' }, async (req, res) => {
    const { tenantId, teamId } = teamKey(req);
    const members = await membership.membersOf(tenantId, teamId);
    const answer: TeamMembersAnswer = { members: [...members].sort((a, b) => a.name.localeCompare(b.name)) };
    res.json(answer);
  });
}
