import { afterAll, beforeAll, expect, it } from 'vitest';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

// The real server with small limits, so a flood is cut off within a few calls.
let server: TestServer;
let who: ReturnType<typeof cast>;

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_SEARCH_PER_MINUTE: '5', RATE_LIMIT_CONNECTION_CHECK_PER_MINUTE: '2', RATE_LIMIT_FAILED_AUTH: '4' });
  who = cast(server.info);
  await server.api(who.owner, 'PUT', `/api/teams/${who.team.id}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'Sandbox' });
});
afterAll(() => server?.stop());

it('answers a flood of searches with 429 and Retry-After, for that user only', async () => {
  const search = (user: string) =>
    fetch(`${server.url}/api/teams/${who.team.id}/patients?name=a`, { headers: { authorization: `Bearer ${tokens.get(user)}` } });
  const tokens = new Map([
    [who.member, await server.tokenFor(who.member)],
    [who.owner, await server.tokenFor(who.owner)],
  ]);
  const statuses: number[] = [];
  let refused: Response | undefined;
  for (let i = 0; i < 8; i++) {
    const res = await search(who.member);
    statuses.push(res.status);
    if (res.status === 429) refused ??= res;
    else await res.arrayBuffer();
  }
  expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
  expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await refused!.json()).toMatchObject({
    code: 'rate_limited',
    message: expect.stringMatching(/Try again in \d+ seconds?/),
    requestId: expect.any(String),
  });
  // Another user of the same team is still answered, and the flooding user's other calls too.
  expect((await search(who.owner)).status).toBe(200);
  expect((await server.api(who.member, 'GET', `/api/teams/${who.team.id}/lists`)).status).toBe(200);
});

it('limits connection checks more tightly', async () => {
  const put = () =>
    server.api(who.owner, 'PUT', `/api/teams/${who.team.id}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'Sandbox' });
  const statuses = [(await put()).status, (await put()).status, (await put()).status];
  expect(statuses).toEqual([200, 429, 429]);
});

it('stops answering failed sign-ins from an address that keeps failing, and only those', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const res = await fetch(`${server.url}/api/me/teams`, { headers: { authorization: 'Bearer not.a.token' } });
    statuses.push(res.status);
  }
  expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  const refused = await fetch(`${server.url}/api/me/teams`);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  // Clinicians signed in from the same address (a hospital's one egress address) are still answered.
  expect((await server.api(who.member, 'GET', '/api/me/teams')).status).toBe(200);
});

it("writes no more of a flooding address's refusals into the tenant its unsigned tokens claim", async () => {
  // The previous case used up this address's failed sign-ins: a token that claims the tenant and a
  // user, with a broken signature, is now answered 429 and recorded nowhere.
  const [header, payload] = (await server.tokenFor(who.member)).split('.');
  const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
  const requestIds: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await fetch(`${server.url}/api/teams/${who.team.id}/patients/p-1/details`, { headers: { authorization: `Bearer ${forged}` } });
    expect(res.status).toBe(429);
    requestIds.push(res.headers.get('x-request-id')!);
  }
  const reader = server.info.users.find((u) => u.name === 'Casey Lindqvist')!.id;
  const trail = await server.api(reader, 'GET', '/api/audit?limit=50000');
  expect(trail.status).toBe(200);
  expect(trail.body.events.filter((e: { requestId: string }) => requestIds.includes(e.requestId))).toEqual([]);
});
