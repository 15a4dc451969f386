import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditEventsOf, startManualTeam } from '../../helpers/audit-records';
import type { cast, TestServer } from '../../helpers/test-server';

/**
 * A JSON body that could be read two ways (a field given twice, text in a charset other than
 * UTF-8) is refused, never half-read: nothing changes and the refusal is recorded.
 */

let server: TestServer;
let who: ReturnType<typeof cast>;
let base: string;

beforeAll(async () => {
  ({ server, who, base } = await startManualTeam());
  expect((await server.api(who.owner, 'PUT', `${base}/schema`, { fields: [{ id: 'plan', label: 'Plan', type: 'text' }] })).status).toBe(200);
});
afterAll(() => server?.stop());

async function send(contentType: string, body: string | Uint8Array<ArrayBuffer>) {
  const res = await fetch(`${server.url}${base}/manual-patients`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await server.tokenFor(who.member)}`, 'content-type': contentType },
    body,
  });
  return { status: res.status, requestId: res.headers.get('x-request-id')!, body: (await res.json()) as Record<string, unknown> };
}

const roster = async () => (await server.api(who.member, 'GET', `${base}/manual-patients`)).body.patients as { name: string }[];

it.each([
  ['a name given twice', '{"name":"Ada Lovelace","name":"Grace Hopper","values":{}}'],
  ['a name given twice, once escaped', '{"name":"Ada Lovelace","\\u006eame":"Grace Hopper","values":{}}'],
  ['a field value given twice', '{"name":"Ada Lovelace","values":{"plan":"Discharge today","plan":"Keep in"}}'],
])('refuses %s: 400, no patient added, the refusal recorded', async (_what, body) => {
  const before = await roster();
  const res = await send('application/json', body);
  expect([res.status, res.body.code, res.body.message]).toEqual([
    400,
    'malformed_json',
    'The request body gives a field more than once. Send each field once.',
  ]);
  expect(JSON.stringify(res.body)).not.toMatch(/Ada|Grace|Discharge|Keep/);
  expect((await auditEventsOf(server, res.requestId)).map((e) => [e.operation, e.outcome, e.status])).toEqual([
    ['PatientDetailsEdit', 'failure', 400],
  ]);
  expect(await roster()).toEqual(before);
});

it.each([
  // UTF-7 reads "+ADw-" as "<": a filter sees one text, the app would store another.
  ['UTF-7', 'application/json; charset=utf-7', new Uint8Array(Buffer.from('{"name":"+ADw-b+AD4-Ada","values":{}}', 'latin1'))],
  ['UTF-16', 'application/json; charset=utf-16le', new Uint8Array(Buffer.from('{"name":"Ada Lovelace","values":{}}', 'utf16le'))],
])('refuses a body in %s: 415, no patient added, the refusal recorded', async (_what, type, body) => {
  const before = await roster();
  const res = await send(type, body);
  expect([res.status, res.body.code]).toEqual([415, 'unsupported_encoding']);
  expect((await auditEventsOf(server, res.requestId)).map((e) => [e.operation, e.outcome, e.status])).toEqual([
    ['PatientDetailsEdit', 'failure', 415],
  ]);
  expect(await roster()).toEqual(before);
});

it('still takes a body whose names repeat only in other objects or inside text', async () => {
  const body = '{"name":"Ada \\"name\\": Lovelace {","mrn":"M-7","values":{"plan":"name: plan"}}';
  const res = await send('application/json; charset=utf-8', body);
  expect(res).toMatchObject({ status: 201, body: { name: 'Ada "name": Lovelace {', values: { plan: 'name: plan' } } });
});
