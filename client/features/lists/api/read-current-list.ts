import { useSession } from '../../../shared/session';
import { readListStream, type ListView } from './read-list-answers';

/**
 * Reads a list as it is now (`GET /api/teams/{team}/lists/{list}`) without putting it in the
 * list's cache: a dialog that met a version conflict shows the colleague's version while it stays
 * open, and the list behind it is read again when it closes.
 */
export function useReadCurrentList() {
  const { api, teamId } = useSession();
  return async (listId: string): Promise<ListView> => {
    const res = await api.stream(`/api/teams/${teamId}/lists/${listId}`, { accept: 'application/x-ndjson' });
    return readListStream(res.body!);
  };
}
