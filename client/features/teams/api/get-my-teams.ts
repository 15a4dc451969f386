import { queryOptions, useQuery } from '@tanstack/react-query';
import type { MyTeam, MyTeamsAnswer } from '../../../../contract/teams';
import type { Api } from '../../../shared/api/api-client';

export type { MyTeam };

/** The key of the user's teams; the user is the token's, so one per tab. */
export const myTeamsKey = () => ['my-teams'] as const;

export const myTeamsQuery = (api: Api) =>
  queryOptions({
    queryKey: myTeamsKey(),
    queryFn: async ({ signal }) => (await api<MyTeamsAnswer>('/api/me/teams', { signal })).teams,
  });

/**
 * The teams the user belongs to in their tenant, with how each is set up; the server decides.
 * Takes the API itself: the personal and chat tabs ask before any team (session) is chosen.
 */
export function useMyTeams(api: Api) {
  return useQuery(myTeamsQuery(api));
}
