import { useMutation } from '@tanstack/react-query';
import { useSession } from '../../../shared/session';
import { useRefreshLists } from './get-lists';

/** Makes a list the caller's default (`PUT /api/teams/{team}/me/default-list`). */
export function useSetDefaultList() {
  const { api, teamId } = useSession();
  const refresh = useRefreshLists();
  return useMutation({
    mutationFn: (listId: string) => api(`/api/teams/${teamId}/me/default-list`, { method: 'PUT', body: { listId } }),
    onSuccess: () => refresh(),
  });
}
