import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWardEhr } from '../../helpers/failing-ehr';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

/**
 * A list whose EHR answers the batch but gives nothing for some of its patients: one entry fails
 * (503), one patient is no longer on the EHR (404). The read's success record names only the
 * patients whose data the answer holds; each of the others gets a failure with the status of why,
 * in the view (JSON and NDJSON) and in the CSV export alike. An auditor reading the trail must not
 * see "success" for a patient whose row said "not available" without a failure beside it.
 */
let ehr: Awaited<ReturnType<typeof startWardEhr>>;
let server: TestServer;
let who: ReturnType<typeof cast>;
let listId: string;
const base = () => `/api/teams/${who.team.id}`;

beforeAll(async () => {
  ehr = await startWardEhr();
  server = await startTestServer();
  who = cast(server.info);
  await server.api(who.owner, 'PUT', `${base()}/connection`, { mode: 'ehr', url: ehr.url, name: 'Ward EHR' });
  listId = (await server.api(who.member, 'POST', `${base()}/lists`, { name: 'Ward 5' })).body.id;
  await server.api(who.member, 'PATCH', `${base()}/lists/${listId}`, { columns: ['name', 'mrn', 'heartRate'] });
  await server.api(who.member, 'POST', `${base()}/lists/${listId}/patients`, { patientIds: ['w1', 'w2', 'w3'] });
  ehr.state.flaky.add('w2');
  ehr.state.deleted.add('w3');
});
afterAll(async () => {
  await server?.stop();
  await ehr?.close();
});

/** The call's records, by its request id: `operation patient outcome status`, sorted. */
async function recordsOf(res: Response): Promise<string[]> {
  const reader = server.info.users.find((u) => u.name === 'Casey Lindqvist')!.id;
  const requestId = res.headers.get('x-request-id');
  const { events } = (await server.api(reader, 'GET', '/api/audit?limit=50000')).body as {
    events: { requestId: string; operation: string; patientId: string; outcome: string; status: number }[];
  };
  return events
    .filter((e) => e.requestId === requestId)
    .map((e) => `${e.operation} ${e.patientId} ${e.outcome} ${e.status}`)
    .sort();
}

const call = async (path: string, accept?: string) =>
  fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${await server.tokenFor(who.member)}`, ...(accept ? { accept } : {}) } });

describe('patients a list could not give', () => {
  it.each([
    ['JSON', undefined],
    ['NDJSON', 'application/x-ndjson'],
  ])('the %s view gives w1, shows w2 failed and w3 gone, and records a failure for each of them', async (_form, accept) => {
    const res = await call(`${base()}/lists/${listId}`, accept);
    expect(res.status).toBe(200);
    const text = await res.text();
    const rows = accept
      ? text
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line))
          .filter((l) => l.row)
          .map((l) => l.row)
      : JSON.parse(text).rows;
    expect(rows.map((r: { patientId: string; available: boolean; unavailable?: string }) => [r.patientId, r.available, r.unavailable])).toEqual([
      ['w1', true, undefined],
      ['w2', false, 'failed'],
      ['w3', false, 'gone'],
    ]);
    const records = await recordsOf(res);
    expect(records).toContain('PatientListView w1 success 200');
    expect(records).toContain('PatientListView w2 failure 502');
    expect(records).toContain('PatientListView w3 failure 404');
    expect(records.filter((r) => r.includes(' failure '))).toHaveLength(2);
  });

  it('the CSV export records ExportInitiation as a success for w1 only, and a failure for the rows that say "Not available"', async () => {
    const res = await call(`${base()}/lists/${listId}/export.csv`);
    expect(res.status).toBe(200);
    expect((await res.text()).match(/Not available/g)?.length).toBeGreaterThanOrEqual(2);
    expect(await recordsOf(res)).toEqual(['ExportInitiation w1 success 200', 'ExportInitiation w2 failure 502', 'ExportInitiation w3 failure 404']);
  });
});
