import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Connection, ConnectionBody } from '../../../../contract/connection';
import type { Api } from '../../../shared/api/api-client';
import { useSession } from '../../../shared/session';

/** The key of how the team is set up (`/api/teams/{team}/connection`). */
export const connectionKey = (teamId: string) => ['connection', teamId] as const;

/** How the team is set up: not yet, Manual mode, or linked to its EHR. */
export const connectionQuery = (api: Api, teamId: string) =>
  queryOptions({
    queryKey: connectionKey(teamId),
    queryFn: ({ signal }) => api<Connection>(`/api/teams/${teamId}/connection`, { signal }),
  });

export function useConnection() {
  const { api, teamId } = useSession();
  return useQuery(connectionQuery(api, teamId));
}

/** Sets the team up (`PUT`): the server checks an EHR link for real before it stores it. */
export function useSaveConnection({ onSaved }: { onSaved?: () => void } = {}) {
  const { api, teamId } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (choice: ConnectionBody) => api<Connection>(`/api/teams/${teamId}/connection`, { method: 'PUT', body: choice }),
    onSuccess: (saved) => {
      onSaved?.();
      queryClient.setQueryData(connectionKey(teamId), saved);
      // The lists now read their patients from the new source: what was shown before is stale.
      void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'connection' });
    },
  });
}
