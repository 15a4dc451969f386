import { Client, GraphError, HTTPMessageHandler, RetryHandler, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { GraphAccessError, GraphRequestFailed } from './graph-errors.js';
import { unitsOf } from './unit-share.js';
import { retryAfterMs } from '../retry-after.js';

/** The few Graph calls the store makes, with the caller's token, retries and error mapping. */
export interface GraphApi {
  get<T>(path: string): Promise<T>;
  /**
   * The rows of a collection, following `@odata.nextLink` page by page until `maxItems` are read:
   * never more than that many, however many the collection holds (members of a team's group can
   * add rows to its SharePoint lists past the app). `more` says whether rows were left unread.
   */
  getAll<T>(path: string, bound: { maxItems: number }): Promise<Rows<T>>;
  /**
   * Sent again after a 504, whose request may have run (see `retryPolicy`), unless `once`: the
   * rows the app creates one by one carry keys of their own that readers fold, so one made twice
   * reads as one; `once` is for a creation whose caller finds what it wrote when it fails
   * (written-rows.ts), which a second copy would defeat.
   */
  post<T>(path: string, body: unknown, options?: { once?: boolean }): Promise<T>;
  /** With `etag`, sends `If-Match`: a stale eTag fails with 412 (GraphRequestFailed). */
  patch<T>(path: string, body: unknown, etag?: string): Promise<T>;
  delete(path: string, etag?: string): Promise<void>;
  /**
   * Sends the requests in JSON batches of 20 (learn.microsoft.com/graph/json-batching), one
   * batch at a time, and answers each request's outcome in order. SharePoint charges each
   * request of a batch by itself, so a batch saves round trips, not units; requests of a batch
   * that come back throttled (429 or 503 with Retry-After) are sent again after the wait, as
   * often as `maxRetries`, then fail with `throttled`. A batch holding a creation (POST) is not
   * sent again after a 504 (see `retryPolicy`): it fails, and the caller finds what it wrote.
   * Graph runs a batch's requests in any order unless told otherwise: `ordered` chains them with
   * `dependsOn`, so that they run in the order given (list items get ascending ids) and stop at
   * the first failure, the rest failing unsent, as one-by-one requests would.
   */
  batch<T = unknown>(requests: BatchRequest[], options?: { ordered?: boolean }): Promise<BatchOutcome<T>[]>;
}

/** At most the rows asked for, oldest first as Graph serves them, and whether the collection holds more. */
export interface Rows<T> {
  items: T[];
  more: boolean;
}

export interface BatchRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the version, as the other calls' paths: `/sites/{id}/lists/{id}/items`. */
  path: string;
  body?: unknown;
  etag?: string;
}

export type BatchOutcome<T> = { ok: true; status: number; body: T } | { ok: false; error: Error };

export interface GraphApiOptions {
  /** `https://graph.microsoft.com` in production; the emulator's URL in tests. */
  baseUrl: string;
  getAccessToken(): Promise<string>;
  /** Retries of 429/503/504, honouring Retry-After (RetryHandler); default 4. */
  maxRetries?: number;
  /**
   * The longest one wait for Graph may be, in seconds; default 10. A longer Retry-After is not
   * waited out with a caller's request held open: the call fails at once with `throttled`,
   * carrying the wait for the API's own `Retry-After`.
   */
  maxRetryWaitSeconds?: number;
  /** Told each request's SharePoint resource units (unit-share.ts), before it is sent; may throw to refuse it. */
  charge?: (units: number) => void;
}

/**
 * Uses `@microsoft/microsoft-graph-client` with the chain RetryHandler → HTTPMessageHandler.
 * The token is set on each request here rather than by the SDK's AuthenticationHandler,
 * which only attaches it to https Graph hosts (so never to a local emulator); it is only ever
 * sent to `baseUrl`, and a nextLink pointing elsewhere is refused.
 */
