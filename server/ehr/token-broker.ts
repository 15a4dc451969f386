import { isObject, str } from './json.js';
import { parseAnswerJson } from './answer-json.js';
import { isPartnersTokenEndpoint, type EhrPartner } from './partners.js';
import type { Transport } from './transport.js';
import { FhirError } from './types.js';

export interface TokenKey {
  tokenEndpoint: string;
  tenantId: string;
  /**
   * The partner bound to this token endpoint: its client id and secrets are the only credentials
   * sent, and only if the endpoint is the partner's own. Its secrets are read at every request,
   * so a secret added or removed during rotation takes effect at once.
   */
  partner: EhrPartner;
}

export interface TokenBrokerOptions {
  transport: Transport;
  now?: () => number;
}

export interface TokenBroker {
  /** A valid token for the key: from the cache, or one request shared by concurrent callers. */
  getToken(key: TokenKey, authMethods?: string[]): Promise<string>;
  /** Drops the cached token, if it is still `rejected` (or unconditionally without it). */
  invalidate(key: TokenKey, rejected?: string): void;
}

type SecretMethod = 'client_secret_basic' | 'client_secret_post';

interface CachedToken {
  kind: 'token';
  accessToken: string;
  renewAt: number;
}

const MAX_RENEW_MARGIN_MS = 60_000;

/** OAuth 2.0 client credentials with `scope={tenant}`, cached per (token endpoint, client id, tenant). */
export function createTokenBroker(options: TokenBrokerOptions): TokenBroker {
  const now = options.now ?? Date.now;
  const cache = new Map<string, CachedToken>();
  const inFlight = new Map<string, Promise<string>>();
  /** The method that last worked per token endpoint, tried first next time. */
  const methodThatWorked = new Map<string, SecretMethod>();
  const cacheKey = (key: TokenKey) => JSON.stringify([key.tokenEndpoint, key.partner.clientId, key.tenantId]);

  async function requestToken(key: TokenKey, authMethods: string[] | undefined): Promise<CachedToken> {
    if (key.tenantId.trim() === '') throw new FhirError('token_refused', 'No tenant to ask the EHR a token for.');
    let url: URL;
    try {
      url = new URL(key.tokenEndpoint);
    } catch {
      throw new FhirError('token_refused', 'The EHR advertises a token endpoint that is not a valid address.');
    }
    if (!isPartnersTokenEndpoint(key.partner, url)) {
      // The gateway binds links to partners first; this keeps the broker safe on its own.
      throw new FhirError('link_not_allowed', `The app sends its credentials only to its EHR partner's sign-in address, not to ${url.origin}.`);
    }
    const methods = methodsToTry(authMethods, methodThatWorked.get(key.tokenEndpoint));
    // A partner whose secrets live in Key Vault holds none until the first read of the vault is in.
    if (key.partner.reloadSecrets && !key.partner.clientSecrets.some((s) => s !== '')) await key.partner.reloadSecrets();
    const tried = new Set<string>();
    const first = await trySecrets(url, key, methods, tried);
    if (first.kind === 'token' || !key.partner.reloadSecrets) return unwrap(first);
    // Every secret held was refused (invalid_client): a rotation may have moved on. Read the
    // secrets anew and try the ones not tried yet, so the request does not fail.
    await key.partner.reloadSecrets();
    return unwrap(await trySecrets(url, key, methods, tried));
  }

  const unwrap = (result: CachedToken | { kind: 'refused'; error: FhirError }): CachedToken => {
    if (result.kind === 'refused') throw result.error;
    return result;
  };

  /** Each secret not in `tried`, with each method; throws at once on an answer that is not invalid_client. */
  async function trySecrets(
    url: URL,
    key: TokenKey,
    methods: SecretMethod[],
    tried: Set<string>,
  ): Promise<CachedToken | { kind: 'refused'; error: FhirError }> {
    const secrets = key.partner.clientSecrets.filter((s) => s !== '' && !tried.has(s));
    if (secrets.length === 0 && tried.size === 0) throw new FhirError('token_refused', 'The app has no client secret for this EHR.');
    let lastError: FhirError | undefined;
    for (const secret of secrets) {
      tried.add(secret);
      for (const method of methods) {
        const startedAt = now();
        const answer = await postTokenRequest(url, key, method, secret);
        if (answer.kind === 'token') {
          methodThatWorked.set(key.tokenEndpoint, method);
          const lifetimeMs = answer.expiresIn * 1000;
          const margin = Math.min(MAX_RENEW_MARGIN_MS, lifetimeMs * 0.1);
          return { kind: 'token', accessToken: answer.accessToken, renewAt: startedAt + lifetimeMs - margin };
        }
        lastError = answer.error;
        if (!answer.invalidClient) throw answer.error;
      }
    }
    return { kind: 'refused', error: lastError ?? refusal('invalid_client', 401) };
  }

  type Answer = { kind: 'token'; accessToken: string; expiresIn: number } | { kind: 'refused'; error: FhirError; invalidClient: boolean };

  async function postTokenRequest(url: URL, key: TokenKey, method: SecretMethod, secret: string): Promise<Answer> {
    const { clientId } = key.partner;
    const form = new URLSearchParams({ grant_type: 'client_credentials', scope: key.tenantId });
    const headers: Record<string, string> = {
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
    };
    if (method === 'client_secret_basic') {
      // RFC 6749 §2.3.1: id and secret are form-encoded before Base64.
      const pair = `${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`;
      headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    } else {
      form.set('client_id', clientId);
      form.set('client_secret', secret);
    }
    const raw = await options.transport({ method: 'POST', url, headers, body: form.toString(), followRedirects: false });
    let body: unknown;
    try {
      body = parseAnswerJson(raw.content);
    } catch {
      body = undefined;
    }
    if (raw.status >= 200 && raw.status < 300) return readToken(body);
    const code = isObject(body) ? oauthCode(body.error) : undefined;
    if (raw.status >= 500) {
      return {
        kind: 'refused',
        invalidClient: false,
        error: new FhirError('ehr_error', `The EHR's token endpoint failed (HTTP ${raw.status}).`, raw.status),
      };
    }
    const invalidClient = code === 'invalid_client' || (code === undefined && raw.status === 401);
    return { kind: 'refused', invalidClient, error: refusal(code, raw.status) };
  }

  return {
    async getToken(key, authMethods) {
      const id = cacheKey(key);
      const cached = cache.get(id);
      if (cached && now() < cached.renewAt) return cached.accessToken;
      const pending = inFlight.get(id);
      if (pending) return pending;
      const request = requestToken(key, authMethods)
        .then((token) => {
          cache.set(id, token);
          return token.accessToken;
        })
        .finally(() => inFlight.delete(id));
      inFlight.set(id, request);
      return request;
    },
    invalidate(key, rejected) {
      const id = cacheKey(key);
      const cached = cache.get(id);
      if (cached && (rejected === undefined || cached.accessToken === rejected)) cache.delete(id);
    },
  };
}

