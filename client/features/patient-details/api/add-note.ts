import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Note, NoteBody } from '../../../../contract/notes';
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
      api<Note>(`/api/teams/${teamId}/patients/${encodeURIComponent(patientId ?? '')}/notes`, { method: 'POST', body: { text } satisfies NoteBody }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: patientDetailsKey(teamId, patientId) });
      onAdded?.();
    },
  });
}
