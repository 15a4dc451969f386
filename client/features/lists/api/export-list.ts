import { apiErrorOf, type Api } from '../../../shared/api/api-client';

/**
 * A list as CSV (`GET /api/teams/{team}/lists/{list}/export.csv`), as a file the browser can save.
 * A download cannot go through `api` (the answer is not JSON), so it sends the same token itself.
 */
export async function exportListCsv(api: Api, teamId: string, listId: string): Promise<Blob> {
  const token = await api.token();
  const res = await fetch(`/api/teams/${teamId}/lists/${listId}/export.csv`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw apiErrorOf(res, await res.json().catch(() => null));
  return res.blob();
}
