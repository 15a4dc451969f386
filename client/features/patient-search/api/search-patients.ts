import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { PatientSearchAnswer } from '../../../../contract/patients';
import type { Api } from '../../../shared/api/api-client';
import { useSession } from '../../../shared/session';

/** What a search asks for: name, MRN, birth date, gender (empty ones left out). */
export type SearchCriteria = Record<'name' | 'identifier' | 'birthdate' | 'gender', string>;

const searchParams = (criteria: SearchCriteria) => new URLSearchParams(Object.entries(criteria).filter(([, v]) => v));

/** The key of one search of the team's EHR (`GET /api/teams/{team}/patients`). */
export const patientSearchKey = (teamId: string, criteria: SearchCriteria) => ['search', teamId, searchParams(criteria).toString()] as const;

/** A search, page by page: the first page by the criteria, the next ones by the server's page link. */
export const patientSearchQuery = (api: Api, teamId: string, criteria: SearchCriteria) => {
  const params = searchParams(criteria);
  return infiniteQueryOptions({
    queryKey: patientSearchKey(teamId, criteria),
    enabled: [...params.keys()].length > 0,
    initialPageParam: '',
    // React Query aborts the signal when a newer search replaces this one.
    queryFn: ({ pageParam, signal }) =>
      api<PatientSearchAnswer>(`/api/teams/${teamId}/patients?${pageParam ? `page=${encodeURIComponent(pageParam)}` : `${params}&count=20`}`, {
        signal,
      }),
    getNextPageParam: (last) => last.next,
  });
};

export function usePatientSearch(criteria: SearchCriteria) {
  const { api, teamId } = useSession();
  return useInfiniteQuery(patientSearchQuery(api, teamId, criteria));
}
