import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AuditAnswer } from '../../../../contract/audit';
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

/** The same records as CSV, as a file the browser can save (a download sends the token itself). */
export async function exportAuditCsv(api: Api, filters: URLSearchParams): Promise<Blob> {
  const res = await fetch(`/api/audit?${filters}&format=csv`, { headers: { authorization: `Bearer ${await api.token()}` } });
  if (!res.ok) throw new ApiError(res.status, 'http_error', t('api.httpError', { status: res.status }));
  return res.blob();
}
