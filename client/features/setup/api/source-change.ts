import { useMutation } from '@tanstack/react-query';
import { changesSource, connectionBody, sourceChangeImpact, type Connection, type ConnectionBody } from '../../../../contract/connection';
import { listsAnswer } from '../../../../contract/lists';
import { ApiError } from '../../../shared/api/api-client';
import type { MessageKey } from '../../../shared/i18n/en';
import { useSession } from '../../../shared/session';

/**
 * Whether the server refused a setting as an unconfirmed change of source (412
 * `precondition_failed`): the lists came to hold patients after they were counted, or the team's
 * connection reads `unset` while it has data (its setting was changed outside the app, or lost:
 * a source the tab cannot know, as `changesSource` is false from `unset`). It is asked again, to confirm.
 */
export const refusedUnconfirmed = (error: unknown, body: ConnectionBody | undefined): boolean =>
  error instanceof ApiError && error.code === 'precondition_failed' && body !== undefined && !body.confirm;

/**
 * The words of the confirmation: with the counts the tab read, by the direction of the change; after
 * the server's refusal, why it refused (the setting could not be read, or the lists hold patients now).
 */
export function sourceChangeWords(change: SourceChange, from: Connection): MessageKey {
  if (!change.impact) return from.mode === 'unset' ? 'setup.unknownSource' : 'setup.changedSince';
  if (change.body.mode === 'manual') return 'setup.changeToManual';
  return from.mode === 'manual' ? 'setup.changeManualToEhr' : 'setup.changeToEhr';
}

/** What a change of setup would do to the team's lists: nothing to say, or counts to confirm. */
export type SourceChange = { body: ConnectionBody; impact: { lists: number; patients: number } | null };

/**
 * Before a change is sent: if it changes where the patients come from, reads the team's lists as
 * they are now, so the owner confirms with counts that are current (the server refuses an
 * unconfirmed change anyway, should a list have changed in between).
 */
export function useSourceChangeCheck(from: Connection) {
  const { api, teamId } = useSession();
  return useMutation({
    mutationFn: async (body: ConnectionBody): Promise<SourceChange> => {
      // A link that is not one goes straight to the server, whose answer says what is wrong with it.
      if (!connectionBody.safeParse(body).success || !changesSource(from, body)) return { body, impact: null };
      const impact = sourceChangeImpact(listsAnswer.parse(await api<unknown>(`/api/teams/${teamId}/lists`)));
      return { body, impact: impact.patients > 0 ? impact : null };
    },
  });
}
