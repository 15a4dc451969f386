import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ManualPatient } from '../../../../contract/manual';
import type { DischargeBody, DischargedPatient, DischargedPatientsAnswer } from '../../../../contract/manual-discharge';
import { t } from '../../../shared/i18n/t';
import { announce } from '../../../shared/live-region';
import { useSession } from '../../../shared/session';
import { manualPatientsKey } from './manual-patients';

/** The key of the team's discharged patients (`/api/teams/{team}/discharged-patients`). */
export const dischargedPatientsKey = (teamId: string) => ['discharged-patients', teamId] as const;

/** The team's discharged patients, newest discharge first. */
export function useDischargedPatients() {
  const { api, teamId } = useSession();
  return useQuery(
    queryOptions({
      queryKey: dischargedPatientsKey(teamId),
      queryFn: ({ signal }) => api<DischargedPatientsAnswer>(`/api/teams/${teamId}/discharged-patients`, { signal }),
    }),
  );
}

/** One discharged patient (`GET …/discharged-patients/{id}`), as their details show them; read (and audited) when opened. */
export function useDischargedPatient(patientId: string | null) {
  const { api, teamId } = useSession();
  return useQuery(
    queryOptions({
      queryKey: [...dischargedPatientsKey(teamId), 'one', patientId] as const,
      queryFn: ({ signal }) => api<DischargedPatient>(`/api/teams/${teamId}/discharged-patients/${encodeURIComponent(patientId ?? '')}`, { signal }),
      enabled: patientId !== null,
    }),
  );
}

/** Re-admits a discharged patient to the roster, against the version read (they go onto no list). */
export function useReadmit() {
  const { api, teamId } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patient: Pick<DischargedPatient, 'id' | 'version' | 'name'>) =>
      api<ManualPatient>(`/api/teams/${teamId}/discharged-patients/${encodeURIComponent(patient.id)}/readmit`, {
        method: 'POST',
        body: { version: patient.version } satisfies DischargeBody,
      }),
    // The control that re-admitted goes away with the patient's row: a screen reader user hears that it was done.
    onSuccess: (_, patient) => announce(t('manualDetails.readmitDone', { name: patient.name })),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: manualPatientsKey(teamId) });
      void queryClient.invalidateQueries({ queryKey: dischargedPatientsKey(teamId) });
    },
  });
}
