import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../session';
import { readListSummaries, readListView } from './read-answers';
import type { ListSummary, ListView } from './types';

/** The team's lists, with counts and the caller's default. */
export function useLists() {
  const { api, teamId } = useSession();
  return useQuery({
    queryKey: ['lists', teamId],
    queryFn: async ({ signal }) => readListSummaries(await api<unknown>(`/api/teams/${teamId}/lists`, { signal })),
  });
}

/** One list with its rows. */
export function useList(listId: string | null) {
  const { api, teamId } = useSession();
  return useQuery({
    queryKey: ['list', teamId, listId],
    enabled: Boolean(listId),
    queryFn: async ({ signal }): Promise<ListView> => readListView(await api<unknown>(`/api/teams/${teamId}/lists/${listId}`, { signal })),
  });
}

/** Refreshes the lists and the list after a change. */
function useRefresh() {
  const queryClient = useQueryClient();
  const { teamId } = useSession();
  return (listId?: string) => {
    void queryClient.invalidateQueries({ queryKey: ['lists', teamId] });
    if (listId) void queryClient.invalidateQueries({ queryKey: ['list', teamId, listId] });
  };
}

export function useAddPatients(listId: string | null) {
  const { api, teamId } = useSession();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (patientIds: string[]) => api<ListView>(`/api/teams/${teamId}/lists/${listId}/patients`, { method: 'POST', body: { patientIds } }),
    onSuccess: () => refresh(listId ?? undefined),
  });
}

export function useRemovePatient(listId: string) {
  const { api, teamId } = useSession();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (patientId: string) =>
      api<void>(`/api/teams/${teamId}/lists/${listId}/patients/${encodeURIComponent(patientId)}`, { method: 'DELETE' }),
    onSuccess: () => refresh(listId),
  });
}

export function useCreateList() {
  const { api, teamId } = useSession();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (name: string) => api<ListSummary>(`/api/teams/${teamId}/lists`, { method: 'POST', body: { name } }),
    onSuccess: () => refresh(),
  });
}

export function useRenameList(listId: string) {
  const { api, teamId } = useSession();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ name, version }: { name: string; version: number }) =>
      api<ListView>(`/api/teams/${teamId}/lists/${listId}`, { method: 'PATCH', body: { name, version } }),
    onSettled: () => refresh(listId),
  });
}

export function useDeleteList() {
  const { api, teamId } = useSession();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (listId: string) => api<void>(`/api/teams/${teamId}/lists/${listId}`, { method: 'DELETE' }),
    onSuccess: () => refresh(),
  });
}

export function useSetDefaultList() {
  const { api, teamId } = useSession();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (listId: string) => api(`/api/teams/${teamId}/me/default-list`, { method: 'PUT', body: { listId } }),
    onSuccess: () => refresh(),
  });
}

export function useMovePatient(fromListId: string) {
  const { api, teamId } = useSession();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ patientId, toListId }: { patientId: string; toListId: string }) =>
      api(`/api/teams/${teamId}/lists/${fromListId}/patients/${encodeURIComponent(patientId)}/move`, { method: 'POST', body: { toListId } }),
    onSuccess: (_, { toListId }) => {
      refresh(fromListId);
      refresh(toListId);
    },
  });
}
