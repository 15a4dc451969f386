import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { listQuery } from '../../../client/features/lists/api/get-list';
import { ApiError, type Api } from '../../../client/shared/api/api-client';

/**
 * A list read again while the EHR is failing: the server still answers 200, every row "failed"
 * and an EHR error at the end. The tab keeps the rows it read before (their names and values) of
 * the same version of the list, as after any failed read again, and says why (the read's error),
 * never rows of bare ids; a list whose patients changed meanwhile is shown as it now is.
 */
const head = { id: 'l1', name: 'Ward 5', columns: ['name', 'heartRate'], version: 3 };
const row = (id: string, name: string) => ({
  patientId: id,
  displayName: name,
  mrn: `M-${id}`,
  birthDate: '1950-01-01',
  gender: null,
  available: true,
  cells: { heartRate: { status: 'ok', value: { time: null, value: { value: 72, unit: '/min' } } } },
});
const failed = (id: string) => ({
  patientId: id,
  displayName: '',
  mrn: null,
  birthDate: null,
  gender: null,
  available: false,
  unavailable: 'failed',
  cells: {},
});
const ndjson = (items: unknown[]) => new Response(items.map((item) => `${JSON.stringify(item)}\n`).join(''));
const outage = { code: 'ehr_unreachable', message: 'The EHR could not be reached. Check the link, or try again later.' };

function apiAnswering(answers: Response[]): Api {
  return { stream: async () => answers.shift()! } as unknown as Api;
}

describe('a list read again during an EHR outage', () => {
  it('keeps the rows read before, and fails the read with the EHR error', async () => {
    const api = apiAnswering([
      ndjson([{ list: head }, { row: row('p1', 'Ada Lovelace') }, { row: row('p2', 'Alan Turing') }, { end: {} }]),
      ndjson([{ list: head }, { row: failed('p1') }, { row: failed('p2') }, { end: { ehrError: outage } }]),
      ndjson([{ list: head }, { row: failed('p1') }, { row: failed('p2') }, { end: { ehrError: outage } }]),
    ]);
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const options = listQuery(api, 'team-1', 'l1');
    await client.fetchQuery(options);
    await expect(client.fetchQuery({ ...options, staleTime: 0 })).rejects.toMatchObject({ status: 502, code: 'ehr_unreachable' });
    const state = client.getQueryState(options.queryKey)!;
    expect(state.status).toBe('error');
    expect(state.error).toBeInstanceOf(ApiError);
    expect(client.getQueryData(options.queryKey)?.rows.map((r) => r.displayName)).toEqual(['Ada Lovelace', 'Alan Turing']);
  });

  it('shows a list changed meanwhile as it now is (a new version: a patient removed), the rows the EHR failed included', async () => {
    const api = apiAnswering([
      ndjson([{ list: head }, { row: row('p1', 'Ada Lovelace') }, { row: row('p2', 'Alan Turing') }, { end: {} }]),
      ndjson([{ list: { ...head, version: 4 } }, { row: failed('p1') }, { end: { ehrError: outage } }]),
    ]);
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const options = listQuery(api, 'team-1', 'l1');
    await client.fetchQuery(options);
    const view = await client.fetchQuery({ ...options, staleTime: 0 });
    expect(view).toMatchObject({ version: 4, ehrError: outage });
    expect(view.rows.map((r) => r.patientId)).toEqual(['p1']);
  });

  it('shows what came on a first read, with the EHR error, as there is nothing read before to keep', async () => {
    const api = apiAnswering([ndjson([{ list: head }, { row: row('p1', 'Ada Lovelace') }, { row: failed('p2') }, { end: { ehrError: outage } }])]);
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const view = await client.fetchQuery(listQuery(api, 'team-1', 'l1'));
    expect(view.ehrError).toEqual(outage);
    expect(view.rows.map((r) => r.available)).toEqual([true, false]);
  });
});
