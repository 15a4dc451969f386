import { useMutation } from '@tanstack/react-query';
import type { DefaultListAnswer, DefaultListBody } from '../../../../contract/lists';
import { useSession } from '../../../shared/session';
import { useRefreshLists } from './get-lists';

/** Makes a list the caller's default (`PUT /api/teams/{team}/me/default-list`); the lists are read again either way (a colleague may have deleted it). */
export function useSetDefaultList() {
  const { api, teamId } = useSession();
  const refresh = useRefreshLists();
  return useMutation({
    mutationFn: (listId: string) =>
      api<DefaultListAnswer>(`/api/teams/${teamId}/me/default-list`, { method: 'PUT', body: { listId } satisfies DefaultListBody }),
    onSettled: () => refresh(),
  });
}
