import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphHttpError, route, type EmulatorRequest, type RouteSettings } from './handlers.js';
import { GraphState, type EmulatedSite } from './model.js';
import { ODataError } from './odata.js';

/**
 * A local stand-in for Microsoft Graph v1.0, limited to what the Graph team store uses: a
 * group's team site, SharePoint lists, columns and items with eTags and `If-Match`, paging
 * with `@odata.nextLink`, Bearer tokens mapped to tenants (and to a user for delegated tokens,
 * which `/me` needs), the user's joined teams, JSON batching, and throttling: on demand, and in
 * SharePoint's resource units per app per tenant.
 * Behaviour follows learn.microsoft.com/graph/api (site-get, group-get, list-list, list-create,
 * columndefinition, listitem-list/-get/-create/-update/-delete, user-list-joinedteams),
 * /graph/json-batching, /graph/throttling and SharePoint's "Avoid getting throttled or blocked in
 * SharePoint Online" (learn.microsoft.com/sharepoint/dev/general-development/how-to-avoid-getting-throttled-or-blocked-in-sharepoint-online).
 */
export interface GraphEmulator {
  /** The Graph base URL (without `/v1.0`). */
  url: string;
  state: GraphState;
  /**
   * Every request answered, oldest first: method, path with query, status, Retry-Attempt, the
   * resource units charged, and for a page of a collection how many rows it `served`. Requests
   * inside a `$batch` are listed one by one, after it.
   */
  requests: { method: string; path: string; status: number; retryAttempt?: string; units: number; batched?: boolean; served?: number }[];
  /** Gives a group (Teams team id) in a tenant its own team site. */
  addGroup(tenantId: string, groupId: string, displayName?: string): EmulatedSite;
  /** Sets a group's owners and members (user object ids). */
  setPeople(tenantId: string, groupId: string, owners: string[], members: string[]): void;
  /**
   * A Bearer token that Graph accepts for a tenant; with `userId`, a delegated token of that
   * user. `appId` is the app the token was issued to (units are charged per app per tenant).
   */
  tokenFor(tenantId: string, userId?: string, appId?: string): string;
  /**
   * Answers the next `count` requests with `status` (429 by default, or 503) and `Retry-After`:
   * delay-seconds, or a text such as an HTTP-date, which RFC 9110 §10.2.3 allows as well.
   */
  throttle(count: number, retryAfter?: number | string, status?: 429 | 503): void;
  /** Runs `action` just before the next request that `matches` is handled (once). */
  beforeNext(matches: (method: string, path: string) => boolean, action: () => void): void;
  /**
   * Answers the next request that `matches` with `status` and `code` instead of handling it
   * (once); inside a `$batch` too, as that request's own answer, with `headers` (a `Retry-After`).
   */
  failNext(matches: (method: string, path: string) => boolean, status: number, code?: string, headers?: Record<string, string>): void;
  /**
   * Handles the next request that `matches` (a `$batch`, or a request inside one) as usual, then
   * answers it 504 Gateway Timeout instead: the gateway in front of the service stopped waiting,
   * while the service went on to do what was asked (learn.microsoft.com/graph/errors: 504,
   * "didn't receive a timely response from the upstream server"). Once.
   */
  timeOutAfter(matches: (method: string, path: string) => boolean): void;
  /** Resource units an app has spent in a tenant since the start (throttled requests cost none). */
  unitsSpent(tenantId: string, appId?: string): number;
  close(): Promise<void>;
}

/**
 * SharePoint's application throttling: each app has a budget of resource units per tenant per
 * window; a request beyond it gets 429 (or 503) with Retry-After until the window ends.
 * Costs as documented: 1 for a single-item read, 2 for a query of many items and for every
 * create, update or delete; requests in a `$batch` count one by one.
 */
