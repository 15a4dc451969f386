import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AuditAnswer, AuditExportBody } from '../../../../contract/audit';
import { ApiError, type Api } from '../../../shared/api/api-client';
import { t } from '../../../shared/i18n/t';
import { useSession } from '../../../shared/session';

/** The key of one read of the audit trail (`GET /api/audit`), by its filters. */
export const auditKey = (filters: URLSearchParams) => ['audit', filters.toString()] as const;

export const auditQuery = (api: Api, filters: URLSearchParams, enabled: boolean) =>
  queryOptions({
    queryKey: auditKey(filters),
    enabled,
    queryFn: ({ signal }) => api<AuditAnswer>(`/api/audit?${filters}`, { signal }),
  });

/** The tenant's audit trail by the filters (from, to, user, patient, operation); read while `enabled`. */
export function useAuditEvents(filters: URLSearchParams, enabled: boolean) {
  const { api } = useSession();
  return useQuery(auditQuery(api, filters, enabled));
}

/**
 * A download link for the same records as CSV (`POST /api/audit/export`): an address of this app
 * with a single-use ticket good for about a minute, opened without a token (Teams on the web,
 * desktop and mobile cannot save a blob link). A link that is not the app's own `/api/…` is a bad
 * answer, never opened.
 */
export async function auditExportLink(api: Api, filters: URLSearchParams): Promise<string> {
  const answer = await api<unknown>('/api/audit/export', { method: 'POST', body: Object.fromEntries(filters) satisfies AuditExportBody });
  const url = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>).url : undefined;
  if (typeof url !== 'string' || !url.startsWith('/api/')) throw new ApiError(200, 'bad_answer', t('api.badAnswer'));
  return new URL(url, window.location.origin).href;
}
