import { useQuery } from '@tanstack/react-query';
import type { Api } from './api-client';
import type { Connection } from './types';

/** One of the signed-in user's teams (`GET /api/me/teams`). */
export interface MyTeam {
  id: string;
  name: string;
  mode: Connection['mode'];
  role: 'owner' | 'member';
}

/** The teams the user belongs to in their tenant, with how each is set up; the server decides. */
export function useMyTeams(api: Api) {
  return useQuery({
    queryKey: ['my-teams'],
    queryFn: async ({ signal }) => (await api<{ teams: MyTeam[] }>('/api/me/teams', { signal })).teams,
  });
}
