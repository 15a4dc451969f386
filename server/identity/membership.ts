import type { DevDirectory } from './dev-directory.js';

export type TeamRole = 'owner' | 'member';

/** A team the user belongs to, as the directory names it. */
export interface JoinedTeam {
  id: string;
  name: string;
}

/** Answers who belongs to which team: the dev directory now, Microsoft Graph in production. */
export interface MembershipDirectory {
  /**
   * The user's role in the team, `null` when the team exists in the tenant but the user is not in
   * it, and `'no_team'` when the tenant has no such team (another tenant's teams look unknown).
   */
  roleOf(tenantId: string, teamId: string, userId: string): Promise<TeamRole | null | 'no_team'>;
  /** The teams of the tenant that the user belongs to (never another tenant's). */
  teamsOf(tenantId: string, userId: string): Promise<JoinedTeam[]>;
  /** The team's owners and members by id and display name (each once), for choosing a person; [] for an unknown team. */
  membersOf(tenantId: string, teamId: string): Promise<TeamPerson[]>;
}

/** A member of a team, as the directory names them now. */
export interface TeamPerson {
  id: string;
  name: string;
}

export function devMembership(directory: DevDirectory): MembershipDirectory {
  return {
    async roleOf(tenantId, teamId, userId) {
      const team = directory.tenants.find((t) => t.id === tenantId)?.teams.find((t) => t.id === teamId);
      if (!team) return 'no_team';
      if (team.owners.includes(userId)) return 'owner';
      return team.members.includes(userId) ? 'member' : null;
    },
    async teamsOf(tenantId, userId) {
      const teams = directory.tenants.find((t) => t.id === tenantId)?.teams ?? [];
      return teams.filter((t) => t.owners.includes(userId) || t.members.includes(userId)).map(({ id, name }) => ({ id, name }));
    },
    async membersOf(tenantId, teamId) {
      const team = directory.tenants.find((t) => t.id === tenantId)?.teams.find((t) => t.id === teamId);
      if (!team) return [];
      const ids = [...new Set([...team.owners, ...team.members])];
      return ids.map((id) => ({ id, name: directory.users.find((u) => u.id === id)?.name ?? '' }));
    },
  };
}