export interface ThrottlingOptions {
  unitsPerWindow: number;
  /** Default one minute, as SharePoint's per-minute app budget. */
  windowMs?: number;
  /** The status of a throttled answer; SharePoint sends either. Default 429. */
  status?: 429 | 503;
}

export interface GraphEmulatorOptions {
  /** Largest page served; small so that paging is exercised. */
  pageSize?: number;
  /** Every group id asked for has a team site, as if every team existed; else only `addGroup`'s. */
  groupsOnDemand?: boolean;
  /**
   * Whether list-create indexes columns defined with `indexed: true`. Graph does not document
   * that it does, so by default it does not, and the store must index them itself.
   */
  honourIndexedOnCreate?: boolean;
  /** Charge resource units and throttle an app past its budget; no budget when absent. */
  throttling?: ThrottlingOptions;
}

/** The app a token is issued to when `tokenFor` names none. */
const DEFAULT_APP = 'patients-app';
/** JSON batching takes at most 20 requests (learn.microsoft.com/graph/json-batching). */
const BATCH_MAX = 20;
/** Collections the store reads: a GET of one is a multi-item query (2 units). */
const collections = new Set(['items', 'lists', 'columns', 'owners', 'members', 'joinedTeams']);

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Holder {
  tenantId: string;
  userId?: string;
  appId: string;
}

