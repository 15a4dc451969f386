import { beforeAll, describe, expect, it } from 'vitest';
import { createEhrGateway } from '../../../server/ehr/index.js';
import { createTokenBroker, type TokenKey } from '../../../server/ehr/token-broker.js';
import { createTransport } from '../../../server/ehr/transport.js';
import { FhirError } from '../../../server/ehr/types.js';
import { capabilityStatement, partnerAt, routes, searchset, useFakeEhr, type ReceivedRequest, type Reply } from './fake-ehr.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const SECRET = 'pa$$+word/secret%';

const ehr = useFakeEhr();
let key: Omit<TokenKey, 'partner'>;
beforeAll(() => {
  key = { tokenEndpoint: `${ehr.origin}/oauth/token`, tenantId: TENANT };
});

/** Who the token request says it is, however the secret was sent. */
function credentials(request: ReceivedRequest): { method: 'basic' | 'post' | 'none'; id?: string; secret?: string } {
  const basic = request.headers.authorization?.match(/^Basic (.+)$/);
  if (basic) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':').map(decodeURIComponent);
    return { method: 'basic', id, secret };
  }
  if (request.form.has('client_secret')) {
    return { method: 'post', id: request.form.get('client_id') ?? '', secret: request.form.get('client_secret') ?? '' };
  }
  return { method: 'none' };
}

const token = (accessToken: string, extra: Record<string, unknown> = {}): Reply => ({
  headers: { 'content-type': 'application/json' },
  json: { access_token: accessToken, token_type: 'Bearer', expires_in: 3600, ...extra },
});
const invalidClient: Reply = { status: 401, headers: { 'content-type': 'application/json' }, json: { error: 'invalid_client' } };

/** A broker whose keys are bound to the fake EHR as the partner, with the given client. */
function broker(options: { secrets?: string[]; clientId?: string; clock?: { now: number } } = {}) {
  const tokens = createTokenBroker({ transport: createTransport({}), now: options.clock ? () => options.clock!.now : undefined });
  const partner = partnerAt(ehr, options.secrets ?? [SECRET], options.clientId);
  return {
    getToken: (k: Omit<TokenKey, 'partner'>, methods?: string[]) => tokens.getToken({ ...k, partner }, methods),
    invalidate: (k: Omit<TokenKey, 'partner'>, rejected?: string) => tokens.invalidate({ ...k, partner }, rejected),
  };
}

async function refusal(promise: Promise<unknown>): Promise<FhirError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FhirError);
  expect((error as FhirError).message).not.toContain(SECRET);
  return error as FhirError;
}

