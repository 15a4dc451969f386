import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditEventsOf, auditReader, callAs, startManualTeam } from '../../helpers/audit-records';
import type { cast, TestServer } from '../../helpers/test-server';

let server: TestServer;
let who: ReturnType<typeof cast>;
let base: string;
beforeAll(async () => {
  ({ server, who, base } = await startManualTeam());
});
afterAll(() => server?.stop());

const fields = [
  { id: 'acuity', label: 'Acuity', type: 'choice', choices: ['Low', 'High'], required: true },
  { id: 'plan', label: 'Plan', type: 'text' },
];
const schemaRecords = async () =>
  (await server.api(auditReader(server), 'GET', `/api/audit?team=${who.team.id}&limit=50000`)).body.events.filter((e: { operation: string }) =>
    e.operation.startsWith('PatientSchema'),
  ).length as number;

/** A body past the API's 64 kB: refused before it is read. */
async function oversized(): Promise<{ status: number; requestId: string }> {
  const res = await fetch(`${server.url}${base}/schema`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${await server.tokenFor(who.owner)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fields: [{ id: 'plan', label: 'x'.repeat(70_000), type: 'text' }] }),
  });
  await res.text();
  return { status: res.status, requestId: res.headers.get('x-request-id')! };
}

it('records a schema PUT refused for its size once, as the create it would have been, then as an update', async () => {
  const before = await oversized();
  expect(before.status).toBe(413);
  expect((await auditEventsOf(server, before.requestId)).map((e) => [e.operation, e.outcome, e.status])).toEqual([
    ['PatientSchemaCreate', 'failure', 413],
  ]);

  expect((await callAs(server, who.owner, 'PUT', `${base}/schema`, { fields, version: 0 })).status).toBe(200);
  const after = await oversized();
  expect((await auditEventsOf(server, after.requestId)).map((e) => [e.operation, e.outcome, e.status])).toEqual([
    ['PatientSchemaUpdate', 'failure', 413],
  ]);
  expect((await callAs(server, who.member, 'GET', `${base}/schema`)).body).toEqual({ fields, version: 1 });
});

it('answers a schema PUT that changes nothing with the schema as it is: version kept, nothing recorded as changed', async () => {
  const current = (await callAs(server, who.member, 'GET', `${base}/schema`)).body as { fields: unknown[]; version: number };
  const records = await schemaRecords();
  // The same fields, sent at the version read, with or without it, keys in another order.
  const reordered = fields.map((f) => Object.fromEntries(Object.entries(f).reverse()));
  for (const body of [{ fields, version: current.version }, { fields: reordered }]) {
    const same = await callAs(server, who.owner, 'PUT', `${base}/schema`, body);
    expect(same).toMatchObject({ status: 200, body: { fields, version: current.version } });
    expect(await auditEventsOf(server, same.requestId)).toEqual([]);
  }
  expect(await schemaRecords()).toBe(records);
  expect((await callAs(server, who.member, 'GET', `${base}/schema`)).body).toEqual(current);

  // Sent at a version someone else has since moved on from, it is still a conflict, recorded as refused.
  const stale = await callAs(server, who.owner, 'PUT', `${base}/schema`, { fields, version: current.version - 1 });
  expect(stale).toMatchObject({ status: 412, body: { code: 'version_conflict' } });
  expect((await auditEventsOf(server, stale.requestId)).map((e) => [e.operation, e.outcome])).toEqual([['PatientSchemaUpdate', 'failure']]);

  // A real change still raises the version, and is recorded once.
  const changed = await callAs(server, who.owner, 'PUT', `${base}/schema`, {
    fields: [...fields, { id: 'drains', label: 'Drains', type: 'number' }],
  });
  expect(changed).toMatchObject({ status: 200, body: { version: current.version + 1 } });
  expect((await auditEventsOf(server, changed.requestId)).map((e) => [e.operation, e.outcome])).toEqual([['PatientSchemaUpdate', 'success']]);
});

it('takes a team without a schema sending no fields as no change: version 0, nothing created', async () => {
  const other = server.info.tenants[0].teams.find((t) => t.id !== who.team.id && t.owners.length)!;
  const otherBase = `/api/teams/${other.id}`;
  expect((await server.api(other.owners[0], 'PUT', `${otherBase}/connection`, { mode: 'manual' })).status).toBe(200);
  const empty = await callAs(server, other.owners[0], 'PUT', `${otherBase}/schema`, { fields: [], version: 0 });
  expect(empty).toMatchObject({ status: 200, body: { fields: [], version: 0 } });
  expect(await auditEventsOf(server, empty.requestId)).toEqual([]);
});
