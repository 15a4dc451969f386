import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEhrGateway, FhirError, type EhrPartner } from '../../../server/ehr/index.js';
import { createTokenBroker } from '../../../server/ehr/token-broker.js';
import { createTransport } from '../../../server/ehr/transport.js';
import { createLinkGuard } from '../../../server/ehr/link-guard.js';
import { capabilityStatement, routes, searchset, startFakeEhr, type FakeEhr, type Reply } from './fake-ehr.js';

/**
 * The EHR client secret goes only to the token endpoint of the partner the link belongs to. A
 * hostile EHR (any server an owner links to) advertises a token endpoint of its own choosing,
 * on a second listener that counts every connection: it must never get one.
 */
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const SECRETS = ['first-secret-9f2c', 'rotated-secret-41ab'];

interface Sink {
  origin: string;
  connections: number;
  close(): Promise<void>;
}

async function startSink(): Promise<Sink> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: 'stolen', token_type: 'Bearer', expires_in: 3600 }));
  });
  const sink = { connections: 0 } as Sink;
  server.on('connection', () => sink.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sink.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return sink;
}

const tokenReply: Reply = { headers: { 'content-type': 'application/json' }, json: { access_token: 'tok', token_type: 'Bearer', expires_in: 3600 } };

let hostile: FakeEhr;
let partnerEhr: FakeEhr;
let sink: Sink;
let partner: EhrPartner;
beforeAll(async () => {
  [hostile, partnerEhr, sink] = await Promise.all([startFakeEhr(), startFakeEhr(), startSink()]);
  partner = { tokenEndpoint: `${partnerEhr.origin}/oauth/token`, clientId: 'patients-app', clientSecrets: SECRETS, fhirOrigins: [partnerEhr.origin] };
});
afterAll(() => Promise.all([hostile.close(), partnerEhr.close(), sink.close()]));
beforeEach(() => {
  hostile.reset();
  partnerEhr.reset();
  sink.connections = 0;
});

/** The gateway as dev mode builds it: loopback allowed by the link guard, so only the partner binding stands in the way. */
function gateway(partners: EhrPartner[] = [partner]) {
  const guard = createLinkGuard({ allowHttp: true, allowLoopback: true });
  return createEhrGateway({ partners, checkUrl: guard.checkUrl, dispatcher: guard.dispatcher });
}

async function refusal(promise: Promise<unknown>): Promise<FhirError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FhirError);
  const { message } = error as FhirError;
  for (const secret of SECRETS) expect(message).not.toContain(secret);
  expect(message).not.toMatch(/[{}]|Error|undefined/);
  return error as FhirError;
}

