import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlowEhr, type SlowEhr } from '../../helpers/slow-ehr';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

/**
 * A caller who goes away before the answer is written was not given the data: the trail records
 * that read as a failure, 499 (client closed request), never as a success. The EHR holds each
 * FHIR request, so the caller can leave while the read is still in flight; a caller who stays is
 * recorded as one success, as before.
 */
let ehr: SlowEhr;
let server: TestServer;
let who: ReturnType<typeof cast>;
let base: string;
let listId: string;
let patientIds: string[];
const reader = () => server.info.users.find((u) => u.name === 'Casey Lindqvist')!.id;

beforeAll(async () => {
  ehr = await startSlowEhr(12);
  server = await startTestServer(ehr.env);
  who = cast(server.info);
  base = `/api/teams/${who.team.id}`;
  expect((await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: `${ehr.origin}/sandbox/r4`, name: 'Slow EHR' })).status).toBe(
    200,
  );
  const found = (await server.api(who.member, 'GET', `${base}/patients?gender=female&count=3`)).body.patients as { id: string }[];
  patientIds = found.map((p) => p.id);
  expect(patientIds).toHaveLength(3);
  listId = (await server.api(who.member, 'POST', `${base}/lists`, { name: 'Rounds' })).body.id;
  await server.api(who.member, 'PATCH', `${base}/lists/${listId}`, { columns: ['name', 'mrn', 'heartRate'] });
  await server.api(who.member, 'POST', `${base}/lists/${listId}/patients`, { patientIds });
});
afterAll(async () => {
  await server?.stop();
  await ehr?.stop();
});

interface Event {
  requestId: string;
  operation: string;
  outcome: string;
  status: number;
  patientId: string | null;
}

const trail = async (operation: string) =>
  (await server.api(reader(), 'GET', `/api/audit?user=${who.member}&operation=${operation}&limit=50000`)).body.events as unknown as Event[];

/** The records of `operation` written since `before` (the trail as it was), once they stop changing. */
async function newRecords(operation: string, before: Event[]): Promise<Event[]> {
  const seen = new Set(before.map((e) => JSON.stringify(e)));
  const fresh = async () => (await trail(operation)).filter((e) => !seen.has(JSON.stringify(e)));
  const deadline = Date.now() + 15_000;
  let last = '';
  for (;;) {
    const now = await fresh();
    const shown = JSON.stringify(now);
    // Stable over two looks a while apart: the call's handler has finished.
    if (now.length && shown === last) return now;
    if (Date.now() > deadline) throw new Error(`no stable records of ${operation}: ${shown}`);
    last = shown;
    await new Promise((resolve) => setTimeout(resolve, 600));
  }
}

/** Calls `path` and goes away (the socket destroyed) as soon as the server asks the EHR for data. */
async function leaveWhileEhrAnswers(path: string, bearer: boolean): Promise<void> {
  const headers: Record<string, string> = bearer ? { authorization: `Bearer ${await server.tokenFor(who.member)}` } : {};
  ehr.latencyMs = 400;
  try {
    const asked = ehr.nextFhirRequest();
    const req = request(`${server.url}${path}`, { headers });
    const gone = new Promise<void>((resolve) => req.once('close', () => resolve()));
    req.on('error', () => undefined);
    req.on('response', () => {
      throw new Error(`${path} was answered before the caller left`);
    });
    req.end();
    await asked;
    req.destroy();
    await gone;
    // The EHR still answers the server, which then finishes the call.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  } finally {
    ehr.latencyMs = 0;
  }
}

const outcomes = (events: Event[]) => events.map((e) => [e.outcome, e.status, e.patientId]).sort((a, b) => String(a).localeCompare(String(b)));
const requests = (events: Event[]) => new Set(events.map((e) => e.requestId)).size;

describe('a caller who left before the answer was written', () => {
  it('is recorded as a failure (499) of the patient details read, not a success', async () => {
    const before = await trail('PatientView');
    await leaveWhileEhrAnswers(`${base}/patients/${patientIds[0]}/details`, true);
    const made = await newRecords('PatientView', before);
    expect(outcomes(made)).toEqual([['failure', 499, patientIds[0]]]);
  });

  it('is recorded as a failure (499) of the patient search, for each patient it found', async () => {
    const before = await trail('PatientSearch');
    await leaveWhileEhrAnswers(`${base}/patients?gender=female&count=3`, true);
    const made = await newRecords('PatientSearch', before);
    expect(made.length).toBeGreaterThan(0);
    expect(made.every((e) => e.outcome === 'failure' && e.status === 499)).toBe(true);
    expect(requests(made)).toBe(1);
  });

  it('is recorded as a failure (499) of the list CSV export with a Bearer token, for every patient on the list', async () => {
    const before = await trail('ExportInitiation');
    await leaveWhileEhrAnswers(`${base}/lists/${listId}/export.csv`, true);
    const made = await newRecords('ExportInitiation', before);
    expect(outcomes(made)).toEqual(outcomes(patientIds.map((id) => ({ outcome: 'failure', status: 499, patientId: id }) as Event)));
  });

  it('is recorded as a failure (499) of the list CSV export by its download link', async () => {
    const link = (await server.api(who.member, 'POST', `${base}/lists/${listId}/export`, { timeZone: 'UTC' })).body as { url: string };
    const before = await trail('ExportInitiation');
    await leaveWhileEhrAnswers(link.url, false);
    const made = await newRecords('ExportInitiation', before);
    expect(outcomes(made)).toEqual(outcomes(patientIds.map((id) => ({ outcome: 'failure', status: 499, patientId: id }) as Event)));
  });
});

describe('a caller who stays', () => {
  it('is recorded as one success of each read, and no failure', async () => {
    for (const [operation, path, patients] of [
      ['PatientView', `${base}/patients/${patientIds[1]}/details`, [patientIds[1]]],
      ['ExportInitiation', `${base}/lists/${listId}/export.csv`, patientIds],
    ] as const) {
      const before = await trail(operation);
      const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${await server.tokenFor(who.member)}` } });
      expect(res.status).toBe(200);
      await res.text();
      const made = await newRecords(operation, before);
      expect(outcomes(made)).toEqual(outcomes(patients.map((id) => ({ outcome: 'success', status: 200, patientId: id }) as Event)));
      expect(made.map((e) => e.requestId)).toEqual(patients.map(() => res.headers.get('x-request-id')));
    }
    const before = await trail('PatientSearch');
    const search = await server.api(who.member, 'GET', `${base}/patients?gender=female&count=3`);
    const made = await newRecords('PatientSearch', before);
    expect(outcomes(made)).toEqual(
      outcomes((search.body.patients as { id: string }[]).map((p) => ({ outcome: 'success', status: 200, patientId: p.id }) as Event)),
    );
  });
});
