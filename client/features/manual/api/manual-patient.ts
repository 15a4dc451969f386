import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ManualPatient } from '../../../../contract/manual';
import type { DischargeBody, DischargedPatient } from '../../../../contract/manual-discharge';
import { t } from '../../../shared/i18n/t';
import { announce } from '../../../shared/live-region';
import { useSession } from '../../../shared/session';
import { dischargedPatientsKey } from './discharged-patients';
import { manualPatientsKey } from './manual-patients';

/** Under the roster's key, so that a save of the patient anywhere reads it again here too. */
const manualPatientKey = (teamId: string, patientId: string | null) => [...manualPatientsKey(teamId), 'one', patientId] as const;

/** One hand-entered patient (`GET /api/teams/{team}/manual-patients/{id}`), as the details show them. */
export function useManualPatient(patientId: string | null) {
  const { api, teamId } = useSession();
  return useQuery(
    queryOptions({
      queryKey: manualPatientKey(teamId, patientId),
      queryFn: ({ signal }) => api<ManualPatient>(`/api/teams/${teamId}/manual-patients/${encodeURIComponent(patientId ?? '')}`, { signal }),
      enabled: patientId !== null,
    }),
  );
}

/**
 * Discharges the patient against the version read (`POST …/manual-patients/{id}/discharge`):
 * they leave every list, so the roster, the discharged roster and `onDischarged` (the lists) are
 * read again.
 */
export function useDischarge(patient: Pick<ManualPatient, 'id' | 'version'> | undefined, { onDischarged }: { onDischarged?: () => void } = {}) {
  const { api, teamId } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api<DischargedPatient>(`/api/teams/${teamId}/manual-patients/${encodeURIComponent(patient?.id ?? '')}/discharge`, {
        method: 'POST',
        body: { version: patient?.version ?? 1 } satisfies DischargeBody,
      }),
    onSuccess: (discharged) => {
      // The details and the patient's row go away: a screen reader user hears that it was done.
      announce(t('manualDetails.dischargeDone', { name: discharged.name }));
      void queryClient.invalidateQueries({ queryKey: manualPatientsKey(teamId) });
      void queryClient.invalidateQueries({ queryKey: dischargedPatientsKey(teamId) });
      onDischarged?.();
    },
    // A colleague changed the patient meanwhile: read their version, which the details then show.
    onError: () => void queryClient.invalidateQueries({ queryKey: manualPatientKey(teamId, patient?.id ?? null) }),
  });
}
