import { useMutation } from '@tanstack/react-query';
import { changesSource, connectionBody, sourceChangeImpact, type Connection, type ConnectionBody } from '../../../../contract/connection';
import { listsAnswer } from '../../../../contract/lists';
import { useSession } from '../../../shared/session';

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
