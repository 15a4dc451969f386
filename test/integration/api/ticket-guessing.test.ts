import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

// A download link's ticket stands in for a Bearer token, so guessing tickets is guessing
// credentials: an address whose tickets keep being refused is held back as one whose tokens are.
let server: TestServer;
let who: ReturnType<typeof cast>;

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_FAILED_AUTH: '3' });
  who = cast(server.info);
  await server.api(who.owner, 'PUT', `/api/teams/${who.team.id}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'Sandbox' });
});
afterAll(() => server?.stop());

const guess = () => randomBytes(32).toString('base64url');

it('answers 429 to an address that keeps sending made-up download tickets, list and audit links alike, while a real link still works', async () => {
  const list = (await server.api(who.owner, 'POST', `/api/teams/${who.team.id}/lists`, { name: 'Rounds' })).body;
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const path = i % 2 ? `/api/audit/export/${guess()}` : `/api/teams/${who.team.id}/lists/${list.id}/export/${guess()}`;
    const res = await fetch(`${server.url}${path}`);
    statuses.push(res.status);
    await res.arrayBuffer();
  }
  expect(statuses).toEqual([404, 404, 404, 429, 429, 429]);
  // Only refusals are held back (many clinicians share a hospital's address): a link issued to a member still downloads.
  const issued = await server.api(who.member, 'POST', `/api/teams/${who.team.id}/lists/${list.id}/export`, { timeZone: 'Europe/London' });
  expect(issued.status).toBe(201);
  const download = await fetch(`${server.url}${issued.body.url}`);
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toMatch(/text\/csv/);
  await download.arrayBuffer();
});
