import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphHttpError, route, type EmulatorRequest } from './handlers.js';
import { GraphState, type EmulatedSite } from './model.js';
import { ODataError } from './odata.js';

/**
 * A local stand-in for Microsoft Graph v1.0, limited to what the Graph team store uses: a
 * group's team site, SharePoint lists, columns and items with eTags and `If-Match`, paging
 * with `@odata.nextLink`, Bearer tokens mapped to tenants (and to a user for delegated tokens,
 * which `/me` needs), the user's joined teams, and throttling on demand.
 * Behaviour follows learn.microsoft.com/graph/api (site-get, list-list, list-create,
 * columndefinition, listitem-list/-get/-create/-update/-delete, user-list-joinedteams) and /graph/throttling.
 */
export interface GraphEmulator {
  /** The Graph base URL (without `/v1.0`). */
  url: string;
  state: GraphState;
  /** Every request answered, oldest first: method, path with query, status, Retry-Attempt. */
  requests: { method: string; path: string; status: number; retryAttempt?: string }[];
  /** Gives a group (Teams team id) in a tenant its own team site. */
  addGroup(tenantId: string, groupId: string, displayName?: string): EmulatedSite;
  /** Sets a group's owners and members (user object ids). */
  setPeople(tenantId: string, groupId: string, owners: string[], members: string[]): void;
  /** A Bearer token that Graph accepts for a tenant; with `userId`, a delegated token of that user. */
  tokenFor(tenantId: string, userId?: string): string;
  /** Answers the next `count` requests with 429 Too Many Requests and `Retry-After`. */
  throttle(count: number, retryAfterSeconds?: number): void;
  /** Runs `action` just before the next request that `matches` is handled (once). */
  beforeNext(matches: (method: string, path: string) => boolean, action: () => void): void;
  close(): Promise<void>;
}

export interface GraphEmulatorOptions {
  /** Largest page served; small so that paging is exercised. */
  pageSize?: number;
  /** Every group id asked for has a team site, as if every team existed; else only `addGroup`'s. */
  groupsOnDemand?: boolean;
}

export async function startGraphEmulator(options: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
  const state = new GraphState();
  const tokens = new Map<string, { tenantId: string; userId?: string }>();
  const requests: GraphEmulator['requests'] = [];
  const hooks: { matches: (method: string, path: string) => boolean; action: () => void }[] = [];
  let throttled = { count: 0, retryAfter: 1 };
  const pageMax = options.pageSize ?? 20;

  const server = createServer((req, res) => {
    readBody(req)
      .then((raw) => handle(req, res, raw))
      .catch(() => send(res, 500, { error: { code: 'generalException', message: 'The emulator failed.' } }));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  function handle(req: IncomingMessage, res: ServerResponse, raw: string) {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const record = (status: number) => {
      const retryAttempt = req.headers['retry-attempt'];
      requests.push({ method, path, status, ...(retryAttempt ? { retryAttempt: String(retryAttempt) } : {}) });
    };
    const fail = (status: number, code: string, message: string, headers: Record<string, string> = {}) => {
      record(status);
      send(res, status, { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID() } } }, headers);
    };
    if (throttled.count > 0) {
      throttled.count -= 1;
      return fail(429, 'TooManyRequests', 'Please retry again later.', { 'Retry-After': String(throttled.retryAfter) });
    }
    const auth = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!auth) return fail(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    const holder = tokens.get(auth[1]);
    if (!holder) return fail(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
    const { tenantId, userId } = holder;
    const parsed = new URL(path, url);
    if (!parsed.pathname.startsWith('/v1.0/')) return fail(400, 'BadRequest', 'Invalid version.');
    const group = /^\/v1\.0\/groups\/([^/]+)\/sites\/root$/.exec(parsed.pathname);
    if (group && options.groupsOnDemand) state.addGroup(tenantId, decodeURIComponent(group[1]));
    const hook = hooks.findIndex((h) => h.matches(method, path));
    if (hook >= 0) hooks.splice(hook, 1)[0].action();
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return fail(400, 'BadRequest', 'Unable to read JSON request payload.');
    }
    const request: EmulatorRequest = {
      method,
      segments: parsed.pathname.slice('/v1.0/'.length).split('/').filter(Boolean).map(decodeURIComponent),
      query: parsed.searchParams,
      headers: req.headers,
      body,
      tenantId,
      userId,
      linkWith(params) {
        const next = new URL(parsed);
        for (const [k, v] of Object.entries(params)) next.searchParams.set(k, v);
        return next.toString();
      },
    };
    try {
      const result = route(state, request, pageMax);
      record(result.status);
      send(res, result.status, result.body);
    } catch (err) {
      if (err instanceof GraphHttpError) return fail(err.status, err.code, err.message);
      if (err instanceof ODataError) return fail(400, 'invalidRequest', err.message);
      throw err;
    }
  }

  return {
    url,
    state,
    requests,
    addGroup: (tenantId, groupId, displayName) => state.addGroup(tenantId, groupId, displayName),
    setPeople: (tenantId, groupId, owners, members) => state.setPeople(tenantId, groupId, owners, members),
    tokenFor(tenantId, userId) {
      const token = randomBytes(24).toString('base64url');
      tokens.set(token, { tenantId, userId });
      return token;
    },
    throttle(count, retryAfterSeconds = 1) {
      throttled = { count, retryAfter: retryAfterSeconds };
    },
    beforeNext(matches, action) {
      hooks.push({ matches, action });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (status === 204 || body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; odata.metadata=minimal; charset=utf-8' });
  res.end(JSON.stringify(body));
}