export function createGraphApi(options: GraphApiOptions): GraphApi {
  const base = new URL(options.baseUrl);
  const maxRetries = options.maxRetries ?? 4;
  const maxWaitMs = (options.maxRetryWaitSeconds ?? 10) * 1000;
  /**
   * When the SDK's RetryHandler may send a request again. Graph and SharePoint ask for waits of
   * minutes (Retry-After up to several hundred seconds: learn.microsoft.com/graph/throttling),
   * which no one waits for in a tab: past `maxWaitMs` the answer goes back instead. A 504 Gateway
   * Timeout says the gateway stopped waiting, not that the request did not run
   * (learn.microsoft.com/graph/errors): sent again, a creation could be made twice, so one that
   * is not `replayable` fails instead (429 and 503 are refusals: nothing ran).
   */
  const retryPolicy = (replayable: boolean) =>
    new RetryHandlerOptions(1, maxRetries, (_delay, _attempt, _request, _options, response) => {
      if (response.status === 504 && !replayable) return false;
      const wait = retryAfterMs(response.headers?.get('retry-after'));
      return wait === null || wait <= maxWaitMs;
    });
  const client = Client.initWithMiddleware({
    baseUrl: base.origin,
    defaultVersion: 'v1.0',
    middleware: [new RetryHandler(new RetryHandlerOptions(1, maxRetries)), new HTTPMessageHandler()],
  });

  const call = async <T>(
    path: string,
    send: (request: ReturnType<Client['api']>) => Promise<T>,
    etag?: string,
    units = unitsOf('GET', path),
    replayable = true,
  ): Promise<T> => {
    options.charge?.(units);
    const token = await options.getAccessToken();
    let request = client
      .api(path)
      .header('Authorization', `Bearer ${token}`)
      .middlewareOptions([retryPolicy(replayable)]);
    if (etag) request = request.header('If-Match', etag);
    try {
      return await send(request);
    } catch (err) {
      throw mapError(err);
    }
  };

  const relative = (nextLink: string): string => {
    const next = new URL(nextLink);
    if (next.origin !== base.origin || !next.pathname.startsWith('/v1.0/')) {
      throw new GraphAccessError('graph_failed', 'Graph sent a next page link to another host.');
    }
    return next.pathname.slice('/v1.0'.length) + next.search;
  };

  /** One `$batch` of at most 20; the throttled ones again after their Retry-After. */
  const sendBatch = async <T>(requests: BatchRequest[], ordered: boolean): Promise<BatchOutcome<T>[]> => {
    const outcomes: BatchOutcome<T>[] = new Array(requests.length);
    let waiting = requests.map((_, i) => i);
    for (let attempt = 0; waiting.length; attempt++) {
      const units = waiting.reduce((sum, i) => sum + unitsOf(requests[i].method, requests[i].path), 0);
      const answer: { responses?: BatchResponse[] } = await call(
        '/$batch',
        (r) =>
          r.post({
            requests: waiting.map((i, n) => {
              const { method, path, body, etag } = requests[i];
              const headers: Record<string, string> = {};
              if (body !== undefined) headers['Content-Type'] = 'application/json';
              if (etag) headers['If-Match'] = etag;
              return {
                id: String(i),
                ...(ordered && n > 0 ? { dependsOn: [String(waiting[n - 1])] } : {}),
                method,
                url: path,
                ...(Object.keys(headers).length ? { headers } : {}),
                ...(body !== undefined ? { body } : {}),
              };
            }),
          }),
        undefined,
        units,
        waiting.every((i) => requests[i].method !== 'POST'),
      );
      const throttled: number[] = [];
      const responses = (answer.responses ?? []).filter((r) => waiting.includes(Number(r.id)));
      const isThrottled = (r: BatchResponse) => r.status === 429 || r.status === 503;
      // The longest wait a throttled request asks for (1 second without one), as the SDK's RetryHandler would.
      const wait = Math.max(0, ...responses.filter(isThrottled).map((r) => retryAfterMs(headerOf(r, 'retry-after')) ?? 1000));
      const retrying = attempt < maxRetries && responses.some(isThrottled) && wait <= maxWaitMs;
      for (const response of responses) {
        const i = Number(response.id);
        // Throttled requests go again after the wait; in an ordered batch, so do those they held back (424).
        if (retrying && (isThrottled(response) || (ordered && response.status === 424))) {
          throttled.push(i);
          continue;
        }
        outcomes[i] =
          response.status >= 200 && response.status < 300
            ? { ok: true, status: response.status, body: response.body as T }
            : {
                ok: false,
                error: statusError(response.status, (response.body as { error?: { code?: string } })?.error?.code, headerOf(response, 'retry-after')),
              };
      }
      // A request the batch did not answer at all counts as failed, never as done.
      for (const i of waiting) {
        if (!outcomes[i] && !throttled.includes(i))
          outcomes[i] = { ok: false, error: new GraphAccessError('graph_failed', 'Graph left a request of a batch unanswered.') };
      }
      waiting = throttled.sort((a, b) => a - b);
      if (waiting.length) await sleep(wait);
    }
    return outcomes;
  };

  return {
    get: (path) => call(path, (r) => r.get()),
    async getAll<T>(path: string, { maxItems }: { maxItems: number }): Promise<Rows<T>> {
      if (!Number.isSafeInteger(maxItems) || maxItems < 1) throw new RangeError('getAll needs a positive whole maxItems.');
      const items: T[] = [];
      let next: string | undefined = withPageSize(path, maxItems);
      while (next) {
        const page: { value?: T[]; '@odata.nextLink'?: string } = await call(next, (r) => r.get());
        const value = page.value ?? [];
        next = page['@odata.nextLink'] ? relative(page['@odata.nextLink']) : undefined;
        const room = maxItems - items.length;
        // A page larger than the room left (a collection that ignores $top) is cut: its rest is unread.
        if (value.length > room) return { items: [...items, ...value.slice(0, room)], more: true };
        items.push(...value);
        if (items.length === maxItems) return { items, more: next !== undefined };
      }
      return { items, more: false };
    },
    post: (path, body, { once = false } = {}) => call(path, (r) => r.post(body), undefined, 2, !once),
    patch: (path, body, etag) => call(path, (r) => r.patch(body), etag, 2),
    delete: (path, etag) => call(path, (r) => r.delete(), etag, 2),
    async batch<T>(requests: BatchRequest[], { ordered = false } = {}) {
      const outcomes: BatchOutcome<T>[] = [];
      // One batch in flight at a time: bulk writes are paced, never fired at SharePoint at once.
      for (let i = 0; i < requests.length; i += BATCH_SIZE) {
        const chunk = requests.slice(i, i + BATCH_SIZE);
        if (ordered && outcomes.some((o) => !o.ok)) {
          outcomes.push(
            ...chunk.map((): BatchOutcome<T> => ({ ok: false, error: new GraphAccessError('graph_failed', 'Not sent: an earlier request failed.') })),
          );
          continue;
        }
        outcomes.push(...(await sendBatch<T>(chunk, ordered)));
      }
      return outcomes;
    },
  };
}

