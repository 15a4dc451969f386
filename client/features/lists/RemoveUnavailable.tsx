import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Text,
} from '@fluentui/react-components';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorNotice } from '../../shared/components/ErrorNotice';
import { t } from '../../shared/i18n/t';
import { useSession } from '../../shared/session';
import { listKey } from './api/get-list';
import { useRefreshLists } from './api/get-lists';
import { UNDO_MS } from './undo-time';
import { useRemovedManyNotice } from './undo-notice';
import { marked } from './focus-after';
import type { ListView } from './api/read-list-answers';
import { removableIds } from './removable';

/**
 * "Remove N patients that cannot be shown": after a confirmation, takes every such patient off
 * this list, one ordinary removal each (so each is audited as a removal by the server), with the
 * ten-second Undo a single removal has. The server would not put back a patient the team's source
 * cannot show, so the rows are hidden at once and taken off when the ten seconds are over; Undo
 * before then changes nothing on the server. Only rows the team's source said are gone are
 * offered (removableIds): never rows the EHR failed to give, nor any while it is failing.
 */
export function RemoveUnavailable({ list }: { list: ListView }) {
  const { api, teamId } = useSession();
  const refresh = useRefreshLists();
  const [open, setOpen] = useState(false);
  const ids = removableIds(list);
  const queryClient = useQueryClient();
  const notify = useRemovedManyNotice();
  const remove = useMutation({
    onMutate: (patientIds: string[]) =>
      queryClient.setQueryData<ListView>(listKey(teamId, list.id), (shown) =>
        shown ? { ...shown, rows: shown.rows.filter((r) => !patientIds.includes(r.patientId)) } : shown,
      ),
    mutationFn: async (patientIds: string[]) => {
      const undone = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), UNDO_MS);
        notify({
          count: patientIds.length,
          list: list.name,
          restore: async () => {
            clearTimeout(timer);
            resolve(true);
          },
          back: marked('remove-unavailable'),
        });
      });
      if (undone) return;
      for (const id of patientIds) await api<void>(`/api/teams/${teamId}/lists/${list.id}/patients/${encodeURIComponent(id)}`, { method: 'DELETE' });
    },
    // Refreshed also after a failure part way, so the list shows who is still on it.
    onSettled: () => refresh(list.id),
  });
  if (ids.length === 0 && !remove.isError) return null;
  return (
    <div>
      {ids.length > 0 && (
        <Dialog open={open} onOpenChange={(_, d) => setOpen(d.open)}>
          <DialogTrigger disableButtonEnhancement>
            <Button disabled={remove.isPending} data-return="remove-unavailable">
              {t('lists.removeUnavailable', { count: ids.length })}
            </Button>
          </DialogTrigger>
          <DialogSurface>
            <DialogBody>
              <DialogTitle>{t('lists.removeUnavailableTitle')}</DialogTitle>
              <DialogContent>
                <Text>{t('lists.removeUnavailableBody', { count: ids.length, list: list.name })}</Text>
              </DialogContent>
              <DialogActions>
                <Button
                  appearance="primary"
                  onClick={() => {
                    setOpen(false);
                    remove.mutate(ids);
                  }}
                >
                  {t('lists.removeUnavailable', { count: ids.length })}
                </Button>
                <DialogTrigger disableButtonEnhancement>
                  <Button>{t('lists.cancel')}</Button>
                </DialogTrigger>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      )}
      {remove.isError && <ErrorNotice error={remove.error} />}
    </div>
  );
}
