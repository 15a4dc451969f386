import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTransport, type EhrFetch, type EhrFetchInit } from '../../../server/ehr/transport.js';
import { FhirError } from '../../../server/ehr/types.js';
import { createLinkGuard } from '../../../server/ehr/link-guard.js';

/**
 * Server-side request forgery through every form an address can take, against a production
 * guard and a real listener on 127.0.0.1: the listener must see no connection at all, whether
 * the URL check or the connection's own address check is the one that stops it.
 */
interface Listener {
  port: number;
  origin: string;
  connections: number;
  close(): Promise<void>;
}

async function listen(handler: http.RequestListener = (_req, res) => res.end('{}')): Promise<Listener> {
  const server = http.createServer(handler);
  const listener = { connections: 0 } as Listener;
  server.on('connection', () => listener.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  listener.port = (server.address() as AddressInfo).port;
  listener.origin = `http://127.0.0.1:${listener.port}`;
  listener.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return listener;
}

const PUBLIC = '93.184.215.14';
const dns: Record<string, string[]> = {
  localhost: ['127.0.0.1', '::1'],
  'localhost.': ['127.0.0.1'],
  'api.localhost': ['127.0.0.1'],
  'loop.test': ['127.0.0.1'],
  'internal.test': ['10.0.0.5'],
  'mixed.test': [PUBLIC, '169.254.169.254'],
  'mapped.test': ['::ffff:127.0.0.1'],
  'nat64.test': ['64:ff9b::a9fe:a9fe'],
  'cgnat.test': ['100.64.0.7'],
};
const resolve = async (host: string) => {
  const found = dns[host.toLowerCase()];
  if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return found;
};

// [link host (with brackets for IPv6), why it is refused: it is this machine, or a reserved network]
const hostile: [string, 'self' | 'reserved'][] = [
  ['2130706433', 'self'], // decimal 127.0.0.1
  ['0x7f.1', 'self'],
  ['127.1', 'self'],
  ['0177.0.0.1', 'self'],
  ['0x7f000001', 'self'],
  ['127.0.0.1', 'self'],
  ['10.0.0.1', 'reserved'],
  ['172.16.0.1', 'reserved'],
  ['192.168.1.1', 'reserved'],
  ['169.254.169.254', 'reserved'],
  ['100.64.0.1', 'reserved'],
  ['0.0.0.0', 'reserved'],
  ['0', 'reserved'],
  ['224.0.0.1', 'reserved'],
  ['255.255.255.255', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['192.0.0.1', 'reserved'],
  ['203.0.113.9', 'reserved'],
  ['[::1]', 'self'],
  ['[::127.0.0.1]', 'self'], // WHATWG URL writes it [::7f00:1]
  ['[::ffff:127.0.0.1]', 'self'],
  ['[::ffff:7f00:1]', 'self'],
  ['[::ffff:0:127.0.0.1]', 'self'],
  ['[::ffff:10.0.0.1]', 'reserved'],
  ['[::ffff:169.254.169.254]', 'reserved'],
  ['[::ffff:100.64.0.1]', 'reserved'],
  ['[::10.0.0.1]', 'reserved'],
  ['[::8.8.8.8]', 'reserved'],
  ['[::]', 'reserved'],
  ['[64:ff9b::127.0.0.1]', 'self'],
  ['[64:ff9b::a9fe:a9fe]', 'reserved'],
  ['[64:ff9b::c0a8:101]', 'reserved'],
  ['[64:ff9b:1:7f00:0:1::]', 'self'],
  ['[64:ff9b:1::a9fe:a9fe]', 'reserved'],
  ['[2002:7f00:1::]', 'self'],
  ['[2002:a9fe:a9fe::1]', 'reserved'],
  ['[2002:ac10:1::]', 'reserved'],
  ['[2001:0:4136:e378:8000:63bf:80ff:fffe]', 'self'], // Teredo client 127.0.0.1 (stored inverted)
  ['[2001:0:7f00:1::]', 'self'], // Teredo server 127.0.0.1
  ['[2001:0:a9fe:a9fe::5601:5601]', 'reserved'],
  ['[fc00::1]', 'reserved'],
  ['[fd12:3456::1]', 'reserved'],
  ['[fe80::1]', 'reserved'],
  ['[fec0::1]', 'reserved'],
  ['[ff02::1]', 'reserved'],
  ['[100::1]', 'reserved'],
  ['[2001:db8::1]', 'reserved'],
  ['localhost', 'self'],
  ['LOCALHOST.', 'self'],
  ['api.localhost', 'self'],
  ['loop.test', 'self'],
  ['internal.test', 'reserved'],
  ['mixed.test', 'reserved'],
  ['mapped.test', 'self'],
  ['nat64.test', 'reserved'],
  ['cgnat.test', 'reserved'],
];

const reasons = { self: 'this server itself', reserved: 'private or reserved' };

let target: Listener;
beforeAll(async () => {
  target = await listen();
});
afterAll(() => target.close());
beforeEach(() => {
  target.connections = 0;
});

async function failure(promise: Promise<unknown>): Promise<FhirError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FhirError);
  return error as FhirError;
}

const get = (url: string) => ({ method: 'GET' as const, url: new URL(url), headers: {} });

