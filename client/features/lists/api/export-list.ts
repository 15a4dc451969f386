import { exportLinkAnswer, type ExportBody } from '../../../../contract/exports';
import { ApiError, type Api } from '../../../shared/api/api-client';
import { t } from '../../../shared/i18n/t';

/** The user's IANA time zone, as the browser (and so Teams) knows it; the CSV's times are written in it. */
export const userTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * A download link for the list as CSV (`POST /api/teams/{team}/lists/{list}/export`): an address
 * of this app, with a single-use ticket good for about a minute, that needs no token to open. A
 * link that is not the app's own `/api/…` is a bad answer, never opened.
 */
export async function exportLink(api: Api, teamId: string, listId: string, timeZone = userTimeZone()): Promise<string> {
  const answer = await api<unknown>(`/api/teams/${teamId}/lists/${listId}/export`, { method: 'POST', body: { timeZone } satisfies ExportBody });
  const link = exportLinkAnswer.safeParse(answer);
  if (!link.success) throw new ApiError(200, 'bad_answer', t('api.badAnswer'));
  return new URL(link.data.url, window.location.origin).href;
}