/** Advertised methods in the RFC's preferred order; with none we can use, Basic then post. */
function methodsToTry(advertised: string[] | undefined, worked: SecretMethod | undefined): SecretMethod[] {
  const all: SecretMethod[] = ['client_secret_basic', 'client_secret_post'];
  const usable = all.filter((m) => advertised?.includes(m));
  const methods = usable.length > 0 ? usable : all;
  return worked && methods.includes(worked) ? [worked, ...methods.filter((m) => m !== worked)] : methods;
}

function readToken(
  body: unknown,
): { kind: 'token'; accessToken: string; expiresIn: number } | { kind: 'refused'; error: FhirError; invalidClient: false } {
  const missing = (what: string) => ({
    kind: 'refused' as const,
    invalidClient: false as const,
    error: new FhirError('token_refused', `The EHR's token answer is unusable: ${what}.`),
  });
  if (!isObject(body)) return missing('it is not JSON');
  const accessToken = str(body.access_token);
  if (!accessToken) return missing('access_token is missing');
  const tokenType = str(body.token_type);
  if (!tokenType) return missing('token_type is missing');
  if (tokenType.toLowerCase() !== 'bearer') return missing('token_type is not bearer');
  const expiresIn = typeof body.expires_in === 'string' ? Number(body.expires_in) : body.expires_in;
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) return missing('expires_in is missing');
  return { kind: 'token', accessToken, expiresIn };
}

function oauthCode(value: unknown): string | undefined {
  const code = str(value);
  return code !== undefined && /^[a-z_]{1,40}$/.test(code) ? code : undefined;
}

function refusal(code: string | undefined, status: number): FhirError {
  const message =
    code === 'invalid_client' || (code === undefined && status === 401)
      ? "The EHR did not accept the app's client id and secret (invalid_client)."
      : code === 'invalid_scope'
        ? 'The EHR does not know this organisation (invalid_scope for the tenant).'
        : code === 'unauthorized_client'
          ? 'The EHR does not allow this app the client credentials grant (unauthorized_client).'
          : `The EHR refused the app a token (${code ?? 'no reason given'}, HTTP ${status}).`;
  return new FhirError('token_refused', message, status);
}
