import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ManualPatient, ManualPatientData, ManualPatientsAnswer, PatientBody } from '../../../../contract/manual';
import type { Api } from '../../../shared/api/api-client';
import { useSession } from '../../../shared/session';

/** The key of the team's patients entered by hand (`/api/teams/{team}/manual-patients`). */
export const manualPatientsKey = (teamId: string) => ['manual-patients', teamId] as const;

export const manualPatientsQuery = (api: Api, teamId: string) =>
  queryOptions({
    queryKey: manualPatientsKey(teamId),
    queryFn: ({ signal }) => api<ManualPatientsAnswer>(`/api/teams/${teamId}/manual-patients`, { signal }),
  });

/** The team's patients entered by hand. */
export function useManualPatients() {
  const { api, teamId } = useSession();
  return useQuery(manualPatientsQuery(api, teamId));
}

/**
 * Adds a patient by hand (`POST`), or changes one (`PATCH`, against the version read); `onSaved`
 * is for what else shows the patient (the lists).
 */
export function useSaveManualPatient(patient: Pick<ManualPatient, 'id' | 'version'> | undefined, { onSaved }: { onSaved?: () => void } = {}) {
  const { api, teamId } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (data: ManualPatientData) =>
      patient
        ? api<ManualPatient>(`/api/teams/${teamId}/manual-patients/${patient.id}`, {
            method: 'PATCH',
            body: { ...data, version: patient.version } satisfies PatientBody,
          })
        : api<ManualPatient>(`/api/teams/${teamId}/manual-patients`, { method: 'POST', body: data satisfies PatientBody }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: manualPatientsKey(teamId) });
      onSaved?.();
    },
  });
}