describe('the token broker', () => {
  it('asks for client credentials with the tenant as scope and caches the token until shortly before expiry', async () => {
    let issued = 0;
    ehr.handle(() => token(`tok-${++issued}`));
    const clock = { now: 1_000_000 };
    const tokens = broker({ clock });
    expect(await tokens.getToken(key)).toBe('tok-1');
    expect(ehr.requests[0].form.get('grant_type')).toBe('client_credentials');
    expect(ehr.requests[0].form.get('scope')).toBe(TENANT);
    clock.now += 3_530_000; // 70 s before expiry: still good
    expect(await tokens.getToken(key)).toBe('tok-1');
    clock.now += 20_000; // 50 s before expiry: inside the 60 s margin
    expect(await tokens.getToken(key)).toBe('tok-2');
    expect(ehr.requests).toHaveLength(2);
  });

  it('renews short-lived tokens at 90% of their life', async () => {
    let issued = 0;
    ehr.handle(() => token(`tok-${++issued}`, { expires_in: 100 }));
    const clock = { now: 0 };
    const tokens = broker({ clock });
    await tokens.getToken(key);
    clock.now = 89_000;
    expect(await tokens.getToken(key)).toBe('tok-1');
    clock.now = 91_000;
    expect(await tokens.getToken(key)).toBe('tok-2');
  });

  it('lets concurrent callers share one token request', async () => {
    ehr.handle(() => ({ ...token('shared'), delayMs: 100 }));
    const tokens = broker();
    const results = await Promise.all(Array.from({ length: 8 }, () => tokens.getToken(key)));
    expect(results).toEqual(Array(8).fill('shared'));
    expect(ehr.requests).toHaveLength(1);
  });

  it('keeps tokens apart per tenant', async () => {
    ehr.handle((r) => token(`for-${r.form.get('scope')}`));
    const tokens = broker();
    expect(await tokens.getToken({ ...key, tenantId: 'tenant-a' })).toBe('for-tenant-a');
    expect(await tokens.getToken({ ...key, tenantId: 'tenant-b' })).toBe('for-tenant-b');
    expect(ehr.requests).toHaveLength(2);
  });

  it('sends the secret by HTTP Basic, form-encoded first, when the server advertises it', async () => {
    ehr.handle(() => token('t'));
    await broker().getToken(key, ['client_secret_basic', 'private_key_jwt']);
    expect(credentials(ehr.requests[0])).toEqual({ method: 'basic', id: 'patients-app', secret: SECRET });
    expect(ehr.requests[0].form.has('client_secret')).toBe(false);
  });

  it('sends the secret in the body when the server advertises only that', async () => {
    ehr.handle(() => token('t'));
    await broker().getToken(key, ['client_secret_post']);
    expect(credentials(ehr.requests[0])).toEqual({ method: 'post', id: 'patients-app', secret: SECRET });
    expect(ehr.requests[0].headers.authorization).toBeUndefined();
  });

  it('without an advertisement tries Basic, falls back to post on invalid_client, and remembers', async () => {
    ehr.handle((r) => (credentials(r).method === 'post' ? token(`tok-${ehr.requests.length}`, { expires_in: 1 }) : invalidClient));
    const clock = { now: 0 };
    const tokens = broker({ clock });
    expect(await tokens.getToken(key)).toBe('tok-2');
    clock.now = 10_000;
    expect(await tokens.getToken(key)).toBe('tok-3');
    expect(ehr.requests.map((r) => credentials(r).method)).toEqual(['basic', 'post', 'post']);
  });

  it('tries the next secret on invalid_client during rotation', async () => {
    ehr.handle((r) => (credentials(r).secret === 'new-secret' ? token('rotated') : invalidClient));
    expect(await broker({ secrets: ['old-secret', 'new-secret'] }).getToken(key, ['client_secret_post'])).toBe('rotated');
    expect(ehr.requests.map((r) => credentials(r).secret)).toEqual(['old-secret', 'new-secret']);
  });

  it('reads the secret list at each request, so a rotated secret works without a restart', async () => {
    ehr.handle((r) => (credentials(r).secret === 'new' ? token('ok', { expires_in: 1 }) : invalidClient));
    const secrets = ['new'];
    const clock = { now: 0 };
    const tokens = broker({ secrets, clientId: 'c', clock });
    await tokens.getToken(key, ['client_secret_post']);
    secrets.splice(0, secrets.length, 'newer', 'new');
    clock.now = 5_000;
    expect(await tokens.getToken(key, ['client_secret_post'])).toBe('ok');
  });

  it('accepts token_type in any case', async () => {
    ehr.handle(() => token('t', { token_type: 'bEaReR' }));
    expect(await broker().getToken(key)).toBe('t');
  });

  it.each([
    ['access_token', { access_token: undefined }],
    ['token_type', { token_type: undefined }],
    ['bearer', { token_type: 'mac' }],
    ['expires_in', { expires_in: undefined }],
  ])('refuses an answer without a usable %s', async (what, change) => {
    ehr.handle(() => token('t', change));
    const error = await refusal(broker().getToken(key));
    expect(error.code).toBe('token_refused');
    expect(error.message).toContain(what);
  });

  it('reports wrong credentials in plain words, without the secret, after trying every secret and method', async () => {
    ehr.handle(() => invalidClient);
    const error = await refusal(broker({ secrets: [SECRET, 'second'] }).getToken(key));
    expect(error.code).toBe('token_refused');
    expect(error.message).toMatch(/client id and secret/);
    expect(error.message).not.toContain('second');
    expect(ehr.requests).toHaveLength(4);
  });

  it('never follows a redirect with the secret', async () => {
    ehr.handle((r) => (r.url.pathname === '/elsewhere' ? token('leaked') : { status: 307, headers: { location: `${ehr.origin}/elsewhere` } }));
    const error = await refusal(broker().getToken(key, ['client_secret_post']));
    expect(error.code).toBe('token_refused');
    expect(ehr.requests.map((r) => r.url.pathname)).toEqual(['/oauth/token']);
  });

  it('asks nothing without a tenant', async () => {
    ehr.handle(() => token('t'));
    expect((await refusal(broker().getToken({ ...key, tenantId: ' ' }))).code).toBe('token_refused');
    expect(ehr.requests).toHaveLength(0);
  });

  it('does not retry other refusals', async () => {
    ehr.handle(() => ({ status: 400, headers: { 'content-type': 'application/json' }, json: { error: 'invalid_scope' } }));
    const error = await refusal(broker({ secrets: ['a', 'b'] }).getToken(key));
    expect(error.code).toBe('token_refused');
    expect(error.message).toMatch(/tenant/);
    expect(ehr.requests).toHaveLength(1);
  });
});

