import { useMutation } from '@tanstack/react-query';
import type { PatchListBody } from '../../../../contract/lists';
import { ApiError } from '../../../shared/api/api-client';
import { useSession } from '../../../shared/session';
import { useSetList } from './get-list';
import { useRefreshLists } from './get-lists';
import { readListView, type ListView } from './read-list-answers';

// `PATCH /api/teams/{team}/lists/{list}`: a change of name or columns, against the version read.

/** Renames a list. */
export function useRenameList(listId: string) {
  const { api, teamId } = useSession();
  const refresh = useRefreshLists();
  return useMutation({
    mutationFn: ({ name, version }: { name: string; version: number }) =>
      api<unknown>(`/api/teams/${teamId}/lists/${listId}`, { method: 'PATCH', body: { name, version } satisfies PatchListBody }),
    onSettled: () => refresh(listId),
  });
}

/**
 * Saves a list's columns, in order; the answer is the list as it now shows. A refusal other than a
 * version conflict (which the dialog meets by showing the colleague's version) reads the lists
 * again: a list a colleague deleted then leaves the view.
 */
export function useSaveColumns(list: Pick<ListView, 'id' | 'version'>) {
  const { api, teamId } = useSession();
  const setList = useSetList();
  const refresh = useRefreshLists();
  return useMutation({
    mutationFn: async (columns: string[]) =>
      readListView(
        await api<unknown>(`/api/teams/${teamId}/lists/${list.id}`, {
          method: 'PATCH',
          body: { columns, version: list.version } satisfies PatchListBody,
        }),
      ),
    onSuccess: (view) => setList(list.id, view),
    onError: (error) => {
      if (!(error instanceof ApiError && error.code === 'version_conflict')) refresh(list.id);
    },
  });
}
