import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDir } from '../../../scripts/precompress';
import { startTestServer, type TestServer } from '../../helpers/test-server';

/** One request with the exact headers given, and the bytes as they came over the wire (Node's fetch would decode them). */
function get(url: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    // The dev server listens on 127.0.0.1 only; `localhost` may resolve to ::1 first.
    const req = request(url.replace('//localhost:', '//127.0.0.1:'), { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

// What Chromium sends with every request for a script or page.
const CHROMIUM = 'gzip, deflate, br, zstd';

describe('the built tab as the server sends it', () => {
  let dir = '';
  let server: TestServer;
  const script = `export const rows = [${Array.from({ length: 400 }, (_, i) => `{ id: ${i}, label: "row ${i}" }`).join(', ')}];\n`;
  const page = `<!doctype html><html><head><script type="module" src="/assets/index-Bq3x9Z1k.js"></script></head><body>${'<div></div>'.repeat(100)}</body></html>`;
  const stale = `console.log(${JSON.stringify('rebuilt '.repeat(200))});\n`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'patients-tab-serving-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), page);
    writeFileSync(join(dir, 'assets', 'index-Bq3x9Z1k.js'), script);
    writeFileSync(join(dir, 'assets', 'tiny-D4f0a1b2.js'), 'x');
    writeFileSync(join(dir, 'assets', 'stale-C9d8e7f6.js'), 'console.log("old")');
    await precompressDir(dir);
    // A file written again after its copies were made (a build interrupted halfway): its copies are out of date.
    writeFileSync(join(dir, 'assets', 'stale-C9d8e7f6.js'), stale);
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'assets', 'stale-C9d8e7f6.js'), later, later);
    server = await startTestServer({ STATIC_DIR: dir });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a hashed script brotli-compressed to a browser, kept for a year as immutable', async () => {
    const res = await get(`${server.url}/assets/index-Bq3x9Z1k.js`, { 'accept-encoding': CHROMIUM });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.body.length).toBeLessThan(Buffer.byteLength(script) / 4);
    expect(brotliDecompressSync(res.body).toString()).toBe(script);
  });

  it('sends gzip to a client that takes gzip only, or refuses brotli', async () => {
    for (const accept of ['gzip', 'br;q=0, gzip', 'gzip;q=1, br;q=0.5']) {
      const res = await get(`${server.url}/assets/index-Bq3x9Z1k.js`, { 'accept-encoding': accept });
      expect(res.headers['content-encoding'], accept).toBe('gzip');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(gunzipSync(res.body).toString()).toBe(script);
    }
  });

  it('sends the plain file to a client that accepts no compression', async () => {
    for (const headers of [{}, { 'accept-encoding': 'identity' }, { 'accept-encoding': 'deflate' }] as Record<string, string>[]) {
      const res = await get(`${server.url}/assets/index-Bq3x9Z1k.js`, headers);
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(res.body.toString()).toBe(script);
    }
  });

  it('sends index.html compressed too, but to be revalidated on every load', async () => {
    for (const path of ['/', '/index.html']) {
      const res = await get(`${server.url}${path}`, { 'accept-encoding': CHROMIUM });
      expect(res.status, path).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(res.body).toString()).toBe(page);
    }
    const plain = await get(`${server.url}/index.html`);
    expect(plain.headers['cache-control']).toBe('no-cache');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(page);
  });

  it('revalidates index.html with its ETag: 304 with nothing sent', async () => {
    const first = await get(`${server.url}/index.html`, { 'accept-encoding': 'gzip' });
    const again = await get(`${server.url}/index.html`, { 'accept-encoding': 'gzip', 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    // The plain and the compressed file are different representations, with different tags.
    const plain = await get(`${server.url}/index.html`);
    expect(plain.headers.etag).not.toBe(first.headers.etag);
  });

  it('sends a file the build left uncompressed (too small to gain) as it is, and never a copy older than its file', async () => {
    const tiny = await get(`${server.url}/assets/tiny-D4f0a1b2.js`, { 'accept-encoding': CHROMIUM });
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.body.toString()).toBe('x');
    const rebuilt = await get(`${server.url}/assets/stale-C9d8e7f6.js`, { 'accept-encoding': CHROMIUM });
    expect(rebuilt.headers['content-encoding']).toBeUndefined();
    expect(rebuilt.body.toString()).toBe(stale);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const res = await get(`${server.url}/assets/index-Bq3x9Z1k.js`, { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.body.length).toBe(0);
  });

  it('serves nothing outside the tab: no compressed copies by name, no paths out of its folder, no API caching change', async () => {
    expect((await get(`${server.url}/assets/index-Bq3x9Z1k.js.br`)).status).toBe(404);
    expect((await get(`${server.url}/index.html.gz`)).status).toBe(404);
    expect((await get(`${server.url}/assets/..%2f..%2fpackage.json`)).status).toBe(404);
    expect((await get(`${server.url}/assets/missing-A1b2c3d4.js`, { 'accept-encoding': CHROMIUM })).status).toBe(404);
    const health = await get(`${server.url}/api/health`, { 'accept-encoding': CHROMIUM });
    expect(health.headers['cache-control']).toBe('no-store');
  });

  it("answers an address it does not serve with the app's own problem, never echoing the path", async () => {
    for (const path of ['/nonexistent-<b>x</b>.js', '/assets/', '/%ff', '/assets/..%2f..%2fpackage.json', '/dev/nothing', '/index.html.gz']) {
      const answer = await get(`${server.url}${path}`);
      expect(answer.status, path).toBe(404);
      expect(answer.headers['content-type'], path).toMatch(/^application\/json/);
      expect(answer.headers['cache-control'], path).toBe('no-store');
      expect(answer.headers['x-content-type-options'], path).toBe('nosniff');
      const body = JSON.parse(answer.body.toString());
      expect(body, path).toMatchObject({ code: 'not_found', message: 'There is nothing at this address.', requestId: expect.any(String) });
      expect(answer.body.toString(), path).not.toMatch(/nonexistent|assets\/|package\.json|dev\/nothing|%ff|Cannot/);
    }
  });
});
