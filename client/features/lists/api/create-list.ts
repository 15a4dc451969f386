import { useMutation } from '@tanstack/react-query';
import { useSession } from '../../../shared/session';
import { useRefreshLists } from './get-lists';
import type { CreateListBody, ListSummary } from '../../../../contract/lists';

/** Creates a list (`POST /api/teams/{team}/lists`). */
export function useCreateList() {
  const { api, teamId } = useSession();
  const refresh = useRefreshLists();
  return useMutation({
    mutationFn: (name: string) => api<ListSummary>(`/api/teams/${teamId}/lists`, { method: 'POST', body: { name } satisfies CreateListBody }),
    onSuccess: () => refresh(),
  });
}
