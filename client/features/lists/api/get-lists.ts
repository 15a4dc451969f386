import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Api } from '../../../shared/api/api-client';
import { useSession } from '../../../shared/session';
import { listKey } from './get-list';
import { readListSummaries } from './read-list-answers';

/** The key of the team's lists (`GET /api/teams/{team}/lists`). */
export const listsKey = (teamId: string) => ['lists', teamId] as const;

/** The team's lists, with counts and the caller's default. */
export const listsQuery = (api: Api, teamId: string) =>
  queryOptions({
    queryKey: listsKey(teamId),
    queryFn: async ({ signal }) => readListSummaries(await api<unknown>(`/api/teams/${teamId}/lists`, { signal })),
  });

export function useLists() {
  const { api, teamId } = useSession();
  return useQuery(listsQuery(api, teamId));
}

/** Refreshes the team's lists, and the list `listId` when given, after a change. */
export function useRefreshLists() {
  const queryClient = useQueryClient();
  const { teamId } = useSession();
  return (listId?: string) => {
    void queryClient.invalidateQueries({ queryKey: listsKey(teamId) });
    if (listId) void queryClient.invalidateQueries({ queryKey: listKey(teamId, listId) });
  };
}
