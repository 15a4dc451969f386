import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ManualSchema, SchemaBody, SchemaField } from '../../../../contract/manual';
import type { Api } from '../../../shared/api/api-client';
import { useSession } from '../../../shared/session';

/** The key of the team's own patient fields (`/api/teams/{team}/schema`). */
export const schemaKey = (teamId: string) => ['schema', teamId] as const;

export const schemaQuery = (api: Api, teamId: string) =>
  queryOptions({
    queryKey: schemaKey(teamId),
    queryFn: ({ signal }) => api<ManualSchema>(`/api/teams/${teamId}/schema`, { signal }),
  });

/** The team's own patient fields, beside the built-in ones. */
export function useSchema() {
  const { api, teamId } = useSession();
  return useQuery(schemaQuery(api, teamId));
}

/** Saves the team's fields (`PUT`, owners), against the version read. */
export function useSaveSchema(version: number) {
  const { api, teamId } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (fields: SchemaField[]) =>
      api<ManualSchema>(`/api/teams/${teamId}/schema`, { method: 'PUT', body: { version, fields } satisfies SchemaBody }),
    onSuccess: (saved) => queryClient.setQueryData(schemaKey(teamId), saved),
  });
}
