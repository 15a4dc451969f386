import { afterAll, beforeAll, expect, it } from 'vitest';
import { AUDIT_CSV_MORE } from '../../../server/features/audit/audit-service';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

/** Download links that are refused are recorded in their holder's trail when the ticket is known; a CSV cut by a limit says so. */

let server: TestServer;
let who: ReturnType<typeof cast>;
const auditReader = (s: TestServer) => s.info.users.find((u) => u.name === 'Casey Lindqvist')!.id;

beforeAll(async () => {
  server = await startTestServer();
  who = cast(server.info);
});
afterAll(() => server?.stop());

const trailOf = async (user: string, operation: string) =>
  (await server.api(auditReader(server), 'GET', `/api/audit?user=${user}&operation=${operation}`)).body.events as Record<string, unknown>[];

it("records a download link used with another list's address as a failure of its holder, and spends it", async () => {
  const base = `/api/teams/${who.team.id}`;
  await server.api(who.owner, 'PUT', `${base}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'Sandbox' });
  const mine = (await server.api(who.member, 'POST', `${base}/lists`, { name: 'Mine' })).body;
  const other = (await server.api(who.member, 'POST', `${base}/lists`, { name: 'Other' })).body;
  const link = (await server.api(who.member, 'POST', `${base}/lists/${mine.id}/export`, { timeZone: 'Europe/London' })).body;
  const ticket = String(link.url).split('/').pop();

  const wrong = await fetch(`${server.url}${base}/lists/${other.id}/export/${ticket}`);
  expect(wrong.status).toBe(404);
  const afterWrong = await trailOf(who.member, 'ExportInitiation');
  expect(afterWrong.map((e) => [e.outcome, e.status, e.listId, e.teamId])).toEqual([['failure', 404, mine.id, who.team.id]]);

  // Spent there (a link seen at another address may have leaked); a used ticket, and a made-up one, name nobody verified: refused without a record.
  expect((await fetch(`${server.url}${link.url}`)).status).toBe(404);
  expect((await fetch(`${server.url}${base}/lists/${mine.id}/export/${'x'.repeat(43)}`)).status).toBe(404);
  expect((await trailOf(who.member, 'ExportInitiation')).map((e) => [e.outcome, e.status])).toEqual([['failure', 404]]);
});

it('ends a CSV read cut by its limit with a row saying more records exist, as JSON says `more`', async () => {
  const reader = auditReader(server);
  // Enough records of the reader's own reads exist by now.
  for (let i = 0; i < 4; i++) await server.api(reader, 'GET', '/api/audit?limit=1');
  const json = await server.api(reader, 'GET', '/api/audit?limit=3');
  expect(json.body.more).toBe(true);
  const res = await fetch(`${server.url}/api/audit?format=csv&limit=3`, { headers: { authorization: `Bearer ${await server.tokenFor(reader)}` } });
  const lines = (await res.text()).trimEnd().split('\r\n');
  expect(lines).toHaveLength(1 + 3 + 1);
  expect(lines.at(-1)).toBe(`${AUDIT_CSV_MORE},,,,,,,,,`);
  // A limit that left nothing out: no such row.
  const all = await fetch(`${server.url}/api/audit?format=csv&limit=100000`, {
    headers: { authorization: `Bearer ${await server.tokenFor(reader)}` },
  });
  expect(await all.text()).not.toContain(AUDIT_CSV_MORE);
});
