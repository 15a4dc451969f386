import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { appResourceTypes, connection } from '../../../contract/connection.js';
import { createDiscovery } from '../../../server/ehr/discovery.js';
import type { FhirHttp } from '../../../server/ehr/fhir-http.js';
import { createEhrGateway, FhirError, type EhrGateway } from '../../../server/ehr/index.js';
import { capabilityStatement, partnerAt, routes, searchset, useFakeEhr, type Handler } from './fake-ehr.js';

const TENANT = 'tenant-1';

const ehr = useFakeEhr();

const gateway = (options: Partial<Parameters<typeof createEhrGateway>[0]> = {}): EhrGateway =>
  createEhrGateway({ partners: () => [partnerAt(ehr)], ...options });

const tokenReply = { headers: { 'content-type': 'application/json' }, json: { access_token: 'tok', token_type: 'bearer', expires_in: 300 } };

function serve(extra: Record<string, Handler>): void {
  ehr.handle(routes({ 'GET /fhir/Patient': () => ({ json: searchset([]) }), ...extra }));
}

async function failure(promise: Promise<unknown>): Promise<FhirError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FhirError);
  return error as FhirError;
}

describe('discovery through a connection check', () => {
  it.each([
    ['1.0.2', 'DSTU2'],
    ['3.0.1', 'STU3'],
    ['3.0.2', 'STU3'],
    ['4.0.0', 'R4'],
    ['4.0.1', 'R4'],
    ['4.3.0', 'R4B'],
  ])('recognises fhirVersion %s as %s', async (fhirVersion, expected) => {
    serve({ 'GET /fhir/metadata': () => ({ json: capabilityStatement({ fhirVersion }) }) });
    const check = await gateway().check(ehr.base, TENANT);
    expect(check.fhirVersion).toBe(expected);
  });

  it.each(['5.0.0', '1.4.0', '0.5.0', ''])('refuses fhirVersion "%s" as unsupported', async (fhirVersion) => {
    serve({ 'GET /fhir/metadata': () => ({ json: capabilityStatement({ fhirVersion }) }) });
    const error = await failure(gateway().check(ehr.base, TENANT));
    expect(error.code).toBe('unsupported_version');
  });

  it('finds an open server, lists its resources and searches without a token', async () => {
    serve({ 'GET /fhir/metadata': () => ({ json: capabilityStatement({ resources: ['Patient', 'Condition'] }) }) });
    const check = await gateway().check(`${ehr.base}/`, TENANT);
    expect(check).toEqual({ fhirVersion: 'R4', auth: 'none', resources: ['Patient', 'Condition'] });
    const [metadata] = ehr.requestsTo('/metadata');
    expect(metadata.headers.authorization).toBeUndefined();
    expect(metadata.headers.accept).toBe('application/fhir+json, application/json+fhir, application/json');
    const [search] = ehr.requestsTo('/Patient', 'GET');
    expect(search.url.search).toBe('?_count=1');
    expect(search.headers.authorization).toBeUndefined();
  });

  it('takes the token endpoint from the oauth-uris extension and uses a token for the test search', async () => {
    serve({
      'GET /fhir/metadata': () => ({ json: capabilityStatement({ fhirVersion: '3.0.2', tokenUrl: `${ehr.origin}/legacy/token` }) }),
      'POST /legacy/token': () => tokenReply,
    });
    const check = await gateway().check(ehr.base, TENANT);
    expect(check).toMatchObject({ fhirVersion: 'STU3', auth: 'client_credentials', tokenEndpoint: `${ehr.origin}/legacy/token` });
    expect(ehr.requestsTo('/Patient', 'GET')[0].headers.authorization).toBe('Bearer tok');
  });

  it('lets the SMART well-known file win for auth details', async () => {
    serve({
      'GET /fhir/metadata': () => ({ json: capabilityStatement({ tokenUrl: `${ehr.origin}/legacy/token` }) }),
      'GET /fhir/.well-known/smart-configuration': () => ({
        headers: { 'content-type': 'application/json' },
        json: {
          token_endpoint: `${ehr.origin}/smart/token`,
          token_endpoint_auth_methods_supported: ['client_secret_post'],
          grant_types_supported: ['client_credentials'],
        },
      }),
      'POST /smart/token': () => tokenReply,
    });
    const check = await gateway().check(ehr.base, TENANT);
    expect(check.tokenEndpoint).toBe(`${ehr.origin}/smart/token`);
    const [tokenRequest] = ehr.requests.filter((r) => r.url.pathname === '/smart/token');
    expect(tokenRequest.form.get('client_secret')).toBe('s3cret');
    expect(ehr.requests.some((r) => r.url.pathname === '/legacy/token')).toBe(false);
  });

  it('uses the well-known file alone when the capability statement has no security', async () => {
    serve({
      'GET /fhir/metadata': () => ({ json: capabilityStatement({ fhirVersion: '1.0.2' }) }),
      'GET /fhir/.well-known/smart-configuration': () => ({ json: { token_endpoint: '/smart/token' } }),
      'POST /smart/token': () => tokenReply,
    });
    const check = await gateway().check(ehr.base, TENANT);
    expect(check).toMatchObject({ fhirVersion: 'DSTU2', auth: 'client_credentials', tokenEndpoint: `${ehr.origin}/smart/token` });
  });

  it.each<[string, Handler]>([
    ['an HTML page', () => ({ headers: { 'content-type': 'text/html' }, body: '<html>Welcome</html>' })],
    ['JSON that is not a capability statement', () => ({ json: { resourceType: 'Patient', id: '1' } })],
    ['a 404', () => ({ status: 404, body: 'nothing here' })],
    ['malformed JSON', () => ({ headers: { 'content-type': 'application/json' }, body: '{"resourceType":' })],
  ])('calls an address answering /metadata with %s not FHIR', async (_, metadata) => {
    serve({ 'GET /fhir/metadata': metadata });
    const error = await failure(gateway().check(ehr.base, TENANT));
    expect(error.code).toBe('not_fhir');
  });

  const outcome = (code: string) => ({ json: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code }] } });

  it.each<[string, Handler]>([
    ['a web page', () => ({ headers: { 'content-type': 'text/html' }, body: '<html>Welcome</html>' })],
    ["another app's health check", () => ({ headers: { 'content-type': 'application/json' }, json: { status: 'ok' } })],
    ['a login wall that is not FHIR', () => ({ status: 401, headers: { 'content-type': 'application/json' }, json: { error: 'sign in' } })],
    ['a forbidden web page', () => ({ status: 403, headers: { 'content-type': 'text/html' }, body: '<html>Forbidden</html>' })],
    ['a missing page', () => ({ status: 404, headers: { 'content-type': 'application/json' }, json: { code: 'route_not_found' } })],
  ])('says in plain words that %s is not a FHIR server', async (_, metadata) => {
    serve({ 'GET /fhir/metadata': metadata });
    const error = await failure(gateway().check(ehr.base, TENANT));
    expect(error.code).toBe('not_fhir');
    expect(error.message).toMatch(/^This address is not a FHIR server \(.+\)\. Check the link/);
    expect(error.message).not.toMatch(/must be open/);
  });

  it.each([401, 403])('tells a FHIR server that refuses the app (HTTP %i with an OperationOutcome) from one that is not FHIR', async (status) => {
    serve({ 'GET /fhir/metadata': () => ({ status, ...outcome('forbidden') }) });
    const error = await failure(gateway().check(ehr.base, TENANT));
    expect(error.code).toBe('token_refused');
    expect(error.message).toMatch(/^This FHIR server refuses the app/);
  });

  it('says which FHIR version a server speaks when the app does not support it', async () => {
    serve({ 'GET /fhir/metadata': () => ({ json: capabilityStatement({ fhirVersion: '5.0.0' }) }) });
    const error = await failure(gateway().check(ehr.base, TENANT));
    expect(error).toMatchObject({ code: 'unsupported_version' });
    expect(error.message).toMatch(/^This FHIR server speaks FHIR 5\.0\.0, a version the app does not support/);
  });

  it('says when the server has no Patient resource', async () => {
    serve({ 'GET /fhir/metadata': () => ({ json: capabilityStatement({ resources: ['Observation'] }) }) });
    expect((await failure(gateway().check(ehr.base, TENANT))).code).toBe('no_patient_support');
  });

  it('says when nothing answers at the address', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect((await failure(gateway().check(`http://127.0.0.1:${port}/fhir`, TENANT))).code).toBe('ehr_unreachable');
  });

  it('says when the server is too slow', async () => {
    serve({ 'GET /fhir/metadata': () => ({ delayMs: 800, json: capabilityStatement() }) });
    expect((await failure(gateway({ timeoutMs: 100 }).check(ehr.base, TENANT))).code).toBe('ehr_timeout');
  });

  it('asks the URL guard before anything is fetched', async () => {
    serve({ 'GET /fhir/metadata': () => ({ json: capabilityStatement() }) });
    const checkUrl = async (url: URL) => {
      throw new FhirError('link_not_allowed', `refused ${url.hostname}`);
    };
    expect((await failure(gateway({ checkUrl }).check(ehr.base, TENANT))).code).toBe('link_not_allowed');
    expect(ehr.requests).toHaveLength(0);
  });

  it('caches discovery per base URL, while a check always looks again', async () => {
    serve({ 'GET /fhir/metadata': () => ({ json: capabilityStatement() }) });
    const g = gateway();
    await g.searchPatients(ehr.base, TENANT, { family: 'a' });
    await g.searchPatients(ehr.base, TENANT, { family: 'b' });
    expect(ehr.requestsTo('/metadata')).toHaveLength(1);
    await g.check(ehr.base, TENANT);
    expect(ehr.requestsTo('/metadata')).toHaveLength(2);
  });
});

