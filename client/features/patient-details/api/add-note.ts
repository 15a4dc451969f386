import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../../../shared/session';
import { patientDetailsKey } from './get-patient-details';

/**
 * Adds a note of the team about a patient (`POST /api/teams/{team}/patients/{patient}/notes`),
 * then reads the details again; `onAdded` is for what else shows notes (the lists' latest note).
 */
export function useAddNote(patientId: string | null, { onAdded }: { onAdded?: () => void } = {}) {
  const { api, teamId } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (text: string) =>
      api(`/api/teams/${teamId}/patients/${encodeURIComponent(patientId ?? '')}/notes`, { method: 'POST', body: { text } }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: patientDetailsKey(teamId, patientId) });
      onAdded?.();
    },
  });
}
