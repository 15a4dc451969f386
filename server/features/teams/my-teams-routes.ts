import type { MembershipDirectory } from '../../identity/membership.js';
import { caller } from '../../platform/request-context.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';
import { me, myTeams } from './teams-service.js';

export type { MyTeam } from '../../../contract/teams.js';

/** `GET /api/me` and `GET /api/me/teams`: for the personal tab and the group chat's configuration page. */
export function myTeamsRoutes(ep: Endpoints, { store }: ApiDeps, membership: MembershipDirectory): void {
  ep.get('/me', { audit: null, access: 'caller' }, (_req, res) => {
    res.json(me(caller().roles));
  });

  ep.get('/me/teams', { audit: null, access: 'caller' }, async (_req, res) => {
    const { tenantId, userId } = caller();
    res.json({ teams: await myTeams(store, membership, tenantId, userId) });
  });
}
