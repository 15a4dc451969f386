import { afterAll, beforeAll, expect, it } from 'vitest';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

// Dev mode's /dev/token hands out bearer tokens: like any token answer (RFC 6749 5.1) and like
// every /api answer, nothing under /dev may be kept by a browser or a proxy.
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

it('answers /dev/token, /dev/info and the dev JWKS with Cache-Control: no-store', async () => {
  const userId = cast(server.info).member;
  const token = await fetch(`${server.url}/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  expect(token.status).toBe(200);
  expect(((await token.json()) as { access_token?: string }).access_token).toBeTruthy();
  expect(token.headers.get('cache-control')).toBe('no-store');
  for (const path of ['/dev/info', '/dev/.well-known/jwks.json']) {
    const res = await fetch(`${server.url}${path}`);
    await res.arrayBuffer();
    expect([path, res.headers.get('cache-control')]).toEqual([path, 'no-store']);
  }
});
