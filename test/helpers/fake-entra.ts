import type { INetworkModule, NetworkResponse } from '@azure/msal-node';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Azure AD v2.0 endpoints MSAL uses for on-behalf-of: the tenant's
 * OpenID configuration and `/oauth2/v2.0/token` with `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`
 * and `requested_token_use=on_behalf_of` (learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow),
 * including the consent (AADSTS65001) and MFA (interaction_required) error answers; and the
 * `/oauth2/v2.0/authorize` consent screen a browser is sent to with `prompt=consent`
 * (learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow): the signed-in account
 * (by `login_hint`) accepts or cancels, and is sent back to a registered redirect URI with
 * `#code=…&state=…` or `#error=access_denied&error_subcode=cancel&state=…` (`response_mode=fragment`).
 * MSAL only accepts https authorities, so it is reached as `authorityHost` through `networkClient`;
 * browsers reach it through a route from `authorityHost` to `localUrl`.
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
  /** Where requests for `authorityHost` are answered (browser tests route them here). */
  localUrl: string;
  /** A redirect URI of the app registration (its `replyUrlsWithType`). */
  addReplyUrl(url: string): void;
  /** The account a browser is signed in with, named by the `login_hint` it sends. */
  addAccount(loginHint: string, tenantId: string, userId: string): void;
  /** Consents given on the consent screen, oldest first. */
  consents: { tenantId: string; userId: string; scope: string }[];
  /** The OBO exchanges answered, oldest first. */
  tokenRequests: { tenantId: string; userId: string; scope: string }[];
  close(): Promise<void>;
}

export async function startFakeEntra(options: {
  clientId: string;
  clientSecret: string;
  /** Issues the Graph access token of a user in a tenant (e.g. the Graph emulator's tokenFor). */
  mint(tenantId: string, userId: string): string;
}): Promise<FakeEntra> {
  const authorityHost = 'https://login.fake-entra.test';
  const assertions = new Map<string, { tenantId: string; userId: string }>();
  const noConsent = new Set<string>();
  const mfa = new Set<string>();
  const tokenRequests: FakeEntra['tokenRequests'] = [];
  const replyUrls = new Set<string>();
  const accounts = new Map<string, { tenantId: string; userId: string }>();
  const consents: FakeEntra['consents'] = [];

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
    const authorize = /^\/([^/]+)\/oauth2\/v2\.0\/authorize$/.exec(url.pathname);
    if (authorize)
      return consentScreen(req.method === 'POST' ? new URLSearchParams(body) : url.searchParams, authorize[1], req.method === 'POST', res);
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    if (req.method !== 'POST' || !token) return json(res, 404, { error: 'not_found' });
    const form = new URLSearchParams(body);
    const fail = (status: number, error: string, aadsts: number, description: string, extra: Record<string, unknown> = {}) =>
      json(res, status, {
        error,
        error_description: `AADSTS${aadsts}: ${description}`,
        error_codes: [aadsts],
        timestamp: new Date().toISOString(),
        ...extra,
      });
    if (form.get('client_id') !== options.clientId || form.get('client_secret') !== options.clientSecret) {
      return fail(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
    }
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || form.get('requested_token_use') !== 'on_behalf_of') {
      return fail(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    }
    const user = assertions.get(form.get('assertion') ?? '');
    if (!user || user.tenantId !== token[1]) return fail(400, 'invalid_grant', 50013, 'Assertion failed signature validation.');
    if (noConsent.has(user.userId)) {
      return fail(400, 'invalid_grant', 65001, 'The user or administrator has not consented to use the application.', {
        suberror: 'consent_required',
      });
    }
    if (mfa.has(user.userId)) {
      return fail(
        400,
        'interaction_required',
        50076,
        'Due to a configuration change made by your administrator, you must use multi-factor authentication.',
      );
    }
    const scope = form.get('scope') ?? '';
    tokenRequests.push({ tenantId: user.tenantId, userId: user.userId, scope });
    return json(res, 200, {
      token_type: 'Bearer',
      scope: scope
        .split(' ')
        .filter((s) => s.startsWith('https://'))
        .join(' '),
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: options.mint(user.tenantId, user.userId),
    });
  });

  /** GET shows the screen; POST (its form) records the answer and redirects back. */
  function consentScreen(params: URLSearchParams, tenantId: string, answered: boolean, res: ServerResponse) {
    const page = (status: number, text: string) =>
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>Sign in</title><p>${escape(text)}</p>`);
    if (params.get('client_id') !== options.clientId) return page(400, 'AADSTS700016: Application not found in the directory.');
    const redirectUri = params.get('redirect_uri') ?? '';
    if (!replyUrls.has(redirectUri))
      return page(400, 'AADSTS50011: The redirect URI does not match the redirect URIs configured for the application.');
    if (params.get('response_type') !== 'code' || params.get('response_mode') !== 'fragment')
      return page(400, 'AADSTS900144: unsupported response_type or response_mode.');
    if (params.get('code_challenge_method') !== 'S256' || !/^[\w-]{43}$/.test(params.get('code_challenge') ?? ''))
      return page(400, 'AADSTS9002325: Proof Key for Code Exchange is required.');
    const account = accounts.get(params.get('login_hint') ?? '');
    if (!account || account.tenantId !== tenantId) return page(400, 'AADSTS50058: No account is signed in for this tenant.');
    const scope = params.get('scope') ?? '';
    const back = (answer: Record<string, string>) =>
      res.writeHead(302, { location: `${redirectUri}#${new URLSearchParams({ ...answer, state: params.get('state') ?? '' })}` }).end();
    if (!answered) {
      const hidden = [...params].map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`).join('');
      return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
        `<!doctype html><title>Permissions requested</title><h1>Permissions requested</h1><ul>${scope
          .split(' ')
          .map((s) => `<li>${escape(s)}</li>`)
          .join('')}</ul>` +
          `<form method="post">${hidden}<button name="answer" value="accept">Accept</button><button name="answer" value="cancel">Cancel</button></form>`,
      );
    }
    if (params.get('answer') !== 'accept') {
      return back({ error: 'access_denied', error_subcode: 'cancel', error_description: 'AADSTS65004: User declined to consent to access the app.' });
    }
    noConsent.delete(account.userId);
    consents.push({ ...account, scope });
    return back({ code: `code.${randomBytes(16).toString('base64url')}`, session_state: randomBytes(8).toString('hex') });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const send = async <T>(
    method: string,
    url: string,
    init: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<NetworkResponse<T>> => {
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
    localUrl: local,
    addReplyUrl: (url) => void replyUrls.add(url),
    addAccount: (loginHint, tenantId, userId) => void accounts.set(loginHint, { tenantId, userId }),
    consents,
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

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}
