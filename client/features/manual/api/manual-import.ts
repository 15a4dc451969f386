import { useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  ImportConfirmAnswer,
  ImportConfirmBody,
  ImportFileAnswer,
  ImportMapping,
  ImportPreviewAnswer,
  ImportPreviewBody,
} from '../../../../contract/manual-import';
import { useSession } from '../../../shared/session';
import { manualPatientsKey } from './manual-patients';

/** Sends the chosen file as it is (`POST …/manual-import/file`, owners): its columns, a proposed mapping and the upload's token. */
export function useUploadImportFile() {
  const { api, teamId } = useSession();
  return useMutation({
    mutationFn: (file: File) =>
      api<ImportFileAnswer>(`/api/teams/${teamId}/manual-import/file`, { method: 'POST', file: { data: file, name: file.name } }),
  });
}

/** Every row of the upload under a mapping, with its problems (`…/preview`). */
export function usePreviewImport() {
  const { api, teamId } = useSession();
  return useMutation({
    mutationFn: (body: { token: string; mapping: ImportMapping }) =>
      api<ImportPreviewAnswer>(`/api/teams/${teamId}/manual-import/preview`, { method: 'POST', body: body satisfies ImportPreviewBody }),
  });
}

/** Imports the rows (`…/confirm`): the valid ones, or all only when every row is valid; the roster is read again after. */
export function useConfirmImport({ onImported }: { onImported?: () => void } = {}) {
  const { api, teamId } = useSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ImportConfirmBody) =>
      api<ImportConfirmAnswer>(`/api/teams/${teamId}/manual-import/confirm`, { method: 'POST', body: body satisfies ImportConfirmBody }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: manualPatientsKey(teamId) });
      onImported?.();
    },
  });
}
