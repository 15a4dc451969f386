import { Client, GraphError, HTTPMessageHandler, RetryHandler, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { GraphAccessError, GraphRequestFailed } from './graph-errors.js';

/** The few Graph calls the store makes, with the caller's token, retries and error mapping. */
export interface GraphApi {
  get<T>(path: string): Promise<T>;
  /** Every row of a collection, following `@odata.nextLink` page by page. */
  getAll<T>(path: string): Promise<T[]>;
  post<T>(path: string, body: unknown): Promise<T>;
  /** With `etag`, sends `If-Match`: a stale eTag fails with 412 (GraphRequestFailed). */
  patch<T>(path: string, body: unknown, etag?: string): Promise<T>;
  delete(path: string, etag?: string): Promise<void>;
}

export interface GraphApiOptions {
  /** `https://graph.microsoft.com` in production; the emulator's URL in tests. */
  baseUrl: string;
  getAccessToken(): Promise<string>;
  /** Retries of 429/503/504, honouring Retry-After (RetryHandler); default 4. */
  maxRetries?: number;
}

/**
 * Uses `@microsoft/microsoft-graph-client` with the chain RetryHandler → HTTPMessageHandler.
 * The token is set on each request here rather than by the SDK's AuthenticationHandler,
 * which only attaches it to https Graph hosts (so never to a local emulator); it is only ever
 * sent to `baseUrl`, and a nextLink pointing elsewhere is refused.
 */
export function createGraphApi(options: GraphApiOptions): GraphApi {
  const base = new URL(options.baseUrl);
  const client = Client.initWithMiddleware({
    baseUrl: base.origin,
    defaultVersion: 'v1.0',
    middleware: [new RetryHandler(new RetryHandlerOptions(1, options.maxRetries ?? 4)), new HTTPMessageHandler()],
  });

  const call = async <T>(path: string, send: (request: ReturnType<Client['api']>) => Promise<T>, etag?: string): Promise<T> => {
    const token = await options.getAccessToken();
    let request = client.api(path).header('Authorization', `Bearer ${token}`);
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

  return {
    get: (path) => call(path, (r) => r.get()),
    async getAll<T>(path: string) {
      const rows: T[] = [];
      let next: string | undefined = path;
      while (next) {
        const page: { value: T[]; '@odata.nextLink'?: string } = await call(next, (r) => r.get());
        rows.push(...page.value);
        next = page['@odata.nextLink'] ? relative(page['@odata.nextLink']) : undefined;
      }
      return rows;
    },
    post: (path, body) => call(path, (r) => r.post(body)),
    patch: (path, body, etag) => call(path, (r) => r.patch(body), etag),
    delete: (path, etag) => call(path, (r) => r.delete(), etag),
  };
}

function mapError(err: unknown): Error {
  if (err instanceof GraphAccessError) return err;
  if (!(err instanceof GraphError) || err.statusCode <= 0) {
    return new GraphAccessError('graph_failed', 'Microsoft Graph could not be reached.');
  }
  const { statusCode: status, code } = err;
  if (status === 401) return new GraphAccessError('unauthenticated', 'Microsoft Graph refused the access token.', status);
  if (status === 403) return new GraphAccessError('forbidden', 'Microsoft Graph denied access to the team site.', status);
  if (status === 429 || status === 503 || status === 504) {
    return new GraphAccessError('throttled', 'Microsoft Graph is throttling requests; try again shortly.', status);
  }
  if (status >= 500) return new GraphAccessError('graph_failed', `Microsoft Graph failed (${status}).`, status);
  return new GraphRequestFailed(status, code ?? 'unknown', `Graph answered ${status} ${code ?? ''}`.trim());
}

/** An OData string literal: single quotes doubled. */
export const odataString = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** A `$filter` query parameter, encoded. */
export const filterParam = (expression: string) => `$filter=${encodeURIComponent(expression)}`;
