import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Api } from '../../../shared/api/api-client';
import { useSession } from '../../../shared/session';
import { readListView, type ListView } from './read-list-answers';

/** The key of one list with its rows; without `listId`, of every list of the team. */
export const listKey = (teamId: string, listId?: string) =>
  listId === undefined ? (['list', teamId] as const) : (['list', teamId, listId] as const);

/** One list with its rows (`GET /api/teams/{team}/lists/{list}`). */
export const listQuery = (api: Api, teamId: string, listId: string | null) =>
  queryOptions({
    queryKey: listKey(teamId, listId ?? ''),
    enabled: Boolean(listId),
    queryFn: async ({ signal }): Promise<ListView> => readListView(await api<unknown>(`/api/teams/${teamId}/lists/${listId}`, { signal })),
  });

export function useList(listId: string | null) {
  const { api, teamId } = useSession();
  return useQuery(listQuery(api, teamId, listId));
}

/**
 * Refreshes every open list of the team: for changes elsewhere that lists show (a note, a Manual
 * patient's data). The app hands it to the features that make such changes.
 */
export function useRefreshListViews() {
  const queryClient = useQueryClient();
  const { teamId } = useSession();
  return () => void queryClient.invalidateQueries({ queryKey: listKey(teamId) });
}

/** Forgets a list's answer and reads it again (Try again after a list that could not be shown). */
export function useResetList() {
  const queryClient = useQueryClient();
  const { teamId } = useSession();
  return (listId: string) => void queryClient.resetQueries({ queryKey: listKey(teamId, listId) });
}

/** Puts a list's new state, as a change answered it, in place of the one read. */
export function useSetList() {
  const queryClient = useQueryClient();
  const { teamId } = useSession();
  return (listId: string, view: ListView) => queryClient.setQueryData(listKey(teamId, listId), view);
}
