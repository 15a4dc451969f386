import { t } from '../i18n/t';
import { startWait } from './rate-limit';

/** An API problem as the server states it: `{code, message, requestId}` with the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    /** On a 429: how many seconds the server asked to wait (`Retry-After`). */
    readonly retryAfter?: number,
    /** On a 400 `validation_failed`: the paths of the fields at fault (`name`, `values.diagnosis`), for the tab to name them in the user's language. */
    readonly fields: readonly string[] = [],
    /** On a 400 `validation_failed` of team field values: `{field, code, …}` per refused value, unchecked (the feature reads them). */
    readonly issues: readonly unknown[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A bearer token for the API; `refresh` asks for a new one instead of a cached one. */
export type TokenSource = (options?: { refresh?: boolean }) => Promise<string>;

interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  /** The media type asked for (`Accept`); the browser's default when absent. */
  accept?: string;
  /** A file sent as it is instead of a JSON body (an import), its name percent-encoded in `X-File-Name`. */
  file?: { data: Blob; name: string };
}

export interface ApiOptions {
  /**
   * In Teams: the user has to consent to the app's Graph permissions (403 `consent_required`);
   * resolves once they have, rejects with the ApiError to show when they have not.
   */
  onConsentRequired?: () => Promise<void>;
}

/** A 429 is retried by itself only when the server asks for a wait up to this long; longer waits are the user's call. */
export const MAX_AUTO_WAIT_SECONDS = 30;
/** The wait after a 429 without a usable `Retry-After`. */
export const DEFAULT_WAIT_SECONDS = 5;

/** `Retry-After` in whole seconds (at least 1): a number of seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterSeconds(res: Response, now = Date.now()): number | null {
  const header = res.headers.get('retry-after')?.trim();
  if (!header) return null;
  if (/^\d+$/.test(header)) return Math.max(1, Number(header));
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(1, Math.ceil((at - now) / 1000));
}

/** The ApiError for an answer that is not ok, from its body (`{code, message, requestId}`) when it has one. */
export function apiErrorOf(res: Response, body: unknown): ApiError {
  const problem = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const text = (x: unknown) => (typeof x === 'string' && x ? x : undefined);
  const code = text(problem.code) ?? (res.status === 429 ? 'rate_limited' : 'http_error');
  const retryAfter = res.status === 429 ? (retryAfterSeconds(res) ?? undefined) : undefined;
  const fields = Array.isArray(problem.fields) ? problem.fields.filter((f): f is string => typeof f === 'string') : [];
  return new ApiError(
    res.status,
    code,
    text(problem.message) ?? t('api.httpError', { status: res.status }),
    text(problem.requestId),
    retryAfter,
    fields,
    Array.isArray(problem.issues) ? problem.issues : [],
  );
}

/** Resolves after `ms`, or rejects as aborted when `signal` is. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = () => new DOMException('The request was cancelled.', 'AbortError');
    if (signal?.aborted) return reject(aborted());
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * React Query's retry for the tab's reads: one more try when no answer came, it came cut off, or
 * a 5xx came from something between tab and server (no problem code). None after the server's own
 * verdict: a 4xx is the same again, and its 5xx comes after its own retries of the EHR and Graph
 * (fhir-http.ts, graph-api.ts), so asking again at once would read a failing EHR twice.
 */
export function shouldRetryQuery(failureCount: number, error: unknown): boolean {
  // The server's own answer: not a network failure (status 0), a cut-off answer, or a gateway's 5xx.
  const verdict = error instanceof ApiError && error.status > 0 && error.code !== 'bad_answer' && (error.code !== 'http_error' || error.status < 500);
  return !verdict && failureCount < 1;
}

/** The one way the tab calls the backend: adds the token, sends JSON, turns problems into ApiErrors. */
export function createApi(getToken: TokenSource, options: ApiOptions = {}) {
  const fetchOnce = async (path: string, init: RequestOptions, token: string): Promise<Response> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.file) Object.assign(headers, { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(init.file.name) });
    if (init.accept) headers.accept = init.accept;
    try {
      return await fetch(path, {
        method: init.method ?? 'GET',
        headers,
        body: init.file ? init.file.data : init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiError(0, 'network_error', t('api.unreachable'));
    }
  };
  /** The answer after the token, consent and 429 handling, whatever its status. */
  const request = async (path: string, init: RequestOptions): Promise<Response> => {
    // Too many requests (429): a read waits as long as the server asks and asks once more; a change
    // is never sent again by itself (it may not be safe to repeat): the user is told and tries again.
    const isRead = (init.method ?? 'GET').toUpperCase() === 'GET';
    let waited = false;
    const send = async (token: string): Promise<Response> => {
      const res = await fetchOnce(path, init, token);
      if (res.status !== 429 || !isRead || waited) return res;
      const seconds = retryAfterSeconds(res) ?? DEFAULT_WAIT_SECONDS;
      if (seconds > MAX_AUTO_WAIT_SECONDS) return res;
      waited = true;
      const done = startWait(Date.now() + seconds * 1000);
      try {
        await pause(seconds * 1000, init.signal);
      } finally {
        done();
      }
      return fetchOnce(path, init, token);
    };
    let res = await send(await getToken());
    // A token the server no longer accepts (expired, keys rotated): one retry with a fresh one.
    if (res.status === 401) res = await send(await getToken({ refresh: true }));
    // The server refused before changing anything; after the consent popup, one retry.
    if (res.status === 403 && options.onConsentRequired && (await problemCode(res)) === 'consent_required') {
      await options.onConsentRequired();
      res = await send(await getToken());
    }
    return res;
  };
  const api = async function api<T>(path: string, init: RequestOptions = {}): Promise<T> {
    const res = await request(path, init);
    if (res.status === 204) return undefined as T;
    const unreadable = Symbol('unreadable');
    const body: unknown = await res.json().catch(() => unreadable);
    if (!res.ok) throw apiErrorOf(res, body === unreadable ? null : body);
    // An answer cut off midway (the list streams) or not JSON at all is a failure, never partial data.
    if (body === unreadable) throw new ApiError(res.status, 'bad_answer', t('api.badAnswer'));
    return body as T;
  };
  /**
   * A read whose answer the caller takes in as it arrives (the list's rows): an ok answer with its
   * body unread, or the ApiError of one that is not ok.
   */
  const stream = async (path: string, init: RequestOptions = {}): Promise<Response> => {
    const res = await request(path, init);
    if (!res.ok) throw apiErrorOf(res, await res.json().catch(() => null));
    if (!res.body) throw new ApiError(res.status, 'bad_answer', t('api.badAnswer'));
    return res;
  };
  /** For downloads that cannot go through `api` (files): the same token. */
  return Object.assign(api, { token: () => getToken(), stream });
}

export type Api = ReturnType<typeof createApi>;

async function problemCode(res: Response): Promise<string | undefined> {
  const body = await res
    .clone()
    .json()
    .catch(() => null);
  return typeof body?.code === 'string' ? body.code : undefined;
}
