import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditColumns } from '../../../contract/audit';
import { openTableAuditLog } from '../../../server/storage/azure-table/table-audit-log';
import { startAzurite, type Azurite } from '../../helpers/azurite';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';
import { event } from './audit-log-contract';

/** The app with AUDIT_STORE=azure-table against azurite: what callers and audit readers see. */
let azurite: Azurite;
let server: TestServer;
let who: ReturnType<typeof cast>;
const TABLE = 'ApiAudit';
const reader = () => server.info.users.find((u) => u.name === 'Casey Lindqvist')!.id;

beforeAll(async () => {
  azurite = await startAzurite();
  server = await startTestServer({ AUDIT_STORE: 'azure-table', AUDIT_TABLE_CONNECTION_STRING: azurite.connectionString, AUDIT_TABLE_NAME: TABLE });
  who = cast(server.info);
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await azurite?.stop();
});

it('records reads and changes in the shared table, and shows them to the audit reader', async () => {
  const base = `/api/teams/${who.team.id}`;
  expect((await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'manual' })).status).toBe(200);
  const created = await server.api(who.member, 'POST', `${base}/manual-patients`, { name: 'Ada Quinn', values: {} });
  expect(created.status).toBe(201);
  await server.api(who.member, 'GET', `${base}/manual-patients/${created.body.id}`);
  const res = await server.api(reader(), 'GET', `/api/audit?team=${who.team.id}&user=${who.member}`);
  expect(res.status).toBe(200);
  expect(res.body.events.map((e: { operation: string; patientId: string | null }) => [e.operation, e.patientId])).toEqual([
    ['PatientDetailsEdit', created.body.id],
    ['PatientView', created.body.id],
  ]);
  // Ids only: never the patient's name.
  expect(JSON.stringify(res.body)).not.toContain('Ada Quinn');
});

it('streams an export of more records than a page and a chunk hold, in order, as CSV and as JSON', async () => {
  const log = await openTableAuditLog({ connectionString: azurite.connectionString, tableName: TABLE });
  const day = Date.UTC(2026, 10, 2);
  const seeded = Array.from({ length: 1234 }, (_, i) =>
    event({ tenantId: who.contoso.id, time: new Date(day + i * 1000).toISOString(), requestId: `seed-${i}`, patientId: `p${i}` }),
  );
  for (let i = 0; i < seeded.length; i += 200) await log.append(...seeded.slice(i, i + 200));
  const range = 'from=2026-11-02T00:00:00.000Z&to=2026-11-02T23:59:59.999Z&limit=100000';
  const token = await server.tokenFor(reader());
  const csvRes = await fetch(`${server.url}/api/audit?${range}&format=csv`, { headers: { authorization: `Bearer ${token}` } });
  expect(csvRes.status).toBe(200);
  const lines = (await csvRes.text()).trimEnd().split('\r\n');
  expect(lines[0]).toBe(auditColumns.join(','));
  expect(lines.slice(1).map((line) => line.split(',')[9])).toEqual(seeded.map((e) => e.requestId));

  const json = await server.api(reader(), 'GET', `/api/audit?${range}`);
  expect(json.body.events).toEqual(seeded);
  // The other tenant's reader sees none of them.
  const other = who.fabrikam.teams[0].members.find((id) => server.info.users.find((u) => u.id === id)?.name === 'Finley Haddad')!;
  expect((await server.api(other, 'GET', `/api/audit?${range}`)).body.events).toEqual([]);
});

it('fails a read with a clear problem, and shows nothing of the patient, when the audit trail cannot be written', async () => {
  const base = `/api/teams/${who.team.id}`;
  const created = await server.api(who.member, 'POST', `${base}/manual-patients`, { name: 'Bo Lindgren', values: {} });
  await azurite.stop();
  const res = await server.api(who.member, 'GET', `${base}/manual-patients/${created.body.id}`);
  expect(res.status).toBe(503);
  expect(res.body).toMatchObject({ code: 'audit_unavailable', message: expect.stringMatching(/audit trail could not be written/) });
  expect(JSON.stringify(res.body)).not.toContain('Bo Lindgren');
}, 60_000);
