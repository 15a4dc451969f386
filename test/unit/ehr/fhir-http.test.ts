import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createFhirHttp, type TokenSource } from '../../../server/ehr/fhir-http.js';
import { deepestNesting } from '../../../server/ehr/answer-json.js';
import { createTransport, type TransportOptions } from '../../../server/ehr/transport.js';
import { FhirError } from '../../../server/ehr/types.js';
import { outcome, startFakeEhr, useFakeEhr } from './fake-ehr.js';

const ehr = useFakeEhr();

function client(transport: TransportOptions = {}, retry: { maxRetries?: number; maxRetryWaitMs?: number } = {}) {
  return createFhirHttp({ transport: createTransport(transport), ...retry });
}

const get = (path: string, token?: TokenSource) => ({ method: 'GET' as const, url: new URL(`${ehr.base}${path}`), token });

async function failure(promise: Promise<unknown>): Promise<FhirError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FhirError);
  return error as FhirError;
}

describe('the FHIR HTTP client', () => {
  it.each(['application/fhir+json', 'application/json+fhir', 'application/json', 'application/fhir+json; charset=utf-8'])(
    'reads JSON served as %s',
    async (contentType) => {
      ehr.handle(() => ({ headers: { 'content-type': contentType }, body: '{"resourceType":"Patient","id":"1"}' }));
      const { body } = await client()(get('/Patient/1'));
      expect(body).toEqual({ resourceType: 'Patient', id: '1' });
      expect(ehr.requests[0].headers.accept).toContain('application/fhir+json');
      expect(ehr.requests[0].headers['user-agent']).toMatch(/^Patients /);
    },
  );

  it('reads UTF-8 JSON with non-Latin text and a leading byte order mark', async () => {
    ehr.handle(() => ({
      headers: { 'content-type': 'application/fhir+json' },
      body: '\uFEFF{"resourceType":"Patient","id":"1","name":[{"text":"王秀英 Иванова °C"}]}',
    }));
    const { body } = await client()(get('/Patient/1'));
    expect(body).toEqual({ resourceType: 'Patient', id: '1', name: [{ text: '王秀英 Иванова °C' }] });
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('asks for compressed answers and reads one in %s', async (encoding, compress) => {
    const patient = { resourceType: 'Patient', id: '1', name: [{ text: 'Иванова °C' }] };
    ehr.handle(() => ({
      headers: { 'content-type': 'application/fhir+json', 'content-encoding': encoding },
      body: compress(Buffer.from(JSON.stringify(patient))),
    }));
    const { body } = await client()(get('/Patient/1'));
    expect(body).toEqual(patient);
    expect(ehr.requests[0].headers['accept-encoding']).toContain(encoding);
  });

  it.each(['constructor', '__proto__', 'gzip, gzip', 'identity'])('reads an answer with the content coding %s as it came', async (encoding) => {
    ehr.handle(() => ({
      headers: { 'content-type': 'application/fhir+json', 'content-encoding': encoding },
      body: '{"resourceType":"Patient","id":"1"}',
    }));
    const { body } = await client()(get('/Patient/1'));
    expect(body).toEqual({ resourceType: 'Patient', id: '1' });
  });

  it('refuses a compressed answer that grows beyond the limit once decompressed', async () => {
    const bomb = gzipSync(Buffer.from(JSON.stringify({ resourceType: 'Bundle', padding: 'x'.repeat(5_000_000) })));
    expect(bomb.length).toBeLessThan(10_000);
    ehr.handle(() => ({ headers: { 'content-type': 'application/fhir+json', 'content-encoding': 'gzip' }, body: bomb }));
    const error = await failure(client({ maxResponseBytes: 1024 * 1024 })(get('/Patient')));
    expect(error.code).toBe('ehr_error');
    expect(error.message).toMatch(/larger than the 1 MB limit/);
  });

  it('refuses an answer nested deeper than any FHIR resource, before parsing it, and takes one nested as deep as FHIR goes', async () => {
    // A Patient whose extension holds a million nested arrays: 2 MB of valid JSON that JSON.parse
    // would take seconds over, on the event loop every tenant shares. Brackets in strings do not count.
    const deep = `{"resourceType":"Patient","id":"d1","name":[{"text":"[[[["}],"extension":[{"url":"x","_x":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}]}`;
    ehr.handle(() => ({ headers: { 'content-type': 'application/fhir+json' }, body: deep }));
    const error = await failure(client()(get('/Patient/d1')));
    expect(error).toMatchObject({ code: 'not_fhir', message: 'The EHR answered with malformed JSON.' });
    // Told apart without parsing it (no timing asserted: the parse is what is skipped).
    expect(deepestNesting(Buffer.from(deep), 100)).toBe(101);
    const nested = (levels: number) =>
      `{"resourceType":"Patient","id":"d2","text":"${'{['.repeat(500)}","x":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;
    ehr.handle(() => ({ headers: { 'content-type': 'application/fhir+json' }, body: nested(100) }));
    expect(((await client()(get('/Patient/d2'))).body as { id: string }).id).toBe('d2');
    expect(deepestNesting(Buffer.from(nested(100)), 100)).toBe(100);
    expect(deepestNesting(Buffer.from(nested(101)), 100)).toBe(101);
  });

  it('calls an XML answer not FHIR JSON', async () => {
    ehr.handle(() => ({ headers: { 'content-type': 'application/fhir+xml' }, body: '<Patient/>' }));
    const error = await failure(client()(get('/Patient/1')));
    expect(error.code).toBe('not_fhir');
    expect(error.message).toBe('The EHR answered with application/fhir+xml instead of FHIR JSON.');
  });

  it('names the content type only when it is one: anything else a server writes in the header stays out of the message', async () => {
    for (const header of ['text/html <script>alert(1)</script>', `text/${'x'.repeat(200)}`, 'Call 555-0100 for help']) {
      ehr.handle(() => ({ headers: { 'content-type': header }, body: 'hello' }));
      const error = await failure(client()(get('/Patient/1')));
      expect(error).toMatchObject({
        code: 'not_fhir',
        message: 'The EHR answered with content of an unknown type instead of FHIR JSON.',
      });
    }
  });

  it('turns an HTML error page into an EHR error with its status and none of the page', async () => {
    ehr.handle(() => ({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad gateway at proxy-7</html>' }));
    const error = await failure(client()(get('/Patient/1')));
    expect(error).toMatchObject({ code: 'ehr_error', status: 502 });
    expect(error.message).not.toContain('proxy-7');
  });

  it('summarises an OperationOutcome by its codes without echoing diagnostics', async () => {
    ehr.handle(() => ({ status: 400, json: outcome('not-supported', 'No patient named Hugh Chau with MRN 12345') }));
    const error = await failure(client()(get('/Patient?name=Hugh')));
    expect(error).toMatchObject({ code: 'ehr_error', status: 400 });
    expect(error.message).toContain('error (not-supported)');
    expect(error.message).not.toMatch(/Hugh|12345/);
  });

  it('waits as Retry-After asks on a 429 and then succeeds', async () => {
    let calls = 0;
    ehr.handle(() => (++calls === 1 ? { status: 429, headers: { 'retry-after': '1' }, json: outcome('throttled') } : { json: { ok: true } }));
    const started = Date.now();
    const { body } = await client()(get('/Patient'));
    expect(body).toEqual({ ok: true });
    expect(ehr.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('gives up after two retries of a busy 503 and says so', async () => {
    ehr.handle(() => ({ status: 503, headers: { 'retry-after': '0' } }));
    const error = await failure(client()(get('/Patient')));
    expect(error).toMatchObject({ code: 'ehr_error', status: 503 });
    expect(error.message).toMatch(/busy/);
    expect(ehr.requests).toHaveLength(3);
  });

  it('caps a long Retry-After wait', async () => {
    let calls = 0;
    ehr.handle(() => (++calls === 1 ? { status: 429, headers: { 'retry-after': '3600' } } : { json: {} }));
    const started = Date.now();
    await client({}, { maxRetryWaitMs: 50 })(get('/Patient'));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(ehr.requests).toHaveLength(2);
  });

  it('times out a slow EHR', async () => {
    ehr.handle(() => ({ delayMs: 1000, json: {} }));
    const error = await failure(client({ timeoutMs: 100 })(get('/Patient')));
    expect(error.code).toBe('ehr_timeout');
  });

  it.each(['identity', 'gzip'])('times out an answer whose body stops half way (%s)', async (encoding) => {
    // Headers and a first part of the body, then nothing: the timeout covers the whole answer.
    const stalled = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json', ...(encoding === 'gzip' ? { 'content-encoding': 'gzip' } : {}) });
      const start = Buffer.from('{"resourceType":"Bundle","entry":[');
      res.write(encoding === 'gzip' ? gzipSync(start).subarray(0, 20) : start);
    });
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      const url = new URL(`http://127.0.0.1:${(stalled.address() as AddressInfo).port}/fhir/Patient`);
      const error = await failure(client({ timeoutMs: 200 })({ method: 'GET', url }));
      expect(error.code).toBe('ehr_timeout');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      stalled.closeAllConnections();
      await new Promise<void>((resolve) => stalled.close(() => resolve()));
    }
  });

  it('reports an EHR nobody answers for as unreachable', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(client()({ method: 'GET', url: new URL(`http://127.0.0.1:${port}/fhir/metadata`) }));
    expect(error.code).toBe('ehr_unreachable');
  });

  it('refuses an answer larger than the limit', async () => {
    ehr.handle(() => ({ json: { resourceType: 'Bundle', padding: 'x'.repeat(5000) } }));
    const error = await failure(client({ maxResponseBytes: 1000 })(get('/Patient')));
    expect(error.code).toBe('ehr_error');
    expect(error.message).toMatch(/larger than the 1000 bytes limit/);
  });

  it('renews the token once on a 401 and retries once', async () => {
    ehr.handle((r) => (r.headers.authorization === 'Bearer fresh' ? { json: { ok: true } } : { status: 401 }));
    const renewed: string[] = [];
    const token: TokenSource = { get: async () => 'stale', renew: async (rejected) => (renewed.push(rejected), 'fresh') };
    const { body } = await client()(get('/Patient', token));
    expect(body).toEqual({ ok: true });
    expect(renewed).toEqual(['stale']);
    expect(ehr.requests.map((r) => r.headers.authorization)).toEqual(['Bearer stale', 'Bearer fresh']);
  });

  it('reports a token refused twice without retrying again', async () => {
    ehr.handle(() => ({ status: 401 }));
    const token: TokenSource = { get: async () => 'tok-AAA', renew: async () => 'tok-BBB' };
    const error = await failure(client()(get('/Patient', token)));
    expect(error).toMatchObject({ code: 'token_refused', status: 401 });
    expect(error.message).not.toMatch(/tok-AAA|tok-BBB/);
    expect(ehr.requests).toHaveLength(2);
  });

  it('lets the URL guard see every redirect hop and drops credentials across origins', async () => {
    const other = await startFakeEhr();
    try {
      other.handle(() => ({ json: { moved: true } }));
      ehr.handle(() => ({ status: 302, headers: { location: `${other.base}/Patient/1` } }));
      const seen: string[] = [];
      const http = client({ checkUrl: async (url) => void seen.push(url.href) });
      const token: TokenSource = { get: async () => 'secret-token', renew: async () => 'x' };
      const { body } = await http(get('/Patient/1', token));
      expect(body).toEqual({ moved: true });
      expect(seen).toEqual([`${ehr.base}/Patient/1`, `${other.base}/Patient/1`]);
      expect(other.requests[0].headers.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('does not carry a request body to another origin on a 307', async () => {
    const other = await startFakeEhr();
    try {
      ehr.handle(() => ({ status: 307, headers: { location: `${other.base}/Patient/_search` } }));
      const body = { contentType: 'application/x-www-form-urlencoded', text: 'family=Chau' };
      const error = await failure(client()({ method: 'POST', url: new URL(`${ehr.base}/Patient/_search`), body }));
      expect(error.code).toBe('link_not_allowed');
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('sends nothing when the URL guard refuses', async () => {
    const refuse = async () => {
      throw new FhirError('link_not_allowed', 'private address');
    };
    const error = await failure(client({ checkUrl: refuse })(get('/metadata')));
    expect(error.code).toBe('link_not_allowed');
    expect(ehr.requests).toHaveLength(0);
  });
});
