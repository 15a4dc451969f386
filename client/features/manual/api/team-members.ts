import { queryOptions, useQuery } from '@tanstack/react-query';
import type { TeamMembersAnswer } from '../../../../contract/manual';
import type { Api } from '../../../shared/api/api-client';
import { useSession } from '../../../shared/session';

/** The key of the team's members (`/api/teams/{team}/members`), for person fields. */
export const teamMembersKey = (teamId: string) => ['team-members', teamId] as const;

export const teamMembersQuery = (api: Api, teamId: string) =>
  queryOptions({
    queryKey: teamMembersKey(teamId),
    queryFn: ({ signal }) => api<TeamMembersAnswer>(`/api/teams/${teamId}/members`, { signal }),
    // Membership changes rarely; the server checks it again on every save.
    staleTime: 60_000,
  });

/** The team's members by name; `enabled` only when a person field needs them. */
export function useTeamMembers(enabled = true) {
  const { api, teamId } = useSession();
  return useQuery({ ...teamMembersQuery(api, teamId), enabled });
}
