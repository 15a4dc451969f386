import { useMutation } from '@tanstack/react-query';
import type { AddPatientsBody, MoveAnswer, MovePatientBody } from '../../../../contract/lists';
import { useSession } from '../../../shared/session';
import { useRefreshLists } from './get-lists';

// The patients on a list: `/api/teams/{team}/lists/{list}/patients`.

/** Adds patients to a list. */
export function useAddPatients(listId: string | null) {
  const { api, teamId } = useSession();
  const refresh = useRefreshLists();
  return useMutation({
    mutationFn: (patientIds: string[]) =>
      api<unknown>(`/api/teams/${teamId}/lists/${listId}/patients`, { method: 'POST', body: { patientIds } satisfies AddPatientsBody }),
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
      api<MoveAnswer>(`/api/teams/${teamId}/lists/${fromListId}/patients/${encodeURIComponent(patientId)}/move`, {
        method: 'POST',
        body: { toListId } satisfies MovePatientBody,
      }),
    onSuccess: (_, { toListId }) => {
      refresh(fromListId);
      refresh(toListId);
    },
  });
}
