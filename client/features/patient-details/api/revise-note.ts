import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CorrectNoteBody, Note, WithdrawNoteBody } from '../../../../contract/notes';
import { ApiError } from '../../../shared/api/api-client';
import { useSession } from '../../../shared/session';
import { patientDetailsKey } from './get-patient-details';

/** A change of a note the author made from another window (or a stale read): the current note is read again to be shown. */
export const isVersionConflict = (error: unknown) => error instanceof ApiError && error.code === 'version_conflict';

/**
 * The author corrects a note (`PATCH …/notes/{note}`, with the corrected text) or withdraws it
 * (`POST …/notes/{note}/withdraw`), naming the version read; either way, and on a version
 * conflict too, the details are read again. `onChanged` is for what else shows notes (the lists).
 */
export function useReviseNote(patientId: string | null, { onChanged }: { onChanged?: () => void } = {}) {
  const { api, teamId } = useSession();
  const queryClient = useQueryClient();
  const reread = () => queryClient.invalidateQueries({ queryKey: patientDetailsKey(teamId, patientId) });
  return useMutation({
    mutationFn: ({ note, text }: { note: Pick<Note, 'id' | 'version'>; text: string | null }) => {
      const path = `/api/teams/${teamId}/patients/${encodeURIComponent(patientId ?? '')}/notes/${encodeURIComponent(note.id)}`;
      return text === null
        ? api<Note>(`${path}/withdraw`, { method: 'POST', body: { version: note.version } satisfies WithdrawNoteBody })
        : api<Note>(path, { method: 'PATCH', body: { text, version: note.version } satisfies CorrectNoteBody });
    },
    onSuccess: async () => {
      await reread();
      onChanged?.();
    },
    onError: async (error) => {
      if (isVersionConflict(error)) await reread();
    },
  });
}
