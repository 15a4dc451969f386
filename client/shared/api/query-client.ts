import { QueryClient } from '@tanstack/react-query';
import { shouldRetryQuery } from './api-client';
import { watchTabFocus } from './window-focus';

/**
 * The tab's React Query client. Reads are tried once more after a network failure or a 5xx,
 * never after a 4xx (the API client has already waited out a 429 once); changes are never
 * repeated by React Query. Reads are made again on focus only where they ask for it (the list).
 */
export function createQueryClient(): QueryClient {
  watchTabFocus();
  return new QueryClient({ defaultOptions: { queries: { retry: shouldRetryQuery, refetchOnWindowFocus: false }, mutations: { retry: false } } });
}
