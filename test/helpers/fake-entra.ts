import type { INetworkModule, NetworkResponse } from '@azure/msal-node';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Azure AD v2.0 endpoints MSAL uses for on-behalf-of: the tenant's
 * OpenID configuration and `/oauth2/v2.0/token` with `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`
 * and `requested_token_use=on_behalf_of` (learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow),
 * including the consent (AADSTS65001) and MFA (interaction_required) error answers.
 * MSAL only accepts https authorities, so it is reached as `authorityHost` through `networkClient`.
 */
export interface FakeEntra {
  /** The https authority host MSAL is configured with. */
  authorityHost: string;
  /** msal-node transport that sends requests for `authorityHost` to this local server. */
  networkClient: INetworkModule;
  /** An SSO token (the OBO assertion) of a user in a tenant. */
  ssoToken(tenantId: string, userId: string): string;
  /** Accepts a token made elsewhere (e.g. a signed SSO JWT) as the assertion of a user. */
  acceptAssertion(assertion: string, tenantId: string, userId: string): void;
  /** The user has not consented to the app's Graph permissions. */
  withoutConsent(userId: string): void;
  /** The user's tenant requires MFA for Graph (a conditional access policy). */
  requireMfa(userId: string): void;
  /** The OBO exchanges answered, oldest first. */
  tokenRequests: { tenantId: string; userId: string; scope: string }[];
  close(): Promise<void>;
}

export async function startFakeEntra(options: {
  clientId: string;
  clientSecret: string;
  /** Issues the Graph access token for a tenant (e.g. the Graph emulator's tokenFor). */
  mint(tenantId: string): string;
}): Promise<FakeEntra> {
  const authorityHost = 'https://login.fake-entra.test';
  const assertions = new Map<string, { tenantId: string; userId: string }>();
  const noConsent = new Set<string>();
  const mfa = new Set<string>();
  const tokenRequests: FakeEntra['tokenRequests'] = [];

  const server = createServer(async (req, res) => {
    const body = await read(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const config = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname);
    if (req.method === 'GET' && config) {
      const base = `${authorityHost}/${config[1]}`;
      return json(res, 200, {
        issuer: `https://login.microsoftonline.com/${config[1]}/v2.0`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        jwks_uri: `${authorityHost}/${config[1]}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      });
    }
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    if (req.method !== 'POST' || !token) return json(res, 404, { error: 'not_found' });
    const form = new URLSearchParams(body);
    const fail = (status: number, error: string, aadsts: number, description: string, extra: Record<string, unknown> = {}) =>
      json(res, status, { error, error_description: `AADSTS${aadsts}: ${description}`, error_codes: [aadsts], timestamp: new Date().toISOString(), ...extra });
    if (form.get('client_id') !== options.clientId || form.get('client_secret') !== options.clientSecret) {
      return fail(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
    }
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || form.get('requested_token_use') !== 'on_behalf_of') {
      return fail(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    }
    const user = assertions.get(form.get('assertion') ?? '');
    if (!user || user.tenantId !== token[1]) return fail(400, 'invalid_grant', 50013, 'Assertion failed signature validation.');
    if (noConsent.has(user.userId)) {
      return fail(400, 'invalid_grant', 65001, "The user or administrator has not consented to use the application.", { suberror: 'consent_required' });
    }
    if (mfa.has(user.userId)) {
      return fail(400, 'interaction_required', 50076, 'Due to a configuration change made by your administrator, you must use multi-factor authentication.');
    }
    const scope = form.get('scope') ?? '';
    tokenRequests.push({ tenantId: user.tenantId, userId: user.userId, scope });
    return json(res, 200, {
      token_type: 'Bearer',
      scope: scope.split(' ').filter((s) => s.startsWith('https://')).join(' '),
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: options.mint(user.tenantId),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const send = async <T>(method: string, url: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<NetworkResponse<T>> => {
    if (!url.startsWith(authorityHost)) throw new Error(`unexpected request to ${new URL(url).host}`);
    const res = await fetch(local + url.slice(authorityHost.length), { method, headers: init.headers, body: init.body });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return { status: res.status, headers, body: (await res.json()) as T };
  };

  return {
    authorityHost,
    networkClient: {
      sendGetRequestAsync: (url, init) => send('GET', url, init),
      sendPostRequestAsync: (url, init) => send('POST', url, init),
    },
    ssoToken(tenantId, userId) {
      const assertion = `sso.${randomBytes(16).toString('base64url')}`;
      assertions.set(assertion, { tenantId, userId });
      return assertion;
    },
    acceptAssertion: (assertion, tenantId, userId) => void assertions.set(assertion, { tenantId, userId }),
    withoutConsent: (userId) => void noConsent.add(userId),
    requireMfa: (userId) => void mfa.add(userId),
    tokenRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}