export async function startGraphEmulator(options: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
  const state = new GraphState();
  const tokens = new Map<string, Holder>();
  const requests: GraphEmulator['requests'] = [];
  const hooks: { matches: (method: string, path: string) => boolean; action: () => void }[] = [];
  const failures: { matches: (method: string, path: string) => boolean; status: number; code: string; headers?: Record<string, string> }[] = [];
  const timeOuts: ((method: string, path: string) => boolean)[] = [];
  let throttled: { count: number; retryAfter: number | string; status: 429 | 503 } = { count: 0, retryAfter: 1, status: 429 };
  const settings: RouteSettings = { pageMax: options.pageSize ?? 20, honourIndexedOnCreate: options.honourIndexedOnCreate ?? false };
  const budgets = new Map<string, { windowEnds: number; used: number }>();
  const spent = new Map<string, number>();

  const server = createServer((req, res) => {
    readBody(req)
      .then((raw) => handle(req, res, raw))
      .catch(() => send(res, 500, { error: { code: 'generalException', message: 'The emulator failed.' } }));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const errorBody = (code: string, message: string) => ({
    error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID() } },
  });

  function handle(req: IncomingMessage, res: ServerResponse, raw: string) {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const retryAttempt = req.headers['retry-attempt'];
    const reply = (answer: Answer, units = 0) => {
      requests.push({
        method,
        path,
        status: answer.status,
        units,
        ...servedBy(answer),
        ...(retryAttempt ? { retryAttempt: String(retryAttempt) } : {}),
      });
      send(res, answer.status, answer.body, answer.headers);
    };
    if (throttled.count > 0) {
      throttled.count -= 1;
      return reply({
        status: throttled.status,
        body: errorBody(throttled.status === 429 ? 'TooManyRequests' : 'serviceNotAvailable', 'Please retry again later.'),
        headers: { 'Retry-After': String(throttled.retryAfter) },
      });
    }
    const auth = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!auth) return reply({ status: 401, body: errorBody('InvalidAuthenticationToken', 'Access token is empty.') });
    const holder = tokens.get(auth[1]);
    if (!holder) return reply({ status: 401, body: errorBody('InvalidAuthenticationToken', 'Access token validation failure.') });
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return reply({ status: 400, body: errorBody('BadRequest', 'Unable to read JSON request payload.') });
    }
    const timeOut = timedOut(method, path);
    if (method === 'POST' && new URL(path, url).pathname === '/v1.0/$batch') {
      const status = timeOut ? 504 : 200;
      requests.push({ method, path, status, units: 0, ...(retryAttempt ? { retryAttempt: String(retryAttempt) } : {}) });
      const answer = batch(body, holder);
      return timeOut ? send(res, 504, gatewayTimeout().body) : send(res, answer.status, answer.body, answer.headers);
    }
    const { answer, units } = dispatch(method, path, req.headers, body, holder);
    reply(timeOut ? gatewayTimeout() : answer, units);
  }

  /** Whether the request is one `timeOutAfter` asked to answer 504 (then no longer asked for). */
  function timedOut(method: string, path: string): boolean {
    const at = timeOuts.findIndex((matches) => matches(method, path));
    if (at >= 0) timeOuts.splice(at, 1);
    return at >= 0;
  }

  function gatewayTimeout(): Answer {
    return { status: 504, body: errorBody('GatewayTimeout', 'The gateway did not receive a timely response.') };
  }

  /**
   * `POST /$batch` (json-batching): up to 20 requests with relative URLs, each answered on its
   * own (status, headers, body) in one 200 answer; each is charged and throttled by itself.
   * Requests run in the order given; one whose `dependsOn` names a request that failed is not
   * run and answers 424 Failed Dependency, as documented.
   */
  function batch(body: unknown, holder: Holder): Answer {
    const list = (body as { requests?: unknown })?.requests;
    if (!Array.isArray(list) || list.length === 0 || list.length > BATCH_MAX) {
      return { status: 400, body: errorBody('BadRequest', `A batch holds 1 to ${BATCH_MAX} requests.`) };
    }
    const statuses = new Map<string, number>();
    const responses = list.map((entry: { id?: unknown; method?: unknown; url?: unknown; headers?: unknown; body?: unknown; dependsOn?: unknown }) => {
      const id = String(entry?.id ?? '');
      if (!id || statuses.has(id) || typeof entry.method !== 'string' || typeof entry.url !== 'string' || !entry.url.startsWith('/')) {
        return { id, status: 400, body: errorBody('BadRequest', 'Each request needs a unique id, a method and a relative url.') };
      }
      const dependsOn = Array.isArray(entry.dependsOn) ? entry.dependsOn.map(String) : [];
      if (dependsOn.some((d) => !((statuses.get(d) ?? 0) >= 200 && (statuses.get(d) ?? 0) < 300))) {
        statuses.set(id, 424);
        return { id, status: 424, body: errorBody('failedDependency', 'A request this one depends on failed.') };
      }
      const headers = Object.fromEntries(
        Object.entries((entry.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]),
      ) as Record<string, string>;
      const subPath = `/v1.0${entry.url}`;
      const timeOut = timedOut(entry.method.toUpperCase(), subPath);
      let outcome: { answer: Answer; units: number };
      try {
        outcome = dispatch(entry.method.toUpperCase(), subPath, headers, entry.body, holder);
      } catch {
        // A request that fails inside a batch gets its own 500; the others are answered as usual.
        outcome = { answer: { status: 500, body: errorBody('generalException', 'The request failed.') }, units: 0 };
      }
      const { answer, units } = timeOut ? { answer: gatewayTimeout(), units: outcome.units } : outcome;
      requests.push({ method: entry.method.toUpperCase(), path: subPath, status: answer.status, units, batched: true, ...servedBy(answer) });
      statuses.set(id, answer.status);
      return {
        id,
        status: answer.status,
        ...(answer.headers ? { headers: answer.headers } : {}),
        ...(answer.body !== undefined ? { body: answer.body } : {}),
      };
    });
    return { status: 200, body: { responses } };
  }

  /** Charges the request's units to its app in its tenant; a throttled answer when over the budget. */
  function charge(holder: Holder, method: string, pathname: string): { refused?: Answer; units: number } {
    const last = pathname.split('/').filter(Boolean).pop() ?? '';
    const units = method === 'GET' && !collections.has(last) ? 1 : 2;
    const key = `${holder.appId}/${holder.tenantId}`;
    const throttling = options.throttling;
    if (throttling) {
      const now = Date.now();
      let budget = budgets.get(key);
      if (!budget || budget.windowEnds <= now) {
        budget = { windowEnds: now + (throttling.windowMs ?? 60_000), used: 0 };
        budgets.set(key, budget);
      }
      if (budget.used + units > throttling.unitsPerWindow) {
        const status = throttling.status ?? 429;
        return {
          units: 0,
          refused: {
            status,
            body: errorBody(status === 429 ? 'activityLimitReached' : 'serviceNotAvailable', 'The request has been throttled.'),
            headers: { 'Retry-After': String(Math.max(1, Math.ceil((budget.windowEnds - now) / 1000))) },
          },
        };
      }
      budget.used += units;
    }
    spent.set(key, (spent.get(key) ?? 0) + units);
    return { units };
  }

  function dispatch(
    method: string,
    path: string,
    headers: EmulatorRequest['headers'],
    body: unknown,
    holder: Holder,
  ): { answer: Answer; units: number } {
    const { tenantId, userId } = holder;
    const parsed = new URL(path, url);
    const fail = (status: number, code: string, message: string): { answer: Answer; units: number } => ({
      answer: { status, body: errorBody(code, message) },
      units: 0,
    });
    if (!parsed.pathname.startsWith('/v1.0/')) return fail(400, 'BadRequest', 'Invalid version.');
    const { refused, units } = charge(holder, method, parsed.pathname);
    if (refused) return { answer: refused, units };
    const failure = failures.findIndex((f) => f.matches(method, path));
    if (failure >= 0) {
      const { status, code, headers } = failures.splice(failure, 1)[0];
      return { answer: { status, body: errorBody(code, 'The request failed.'), ...(headers ? { headers } : {}) }, units };
    }
    const group = /^\/v1\.0\/groups\/([^/]+)\/sites\/root$/.exec(parsed.pathname);
    if (group && options.groupsOnDemand) state.addGroup(tenantId, decodeURIComponent(group[1]));
    const hook = hooks.findIndex((h) => h.matches(method, path));
    if (hook >= 0) hooks.splice(hook, 1)[0].action();
    const request: EmulatorRequest = {
      method,
      segments: parsed.pathname.slice('/v1.0/'.length).split('/').filter(Boolean).map(decodeURIComponent),
      query: parsed.searchParams,
      headers,
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
      const result = route(state, request, settings);
      return { answer: { status: result.status, body: result.body }, units };
    } catch (err) {
      if (err instanceof GraphHttpError) return { ...fail(err.status, err.code, err.message), units };
      if (err instanceof ODataError) return { ...fail(400, 'invalidRequest', err.message), units };
      throw err;
    }
  }

  return {
    url,
    state,
    requests,
    addGroup: (tenantId, groupId, displayName) => state.addGroup(tenantId, groupId, displayName),
    setPeople: (tenantId, groupId, owners, members) => state.setPeople(tenantId, groupId, owners, members),
    tokenFor(tenantId, userId, appId = DEFAULT_APP) {
      const token = randomBytes(24).toString('base64url');
      tokens.set(token, { tenantId, userId, appId });
      return token;
    },
    throttle(count, retryAfter = 1, status = 429) {
      throttled = { count, retryAfter, status };
    },
    beforeNext(matches, action) {
      hooks.push({ matches, action });
    },
    failNext(matches, status, code = 'generalException', headers) {
      failures.push({ matches, status, code, headers });
    },
    timeOutAfter(matches) {
      timeOuts.push(matches);
    },
    unitsSpent: (tenantId, appId = DEFAULT_APP) => spent.get(`${appId}/${tenantId}`) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** How many rows an answer's page holds (`value`), for the request log; nothing for other answers. */
function servedBy(answer: Answer): { served?: number } {
  const value = (answer.body as { value?: unknown } | undefined)?.value;
  return Array.isArray(value) ? { served: value.length } : {};
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