function serveHostile(where: 'metadata' | 'well-known' | 'both') {
  const stealAt = `${sink.origin}/oauth/token`;
  hostile.handle(
    routes({
      'GET /fhir/metadata': () => ({ json: capabilityStatement({ tokenUrl: where === 'well-known' ? undefined : stealAt }) }),
      'GET /fhir/.well-known/smart-configuration': () =>
        where === 'metadata'
          ? { status: 404 }
          : {
              headers: { 'content-type': 'application/json' },
              json: { token_endpoint: stealAt, token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'] },
            },
      'GET /fhir/Patient': () => ({ json: searchset([]) }),
    }),
  );
}

describe('EHR credentials bound to their partner', () => {
  it.each(['metadata', 'well-known', 'both'] as const)(
    'sends no credential to a token endpoint a hostile link advertises in its %s',
    async (where) => {
      serveHostile(where);
      const error = await refusal(gateway().check(hostile.base, TENANT));
      expect(error.code).toBe('link_not_allowed');
      expect(error.message).toMatch(/not one of the EHR partners/);
      expect(sink.connections).toBe(0);
      expect(hostile.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
    },
  );

  it('refuses a link on a partner FHIR origin that advertises another token endpoint', async () => {
    serveHostile('both');
    const compromised = { ...partner, fhirOrigins: [partnerEhr.origin, hostile.origin] };
    const error = await refusal(gateway([compromised]).check(hostile.base, TENANT));
    expect(error.code).toBe('link_not_allowed');
    expect(error.message).toContain(sink.origin);
    expect(error.message).toMatch(/not its partner's sign-in address/);
    expect(sink.connections).toBe(0);
    expect(partnerEhr.requests).toHaveLength(0);
  });

  it('refuses every later read too, not just the connection check', async () => {
    serveHostile('metadata');
    const error = await refusal(gateway().searchPatients(hostile.base, TENANT, { family: 'Chau' }));
    expect(error.code).toBe('link_not_allowed');
    expect(sink.connections).toBe(0);
  });

  it("gives a partner's link the partner's own client, at its exact token endpoint or its origin", async () => {
    for (const tokenEndpoint of [`${partnerEhr.origin}/oauth/token`, partnerEhr.origin]) {
      partnerEhr.reset();
      partnerEhr.handle(
        routes({
          'GET /fhir/metadata': () => ({ json: capabilityStatement({ tokenUrl: `${partnerEhr.origin}/oauth/token` }) }),
          'POST /oauth/token': (r) =>
            r.form.get('client_secret') === SECRETS[1] ||
            r.headers.authorization?.includes(Buffer.from(`patients-app:${SECRETS[1]}`).toString('base64'))
              ? tokenReply
              : { status: 401, json: { error: 'invalid_client' }, headers: { 'content-type': 'application/json' } },
          'GET /fhir/Patient': (r) => (r.headers.authorization === 'Bearer tok' ? { json: searchset([]) } : { status: 401 }),
        }),
      );
      const check = await gateway([{ ...partner, tokenEndpoint }]).check(partnerEhr.base, TENANT);
      expect(check).toMatchObject({ auth: 'client_credentials', tokenEndpoint: `${partnerEhr.origin}/oauth/token` });
    }
    expect(sink.connections).toBe(0);
  });

  it('uses the client of the partner a link belongs to, never another partner’s', async () => {
    const other: EhrPartner = {
      tokenEndpoint: `${hostile.origin}/token`,
      clientId: 'other-client',
      clientSecrets: ['other-secret'],
      fhirOrigins: [hostile.origin],
    };
    hostile.handle(
      routes({
        'GET /fhir/metadata': () => ({ json: capabilityStatement({ tokenUrl: `${hostile.origin}/token` }) }),
        'POST /token': () => tokenReply,
        'GET /fhir/Patient': () => ({ json: searchset([]) }),
      }),
    );
    await gateway([partner, other]).check(hostile.base, TENANT);
    const [tokenRequest] = hostile.requests.filter((r) => r.url.pathname === '/token');
    const basic = Buffer.from(tokenRequest.headers.authorization!.slice('Basic '.length), 'base64').toString();
    expect(basic).toBe('other-client:other-secret');
  });

  it('keeps an open server (no token endpoint) allowed without any partner', async () => {
    hostile.handle(routes({ 'GET /fhir/metadata': () => ({ json: capabilityStatement() }), 'GET /fhir/Patient': () => ({ json: searchset([]) }) }));
    await expect(gateway([]).check(hostile.base, TENANT)).resolves.toMatchObject({ auth: 'none' });
  });

  it('does not follow a redirect from the token endpoint', async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      partnerEhr.reset();
      partnerEhr.handle(
        routes({
          'GET /fhir/metadata': () => ({ json: capabilityStatement({ tokenUrl: `${partnerEhr.origin}/oauth/token` }) }),
          'POST /oauth/token': () => ({ status, headers: { location: `${sink.origin}/oauth/token` } }),
        }),
      );
      const error = await refusal(gateway().check(partnerEhr.base, TENANT));
      expect(error.code).toBe('token_refused');
    }
    expect(sink.connections).toBe(0);
  });

  it('has the token broker refuse, on its own, an endpoint that is not the partner’s', async () => {
    const tokens = createTokenBroker({ transport: createTransport({}) });
    const error = await refusal(tokens.getToken({ tokenEndpoint: `${sink.origin}/oauth/token`, tenantId: TENANT, partner }));
    expect(error.code).toBe('link_not_allowed');
    expect(sink.connections).toBe(0);
  });
});
