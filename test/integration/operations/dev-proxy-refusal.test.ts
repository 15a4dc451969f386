import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

// Dev mode signs anyone in as any dev user. A reverse proxy on the same machine (nginx sending
// `Host: 127.0.0.1:PORT`) would pass the Host check and hand dev sign-in tokens to remote clients:
// dev mode answers only requests that are plainly local, on every route.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

function send(method: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject).end(method === 'POST' ? JSON.stringify({ userId: server.info.users[0].id }) : undefined);
  });
}

const proxyHeaders: Record<string, string>[] = [
  { 'x-forwarded-for': '203.0.113.7' },
  { 'x-forwarded-host': 'patients.example.org' },
  { 'x-forwarded-proto': 'https' },
  { 'x-forwarded-port': '443' },
  { forwarded: 'for=203.0.113.7;proto=https' },
  { 'x-real-ip': '203.0.113.7' },
  { via: '1.1 nginx' },
];

describe('dev mode behind a proxy on this machine', () => {
  it.each(proxyHeaders)('refuses every route of a request carrying %o, with what to do instead', async (header) => {
    for (const [method, path] of [
      ['GET', '/dev/info'],
      ['POST', '/dev/token'],
      ['GET', '/api/health'],
      ['GET', '/sandbox/r4/metadata'],
      ['GET', '/'],
    ]) {
      const answer = await send(method, path, { 'content-type': 'application/json', ...header });
      expect(answer.status, `${method} ${path}`).toBe(421);
      expect(answer.body).toMatch(/for this machine only[\s\S]*APP_MODE=production/);
      expect(answer.body).not.toMatch(/access_token|tenant/i);
    }
  });

  it("refuses HTTP/1.0, which nginx's default proxy_pass speaks and no browser does", async () => {
    const { port } = new URL(server.url);
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(`GET /dev/info HTTP/1.0\r\nHost: 127.0.0.1:${port}\r\n\r\n`));
      socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text)).on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 421 /);
    expect(answer).not.toMatch(/tenants/);
  });

  it('still signs in a request made on this machine, with no proxy header', async () => {
    expect((await send('GET', '/dev/info', {})).status).toBe(200);
    const token = await send('POST', '/dev/token', { 'content-type': 'application/json' });
    expect(token.status).toBe(200);
    expect(JSON.parse(token.body)).toHaveProperty('access_token');
  });
});
