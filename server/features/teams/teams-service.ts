import { AUDIT_READER_ROLE } from '../../../contract/audit.js';
import type { ConnectionMode } from '../../../contract/connection.js';
import type { MeAnswer, MyTeam } from '../../../contract/teams.js';
import { mapLimit } from '../../ehr/map-limit.js';
import type { MembershipDirectory } from '../../identity/membership.js';
import { GraphAccessError } from '../../platform/graph/graph-errors.js';
import type { TeamKey, TeamStore } from '../../storage/ports.js';

/** Teams read at once: each costs a few Graph calls in production. */
const TEAMS_IN_FLIGHT = 4;

/** What the tab may offer the caller, without touching the audit trail (reading it is recorded). */
export function me(roles: readonly string[]): MeAnswer {
  return { canReadAudit: roles.includes(AUDIT_READER_ROLE) };
}

/**
 * The teams of the caller's tenant they belong to, from the membership directory, each with how
 * it is set up (the store's connection mode) and the caller's role, by name.
 */
export async function myTeams(store: TeamStore, membership: MembershipDirectory, tenantId: string, userId: string): Promise<MyTeam[]> {
  const joined = await membership.teamsOf(tenantId, userId);
  const teams = await mapLimit(joined, TEAMS_IN_FLIGHT, async ({ id, name }) => {
    const [role, mode] = await Promise.all([membership.roleOf(tenantId, id, userId), modeOf(store, { tenantId, teamId: id })]);
    return role === 'owner' || role === 'member' ? { id, name, mode, role } : null;
  });
  return teams.filter((team): team is MyTeam => team !== null).sort((a, b) => a.name.localeCompare(b.name));
}

/** A team without a SharePoint site (Graph store) has nothing stored yet: it is not set up. */
async function modeOf(store: TeamStore, team: TeamKey): Promise<ConnectionMode> {
  try {
    return (await store.getConnection(team)).mode;
  } catch (err) {
    if (err instanceof GraphAccessError && (err.code === 'team_site_not_found' || err.code === 'team_site_provisioning')) return 'unset';
    throw err;
  }
}
