import type { DevDirectory } from './dev-directory.js';

export type TeamRole = 'owner' | 'member';

/** Answers who belongs to which team: the dev directory now, Microsoft Graph in production. */
export interface MembershipDirectory {
  /**
   * The user's role in the team, `null` when the team exists in the tenant but the user is not in
   * it, and `'no_team'` when the tenant has no such team (another tenant's teams look unknown).
   */
  roleOf(tenantId: string, teamId: string, userId: string): Promise<TeamRole | null | 'no_team'>;
}

export function devMembership(directory: DevDirectory): MembershipDirectory {
  return {
    async roleOf(tenantId, teamId, userId) {
      const team = directory.tenants.find((t) => t.id === tenantId)?.teams.find((t) => t.id === teamId);
      if (!team) return 'no_team';
      if (team.owners.includes(userId)) return 'owner';
      return team.members.includes(userId) ? 'member' : null;
    },
  };
}
