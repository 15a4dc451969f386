import { useMutation } from '@tanstack/react-query';
import type { PatchListBody } from '../../../../contract/lists';
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

/** Saves a list's columns, in order; the answer is the list as it now shows. */
export function useSaveColumns(list: Pick<ListView, 'id' | 'version'>) {
  const { api, teamId } = useSession();
  const setList = useSetList();
  return useMutation({
    mutationFn: async (columns: string[]) =>
      readListView(
        await api<unknown>(`/api/teams/${teamId}/lists/${list.id}`, {
          method: 'PATCH',
          body: { columns, version: list.version } satisfies PatchListBody,
        }),
      ),
    onSuccess: (view) => setList(list.id, view),
  });
}
