import { useMutation } from '@tanstack/react-query';
import { useSession } from '../../../shared/session';
import { useRefreshLists } from './get-lists';
import type { ListView } from './read-list-answers';

// The patients on a list: `/api/teams/{team}/lists/{list}/patients`.

/** Adds patients to a list. */
export function useAddPatients(listId: string | null) {
  const { api, teamId } = useSession();
  const refresh = useRefreshLists();
  return useMutation({
    mutationFn: (patientIds: string[]) => api<ListView>(`/api/teams/${teamId}/lists/${listId}/patients`, { method: 'POST', body: { patientIds } }),
    onSuccess: () => refresh(listId ?? undefined),
  });
}

/** Takes a patient off a list. */
export function useRemovePatient(listId: string) {
  const { api, teamId } = useSession();
  const refresh = useRefreshLists();
  return useMutation({
    mutationFn: (patientId: string) =>
      api<void>(`/api/teams/${teamId}/lists/${listId}/patients/${encodeURIComponent(patientId)}`, { method: 'DELETE' }),
    onSuccess: () => refresh(listId),
  });
}

/** Moves a patient from one list to another. */
export function useMovePatient(fromListId: string) {
  const { api, teamId } = useSession();
  const refresh = useRefreshLists();
  return useMutation({
    mutationFn: ({ patientId, toListId }: { patientId: string; toListId: string }) =>
      api(`/api/teams/${teamId}/lists/${fromListId}/patients/${encodeURIComponent(patientId)}/move`, { method: 'POST', body: { toListId } }),
    onSuccess: (_, { toListId }) => {
      refresh(fromListId);
      refresh(toListId);
    },
  });
}