describe('the FHIR link guard against hostile addresses', () => {
  it('has at least 40 forms to try', () => {
    expect(hostile.length).toBeGreaterThanOrEqual(40);
  });

  it.each(hostile)('refuses %s before and at connection, and nothing reaches the listener', async (host, why) => {
    const guard = createLinkGuard({ allowHttp: false, allowLoopback: false, resolve });
    const url = `https://${host}:${target.port}/fhir/metadata`;
    // The whole guard: URL check, then the guarded connection.
    const whole = createTransport({ checkUrl: guard.checkUrl, dispatcher: guard.dispatcher, timeoutMs: 2000 });
    expect(await failure(whole(get(url)))).toMatchObject({ code: 'link_not_allowed', message: expect.stringContaining(reasons[why]) });
    // The connection's own check, with no URL check before it (http, so only the address decides).
    const connectionOnly = createTransport({ dispatcher: guard.dispatcher, timeoutMs: 2000 });
    const httpUrl = `http://${host}:${target.port}/fhir/metadata`;
    expect(await failure(connectionOnly(get(httpUrl)))).toMatchObject({ code: 'link_not_allowed', message: expect.stringContaining(reasons[why]) });
    expect(target.connections).toBe(0);
    await guard.dispatcher.close();
  });

  it('checks the address it connects to, not the one the name had when the link was checked (DNS rebinding)', async () => {
    let lookups = 0;
    const rebinding = async (host: string) => {
      if (host !== 'rebind.test') throw new Error('ENOTFOUND');
      return ++lookups === 1 ? [PUBLIC] : ['127.0.0.1'];
    };
    const guard = createLinkGuard({ allowHttp: true, allowLoopback: false, resolve: rebinding });
    const transport = createTransport({ checkUrl: guard.checkUrl, dispatcher: guard.dispatcher, timeoutMs: 2000 });
    const error = await failure(transport(get(`http://rebind.test:${target.port}/fhir/metadata`)));
    expect(error).toMatchObject({ code: 'link_not_allowed', message: expect.stringContaining('this server itself') });
    expect(lookups).toBe(2);
    expect(target.connections).toBe(0);
    await guard.dispatcher.close();
  });

  it('checks every redirect hop at connection too', async () => {
    const redirecting = await listen((_req, res) => {
      res.writeHead(302, { location: `http://rebind.test:${target.port}/fhir/metadata` });
      res.end();
    });
    let lookups = 0;
    const rebinding = async () => (++lookups === 1 ? [PUBLIC] : ['127.0.0.1']);
    // The first EHR is allowed by name (an on-premises EHR); the hop it redirects to is not.
    const guard = createLinkGuard({ allowHttp: true, allowLoopback: false, resolve: rebinding, allowOrigins: [redirecting.origin] });
    const transport = createTransport({ checkUrl: guard.checkUrl, dispatcher: guard.dispatcher, timeoutMs: 2000 });
    expect((await failure(transport(get(`${redirecting.origin}/fhir/metadata`)))).code).toBe('link_not_allowed');
    expect(redirecting.connections).toBe(1);
    expect(target.connections).toBe(0);
    await redirecting.close();
    await guard.dispatcher.close();
  });

  it('connects where it may: loopback in dev mode, allowed origins in production', async () => {
    const dev = createLinkGuard({ allowHttp: true, allowLoopback: true, resolve });
    const devTransport = createTransport({ checkUrl: dev.checkUrl, dispatcher: dev.dispatcher });
    expect((await devTransport(get(`http://localhost:${target.port}/x`))).status).toBe(200);
    expect(target.connections).toBe(1);
    const onPremises = createLinkGuard({ allowHttp: false, allowLoopback: false, resolve, allowOrigins: [target.origin] });
    const onPremisesTransport = createTransport({ checkUrl: onPremises.checkUrl, dispatcher: onPremises.dispatcher });
    expect((await onPremisesTransport(get(`${target.origin}/x`))).status).toBe(200);
    expect(target.connections).toBe(2);
    // Only that origin: another port on the same address is still this machine.
    const other = await listen();
    expect((await failure(onPremisesTransport(get(`${other.origin}/x`)))).code).toBe('link_not_allowed');
    expect(other.connections).toBe(0);
    await other.close();
    await dev.dispatcher.close();
    await onPremises.dispatcher.close();
  });

  it('an allowed origin is pinned at connection too: a name that turns to a metadata address connects nowhere', async () => {
    let lookups = 0;
    // Checked while it names the listener; by the time it connects it names the metadata address.
    const rebinding = async () => (++lookups === 1 ? ['127.0.0.1'] : ['169.254.169.254']);
    const allowed = `http://partner.test:${target.port}`;
    const guard = createLinkGuard({ allowHttp: false, allowLoopback: false, resolve: rebinding, allowOrigins: [allowed] });
    const transport = createTransport({ checkUrl: guard.checkUrl, dispatcher: guard.dispatcher, timeoutMs: 2000 });
    expect(await failure(transport(get(`${allowed}/fhir/metadata`)))).toMatchObject({
      code: 'link_not_allowed',
      message: expect.stringContaining('private or reserved'),
    });
    expect(lookups).toBe(2);
    expect(target.connections).toBe(0);
    await guard.dispatcher.close();
  });

  it('hands a replacement fetch the guarded dispatcher', async () => {
    const guard = createLinkGuard({ allowHttp: false, allowLoopback: false, resolve });
    const seen: EhrFetchInit[] = [];
    const { fetch } = await import('undici');
    const counting: EhrFetch = (url, init) => {
      seen.push(init);
      return fetch(url, init);
    };
    const transport = createTransport({ fetch: counting, dispatcher: guard.dispatcher });
    expect((await failure(transport(get(`http://loop.test:${target.port}/x`)))).code).toBe('link_not_allowed');
    expect(seen).toHaveLength(1);
    expect(seen[0].dispatcher).toBe(guard.dispatcher);
    expect(target.connections).toBe(0);
    await guard.dispatcher.close();
  });
});
