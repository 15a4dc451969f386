import type { ExportBody, ExportLinkAnswer } from '../../../../contract/exports';
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
  const link = readExportLink(answer);
  if (!link) throw new ApiError(200, 'bad_answer', t('api.badAnswer'));
  return new URL(link.url, window.location.origin).href;
}

/** The answer as contract/exports.ts states it, read without the schema (the tab's first download carries no zod). */
function readExportLink(answer: unknown): ExportLinkAnswer | null {
  if (typeof answer !== 'object' || answer === null) return null;
  const { url, expiresAt } = answer as Record<string, unknown>;
  if (typeof url !== 'string' || !url.startsWith('/api/') || typeof expiresAt !== 'string' || Number.isNaN(Date.parse(expiresAt))) return null;
  return { url, expiresAt };
}