describe('a FHIR 401 through the gateway', () => {
  function secured(fhir: (r: ReceivedRequest) => Reply) {
    let issued = 0;
    ehr.handle(
      routes({
        'GET /fhir/metadata': () => ({ json: capabilityStatement({ tokenUrl: `${ehr.origin}/oauth/token` }) }),
        'POST /oauth/token': () => token(`tok-${++issued}`),
        'POST /fhir/Patient/_search': fhir,
      }),
    );
  }
  const gateway = () => createEhrGateway({ partners: [partnerAt(ehr, [SECRET])] });

  it('renews the token once and retries once', async () => {
    secured((r) => (r.headers.authorization === 'Bearer tok-2' ? { json: searchset([]) } : { status: 401 }));
    await expect(gateway().searchPatients(ehr.base, TENANT, { family: 'Chau' })).resolves.toEqual({ patients: [], match: 'contains' });
    expect(ehr.requests.filter((r) => r.url.pathname === '/oauth/token')).toHaveLength(2);
    expect(ehr.requestsTo('/Patient/_search')).toHaveLength(2);
  });

  it('gives up with token_refused when the renewed token is refused too', async () => {
    secured(() => ({ status: 401 }));
    const error = await refusal(gateway().searchPatients(ehr.base, TENANT, { family: 'Chau' }));
    expect(error.code).toBe('token_refused');
    expect(error.message).not.toMatch(/tok-\d/);
    expect(ehr.requests.filter((r) => r.url.pathname === '/oauth/token')).toHaveLength(2);
    expect(ehr.requestsTo('/Patient/_search')).toHaveLength(2);
  });
});

describe('a partner whose secrets come from Key Vault', () => {
  it('waits for the first read of the vault when it holds no secret yet, instead of refusing the request', async () => {
    ehr.handle((r) => (r.path === '/oauth/token' && credentials(r).secret === SECRET ? token('from-vault') : invalidClient));
    let held: string[] = [];
    let reads = 0;
    const partner = {
      ...partnerAt(ehr, [], 'app'),
      get clientSecrets() {
        return held;
      },
      reloadSecrets: async () => {
        reads++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        held = [SECRET];
      },
    };
    const tokens = createTokenBroker({ transport: createTransport({}) });
    expect(await tokens.getToken({ ...key, partner })).toBe('from-vault');
    expect(reads).toBe(1);
  });
});
