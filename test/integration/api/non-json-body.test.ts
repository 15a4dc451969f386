import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditEventsOf, startManualTeam } from '../../helpers/audit-records';
import type { cast, TestServer } from '../../helpers/test-server';

/**
 * A body that is not JSON on a route that takes JSON is refused for what it is (415), never read
 * as no body at all ("The value is missing."), and recorded as the route's failure.
 */

let server: TestServer;
let who: ReturnType<typeof cast>;
let base: string;
let patientId: string;

beforeAll(async () => {
  ({ server, who, base } = await startManualTeam());
  patientId = (await server.api(who.member, 'POST', `${base}/manual-patients`, { name: 'Ada Body', values: {} })).body.id as string;
});
afterAll(() => server?.stop());

async function send(path: string, contentType: string, body: string) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await server.tokenFor(who.member)}`, 'content-type': contentType },
    body,
  });
  return { status: res.status, requestId: res.headers.get('x-request-id')!, body: (await res.json()) as Record<string, unknown> };
}

const refusal = { code: 'unsupported_media_type', message: 'Send the request body as JSON (Content-Type: application/json).' };

it.each([
  ['a note sent as text/plain', () => `${base}/patients/${patientId}/notes`, 'text/plain', '{"text":"ok"}', 'PatientNoteAdd'],
  ['a list sent as a form', () => `${base}/lists`, 'application/x-www-form-urlencoded', 'name=Ward', 'PatientListCreate'],
])('refuses %s with 415, changes nothing and records the failure', async (_what, path, type, body, operation) => {
  const res = await send(path(), type, body);
  expect([res.status, res.body.code, res.body.message]).toEqual([415, refusal.code, refusal.message]);
  expect((await auditEventsOf(server, res.requestId)).map((e) => [e.operation, e.outcome, e.status])).toEqual([[operation, 'failure', 415]]);
  expect((await server.api(who.member, 'GET', `${base}/patients/${patientId}/notes`)).body.notes).toEqual([]);
  expect((await server.api(who.member, 'GET', `${base}/lists`)).body).toEqual([]);
});

it('still takes JSON with its charset named', async () => {
  const res = await send(`${base}/lists`, 'application/json; charset=utf-8', '{"name":"Ward"}');
  expect(res.status).toBe(201);
});
