import { queryOptions, useQuery } from '@tanstack/react-query';
import type { MeAnswer } from '../../../../contract/teams';
import type { Api } from '../../../shared/api/api-client';
import { useSession } from '../../../shared/session';

/** The key of what the server says about the caller (`GET /api/me`). */
export const meKey = () => ['me'] as const;

export const meQuery = (api: Api) =>
  queryOptions({
    queryKey: meKey(),
    retry: false,
    queryFn: ({ signal }) => api<MeAnswer>('/api/me', { signal }),
  });

/** Whether the caller may read the audit trail (the server decides from the token's role). */
export function useCanReadAudit(): boolean {
  const { api } = useSession();
  // Asking the trail itself would record a read (or a refusal) on every tab load.
  const me = useQuery(meQuery(api));
  return me.data?.canReadAudit === true;
}
