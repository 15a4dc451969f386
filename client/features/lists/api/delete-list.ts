import { useMutation } from '@tanstack/react-query';
import { useSession } from '../../../shared/session';
import { useRefreshLists } from './get-lists';

/** Deletes a list (`DELETE /api/teams/{team}/lists/{list}`); the lists are read again either way (a colleague may have deleted it first). */
export function useDeleteList() {
  const { api, teamId } = useSession();
  const refresh = useRefreshLists();
  return useMutation({
    mutationFn: (listId: string) => api<void>(`/api/teams/${teamId}/lists/${listId}`, { method: 'DELETE' }),
    onSettled: () => refresh(),
  });
}
