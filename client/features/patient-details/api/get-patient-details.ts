import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PatientDetailsAnswer } from '../../../../contract/patients';
import type { Api } from '../../../shared/api/api-client';
import { useSession } from '../../../shared/session';

/** The key of one patient's details (`GET /api/teams/{team}/patients/{patient}/details`). */
export const patientDetailsKey = (teamId: string, patientId: string | null) => ['details', teamId, patientId] as const;

/**
 * Everything about one patient, with the team's notes. Each part is checked where it is shown
 * (a cell: data, "none recorded" or "not available"), as the lists check theirs.
 */
export const patientDetailsQuery = (api: Api, teamId: string, patientId: string | null) =>
  queryOptions({
    queryKey: patientDetailsKey(teamId, patientId),
    enabled: Boolean(patientId),
    queryFn: ({ signal }) => api<PatientDetailsAnswer>(`/api/teams/${teamId}/patients/${encodeURIComponent(patientId ?? '')}/details`, { signal }),
  });

export function usePatientDetails(patientId: string | null) {
  const { api, teamId } = useSession();
  return useQuery(patientDetailsQuery(api, teamId, patientId));
}

/** Forgets a patient's details and reads them again (Try again after a record that could not be shown). */
export function useResetPatientDetails() {
  const queryClient = useQueryClient();
  const { teamId } = useSession();
  return (patientId: string | null) => void queryClient.resetQueries({ queryKey: patientDetailsKey(teamId, patientId) });
}
