import type { MembershipDirectory, TeamRole } from '../../identity/membership.js';
import { mapLimit } from '../../ehr/map-limit.js';
import { GraphAccessError } from '../../platform/graph/graph-errors.js';
import { caller } from '../../platform/request-context.js';
import type { Connection, TeamKey, TeamStore } from '../../storage/ports.js';
import { AUDIT_READER_ROLE } from '../../../contract/audit.js';
import type { ApiDeps, Endpoints } from '../shared/deps.js';

/** One of the caller's teams, for the personal tab and the group chat's configuration page. */
export interface MyTeam {
  id: string;
  name: string;
  mode: Connection['mode'];
  role: TeamRole;
}

/** Teams read at once: each costs a few Graph calls in production. */
const TEAMS_IN_FLIGHT = 4;

/**
 * `GET /api/me/teams`: the teams of the caller's tenant they belong to, from the membership
 * directory, each with how it is set up (the store's connection mode) and the caller's role.
 */
export function myTeamsRoutes(ep: Endpoints, { store }: ApiDeps, membership: MembershipDirectory): void {
  // What the tab may offer the caller, without touching the audit trail (reading it is recorded).
  ep.get('/me', { audit: null, access: 'caller' }, (_req, res) => {
    const { roles } = caller();
    res.json({ canReadAudit: roles.includes(AUDIT_READER_ROLE) });
  });

  ep.get('/me/teams', { audit: null, access: 'caller' }, async (_req, res) => {
    const { tenantId, userId } = caller();
    const joined = await membership.teamsOf(tenantId, userId);
    const teams = await mapLimit(joined, TEAMS_IN_FLIGHT, async ({ id, name }) => {
      const [role, mode] = await Promise.all([membership.roleOf(tenantId, id, userId), modeOf(store, { tenantId, teamId: id })]);
      return role === 'owner' || role === 'member' ? { id, name, mode, role } : null;
    });
    const found = teams.filter((team): team is MyTeam => team !== null).sort((a, b) => a.name.localeCompare(b.name));
    res.json({ teams: found });
  });
}

/** A team without a SharePoint site (Graph store) has nothing stored yet: it is not set up. */
async function modeOf(store: TeamStore, team: TeamKey): Promise<Connection['mode']> {
  try {
    return (await store.getConnection(team)).mode;
  } catch (err) {
    if (err instanceof GraphAccessError && err.code === 'team_site_not_found') return 'unset';
    throw err;
  }
}
