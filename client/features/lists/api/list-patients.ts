import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AddPatientsBody, MoveAnswer, MovePatientBody } from '../../../../contract/lists';
import { useSession } from '../../../shared/session';
import { patientName } from '../../../shared/format';
import { withDialogs } from '../dialogs-on-demand';
import { useRemovedNotice } from '../RemovedToast';
import { listKey } from './get-list';
import { useRefreshLists } from './get-lists';
import type { ListView } from './read-list-answers';

// The patients on a list: `/api/teams/{team}/lists/{list}/patients`. Whatever the answer, the
// lists are read again: a change refused because a colleague changed the list first (took the
// patient off, moved them, deleted the list) shows their change at once, not the rows as they were.

/** Adds patients to a list. */
export function useAddPatients(listId: string | null) {
  const { api, teamId } = useSession();
  const refresh = useRefreshLists();
  return useMutation({
    mutationFn: (patientIds: string[]) =>
      api<unknown>(`/api/teams/${teamId}/lists/${listId}/patients`, { method: 'POST', body: { patientIds } satisfies AddPatientsBody }),
    onSettled: () => refresh(listId ?? undefined),
  });
}

/**
 * Takes a patient off a list at once (the server's change is made and acknowledged), then offers
 * Undo for ten seconds, which adds the patient back. The names in the message are the ones the
 * list showed when Remove was chosen.
 */
export function useRemovePatient(listId: string) {
  const { api, teamId } = useSession();
  const refresh = useRefreshLists();
  const queryClient = useQueryClient();
  const notify = useRemovedNotice();
  const add = (patientId: string) =>
    api<unknown>(`/api/teams/${teamId}/lists/${listId}/patients`, { method: 'POST', body: { patientIds: [patientId] } satisfies AddPatientsBody });
  return useMutation({
    onMutate: (patientId: string) => {
      const shown = queryClient.getQueryData<ListView>(listKey(teamId, listId));
      const row = shown?.rows.find((r) => r.patientId === patientId);
      return { name: row?.available ? patientName(row.displayName, row.mrn) : patientId, list: shown?.name ?? '' };
    },
    mutationFn: (patientId: string) =>
      api<void>(`/api/teams/${teamId}/lists/${listId}/patients/${encodeURIComponent(patientId)}`, { method: 'DELETE' }),
    onSuccess: (_, patientId, shown) => notify({ ...shown, restore: () => add(patientId).finally(() => refresh(listId)) }),
    onSettled: () => refresh(listId),
  });
}

/**
 * Moves a patient from one list to another (`name`, `from` and `to` as the list showed them), then
 * says so with Undo for ten seconds, which moves the patient back the same way.
 */
export function useMovePatient(fromListId: string) {
  const { api, teamId } = useSession();
  const refresh = useRefreshLists();
  const move = (patientId: string, from: string, toListId: string) =>
    api<MoveAnswer>(`/api/teams/${teamId}/lists/${from}/patients/${encodeURIComponent(patientId)}/move`, {
      method: 'POST',
      body: { toListId } satisfies MovePatientBody,
    }).finally(() => {
      refresh(from);
      refresh(toListId);
    });
  return useMutation({
    mutationFn: ({ patientId, toListId }: { patientId: string; toListId: string; name: string; from: string; to: string }) =>
      move(patientId, fromListId, toListId),
    onSuccess: (_, moved) => withDialogs((m) => m.notifyMoved(moved, () => move(moved.patientId, moved.toListId, fromListId))),
  });
}
