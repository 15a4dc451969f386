import { queryOptions, useQuery } from '@tanstack/react-query';
import type { NotesAnswer } from '../../../../contract/notes';
import { useSession } from '../../../shared/session';
import { patientDetailsKey } from './get-patient-details';

/**
 * The team's notes on a patient alone (`GET /api/teams/{team}/patients/{id}/notes`), for patients
 * whose details come from elsewhere (hand-entered ones). Under the details' key, so adding,
 * correcting or withdrawing a note reads them again.
 */
export function useNotes(patientId: string) {
  const { api, teamId } = useSession();
  return useQuery(
    queryOptions({
      queryKey: [...patientDetailsKey(teamId, patientId), 'notes'],
      queryFn: ({ signal }) => api<NotesAnswer>(`/api/teams/${teamId}/patients/${encodeURIComponent(patientId)}/notes`, { signal }),
    }),
  );
}