/** JSON batching takes at most 20 requests per batch. */
const BATCH_SIZE = 20;

interface BatchResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A header of a batch's answer to one request (its names in any case). */
const headerOf = (response: BatchResponse, name: string): string | undefined =>
  Object.entries(response.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];

/**
 * List items page at 200 by default; SharePoint serves up to 5,000 a page (its list view
 * threshold), which cuts the pages, and the 2 resource units each costs, of a long list's full
 * read; a read of fewer rows asks for no more than it keeps. Other collections keep their own
 * limits (`/me/joinedTeams` takes no query options).
 */
function withPageSize(path: string, maxItems: number): string {
  if (!/\/lists\/[^/?]+\/items(\?|$)/.test(path) || /[?&](\$|%24)top=/.test(path)) return path;
  return `${path}${path.includes('?') ? '&' : '?'}$top=${Math.min(maxItems, 5000)}`;
}

function mapError(err: unknown): Error {
  if (err instanceof GraphAccessError) return err;
  if (!(err instanceof GraphError) || err.statusCode <= 0) {
    return new GraphAccessError('graph_failed', 'Microsoft Graph could not be reached.');
  }
  return statusError(err.statusCode, err.code ?? undefined, err.headers?.get('retry-after'));
}

function statusError(status: number, code: string | undefined, retryAfter?: string | null): Error {
  if (status === 401) return new GraphAccessError('unauthenticated', 'Microsoft Graph refused the access token.', status);
  if (status === 403) return new GraphAccessError('forbidden', 'Microsoft Graph denied access to the team site.', status);
  if (status === 429 || status === 503 || status === 504) {
    const wait = retryAfterMs(retryAfter);
    return new GraphAccessError(
      'throttled',
      'Microsoft Graph is throttling requests; try again shortly.',
      status,
      wait === null ? undefined : Math.max(1, Math.ceil(wait / 1000)),
    );
  }
  if (status >= 500) return new GraphAccessError('graph_failed', `Microsoft Graph failed (${status}).`, status);
  return new GraphRequestFailed(status, code ?? 'unknown', `Graph answered ${status} ${code ?? ''}`.trim());
}

/** An OData string literal: single quotes doubled. */
export const odataString = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** A `$filter` query parameter, encoded. */
export const filterParam = (expression: string) => `$filter=${encodeURIComponent(expression)}`;
