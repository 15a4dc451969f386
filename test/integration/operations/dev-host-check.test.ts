import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

// Dev mode hands out tokens for any dev user on loopback: a page that points its own host name at
// 127.0.0.1 (DNS rebinding) must not reach it from the developer's browser.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** A GET with the Host header a browser would send for `host`. */
function get(path: string, host: string): Promise<{ status: number; body: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject).end();
  });
}

describe('dev mode', () => {
  it.each(['/dev/info', '/api/health', '/sandbox/r4/metadata', '/'])('refuses %s addressed to another host name', async (path) => {
    const { port } = new URL(server.url);
    const answer = await get(path, `attacker.example:${port}`);
    expect(answer.status).toBe(421);
    expect(answer.body).not.toContain('attacker.example');
    expect(answer.body).not.toMatch(/token|tenant/i);
  });

  it.each(['localhost', '127.0.0.1', '[::1]'])('answers requests addressed to %s', async (name) => {
    const { port } = new URL(server.url);
    const answer = await get('/dev/info', `${name}:${port}`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).tenants.length).toBeGreaterThan(0);
  });
});
