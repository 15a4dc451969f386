import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, type Api } from '../../../shared/api/api-client';
import { useSession } from '../../../shared/session';
import { readListStream, type ListView } from './read-list-answers';

/** The key of one list with its rows; without `listId`, of every list of the team. */
export const listKey = (teamId: string, listId?: string) =>
  listId === undefined ? (['list', teamId] as const) : (['list', teamId, listId] as const);

/** A list read longer ago than this is read again when the tab comes back into view. */
export const REFRESH_ON_FOCUS_AFTER_MS = 30_000;

/** Whether a list coming back into view is read again: not more often than every 30 seconds. */
const readAgainOnFocus = (query: { state: { dataUpdatedAt: number } }) => Date.now() - query.state.dataUpdatedAt >= REFRESH_ON_FOCUS_AFTER_MS;

/**
 * One list with its rows (`GET /api/teams/{team}/lists/{list}`), read line by line as the server
 * streams it. A first read shows rows as they arrive; a refresh keeps the rows on screen until the
 * new list is whole, so rows never vanish and come back. A broken answer fails the read and keeps
 * whatever rows were shown; so does a refresh the EHR failed (its answer ends with an EHR error)
 * of the same version of the list: the names read before stay, said to be of their time
 * (ListFreshness), never rows of bare ids. A list changed meanwhile (a patient added, removed or
 * moved: a new version) is shown as it now is, rows the EHR failed included.
 */
export const listQuery = (api: Api, teamId: string, listId: string | null) =>
  queryOptions({
    queryKey: listKey(teamId, listId ?? ''),
    enabled: Boolean(listId),
    refetchOnWindowFocus: readAgainOnFocus,
    queryFn: async ({ signal, client, queryKey }): Promise<ListView> => {
      const before = client.getQueryData<ListView>(queryKey);
      const res = await api.stream(`/api/teams/${teamId}/lists/${listId}`, { signal, accept: 'application/x-ndjson' });
      const view = await readListStream(res.body!, before ? undefined : (partial) => client.setQueryData(queryKey, partial));
      // The same list (its version: the same patients) that the EHR failed: the rows read before stay.
      if (view.ehrError && view.version === before?.version) throw new ApiError(502, view.ehrError.code, view.ehrError.message);
      return view;
    },
  });

export function useList(listId: string | null) {
  const { api, teamId } = useSession();
  return useQuery(listQuery(api, teamId, listId));
}

/**
 * The open list's read state (when it was read, whether a read is under way, Refresh) for what
 * shows it beside the table. It never reads by itself: shown once rows are in, it would
 * otherwise read the whole list again the moment it appears.
 */
export function useListReadState(listId: string) {
  const { api, teamId } = useSession();
  return useQuery({ ...listQuery(api, teamId, listId), refetchOnMount: false, refetchOnWindowFocus: false });
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
