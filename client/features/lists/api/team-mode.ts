import { useQuery } from '@tanstack/react-query';
import type { Connection, ConnectionMode } from '../../../../contract/connection';
import { useSession } from '../../../shared/session';

/**
 * The team's mode, for words that depend on where patients come from. The same query (key and
 * answer) as the setup's connection, so it is read once and follows a change of setup.
 */
export function useTeamMode(): ConnectionMode | undefined {
  const { api, teamId } = useSession();
  return useQuery({
    queryKey: ['connection', teamId] as const,
    queryFn: ({ signal }) => api<Connection>(`/api/teams/${teamId}/connection`, { signal }),
    select: (c) => c.mode,
  }).data;
}