/** A statement listing `types` as written (any strings), in one server rest. */
const listing = (types: string[]) => ({
  resourceType: 'CapabilityStatement',
  status: 'active',
  fhirVersion: '4.0.1',
  rest: [{ mode: 'server', resource: types.map((type) => ({ type })) }],
});

describe('what a connection keeps of a capability statement', () => {
  it('keeps only the resource types the app reads, each once, whatever else (and however much) the statement lists', async () => {
    const madeUp = Array.from({ length: 50_000 }, (_, i) => `Made${i}Up`);
    const types = ['Patient', 'Observation', ...madeUp, 'patient', 'Patient ', 'Observation', 'Condition', 'X'.repeat(10_000), 'MedicationOrder'];
    serve({ 'GET /fhir/metadata': () => ({ json: listing(types) }) });
    const check = await gateway().check(ehr.base, TENANT);
    // "Patient " is trimmed (as FHIR strings are); the lower-case and made-up ones are not types the app reads.
    expect(check.resources).toEqual(['Patient', 'Observation', 'Condition', 'MedicationOrder']);
    expect(check.resources.every((t) => (appResourceTypes as readonly string[]).includes(t))).toBe(true);
    // What is kept always fits the contract's bound.
    expect(connection.safeParse({ mode: 'ehr', url: ehr.base, name: 'x', fhirVersion: 'R4', auth: 'none', resources: check.resources }).success).toBe(
      true,
    );
  });

  it('keeps every type the app reads when the statement lists them all (as HAPI lists every FHIR type)', async () => {
    serve({ 'GET /fhir/metadata': () => ({ json: listing(['Account', 'Appointment', ...appResourceTypes, 'ValueSet']) }) });
    expect((await gateway().check(ehr.base, TENANT)).resources).toEqual([...appResourceTypes]);
  });

  it('refuses a capability statement over 4 MB as too large, without reading it, though it is under the 20 MB answer cap', async () => {
    // ~5 MB: Patient and 330,000 made-up types.
    const huge = JSON.stringify(listing(['Patient', ...Array.from({ length: 330_000 }, (_, i) => `T${i}`)]));
    expect(huge.length).toBeGreaterThan(4 * 1024 * 1024);
    serve({ 'GET /fhir/metadata': () => ({ headers: { 'content-type': 'application/fhir+json' }, body: huge }) });
    const error = await failure(gateway().check(ehr.base, TENANT));
    expect(error.code).toBe('ehr_error');
    expect(error.message).toMatch(/^The EHR's description of itself \(its capability statement at \/metadata\) is too large: over 4 MB/);
    expect(ehr.requestsTo('/Patient')).toHaveLength(0);
  });

  it('reads a capability statement just under 4 MB', async () => {
    const body = JSON.stringify(listing(['Patient', ...Array.from({ length: 200_000 }, (_, i) => `T${i}`)]));
    expect(body.length).toBeGreaterThan(3 * 1024 * 1024);
    expect(body.length).toBeLessThan(4 * 1024 * 1024);
    serve({ 'GET /fhir/metadata': () => ({ headers: { 'content-type': 'application/fhir+json' }, body }) });
    expect((await gateway().check(ehr.base, TENANT)).resources).toEqual(['Patient']);
  });

  it('still picks the one usable token authentication method from a SMART configuration naming thousands', async () => {
    serve({
      'GET /fhir/metadata': () => ({ json: capabilityStatement() }),
      'GET /fhir/.well-known/smart-configuration': () => ({
        headers: { 'content-type': 'application/json' },
        json: {
          token_endpoint: `${ehr.origin}/token`,
          token_endpoint_auth_methods_supported: ['client_secret_post', ...Array.from({ length: 10_000 }, (_, i) => `m${i}`), 'client_secret_post'],
        },
      }),
      'POST /token': () => tokenReply,
    });
    await gateway().check(ehr.base, TENANT);
    // The one usable method advertised is the one used: client_secret_post (the secret in the form, no Basic header).
    const asked = ehr.requests.filter((r) => r.url.pathname === '/token');
    expect(asked).toHaveLength(1);
    expect(asked[0].form.get('client_secret')).toBe('s3cret');
    expect(asked[0].headers.authorization).toBeUndefined();
  });
});

describe('the caches of what links taught the gateway', () => {
  /** Any base under the fake EHR: a statement at each …/metadata, an empty search at each …/Patient. */
  const anyBase = () =>
    ehr.handle((request) => {
      if (request.url.pathname.endsWith('/metadata')) return { json: capabilityStatement() };
      if (request.url.pathname.endsWith('/Patient')) return { json: searchset([]) };
      return { status: 404, json: { resourceType: 'OperationOutcome', issue: [] } };
    });

  it('holds no more bases than its bound, however many distinct links are checked', async () => {
    anyBase();
    const g = createEhrGateway({ partners: () => [partnerAt(ehr)], maxCachedBases: 5 });
    for (let i = 0; i < 20; i++) await g.check(`${ehr.base}/link-${i}`, TENANT);
    expect(g.cachedBases).toEqual({ discovery: 5, quirks: 5 });
    // The most recent link is still known: a search there asks no /metadata again.
    const before = ehr.requests.filter((r) => r.url.pathname.endsWith('/metadata')).length;
    await g.searchPatients(`${ehr.base}/link-19`, TENANT, { family: 'a' });
    expect(ehr.requests.filter((r) => r.url.pathname.endsWith('/metadata'))).toHaveLength(before);
  });

  it('keeps at most DISCOVERY_CACHE_MAX bases by default, and drops expired ones', async () => {
    const statement = listing(['Patient']);
    const http: FhirHttp = async (request) => {
      if (request.url.pathname.endsWith('/metadata')) return { status: 200, body: statement };
      throw new FhirError('ehr_error', 'no', 404);
    };
    const discovery = createDiscovery(http);
    for (let i = 0; i < 1_100; i++) await discovery.discover(new URL(`https://ehr-${i}.example.org/fhir`));
    expect(discovery.cached).toBe(1_000);
    // Long enough that a loaded machine still finds all ten before they expire.
    const short = createDiscovery(http, { ttlMs: 500 });
    for (let i = 0; i < 10; i++) await short.discover(new URL(`https://ehr-${i}.example.org/fhir`));
    expect(short.cached).toBe(10);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(short.cached).toBe(0);
  });
});
