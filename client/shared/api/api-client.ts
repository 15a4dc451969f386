import { t } from '../i18n/t';

/** An API problem as the server states it: `{code, message, requestId}` with the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
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
}

export interface ApiOptions {
  /**
   * In Teams: the user has to consent to the app's Graph permissions (403 `consent_required`);
   * resolves once they have, rejects with the ApiError to show when they have not.
   */
  onConsentRequired?: () => Promise<void>;
}

/** The one way the tab calls the backend: adds the token, sends JSON, turns problems into ApiErrors. */
export function createApi(getToken: TokenSource, options: ApiOptions = {}) {
  const send = async (path: string, init: RequestOptions, token: string): Promise<Response> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), signal: init.signal });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiError(0, 'network_error', t('api.unreachable'));
    }
  };
  const api = async function api<T>(path: string, init: RequestOptions = {}): Promise<T> {
    let res = await send(path, init, await getToken());
    // A token the server no longer accepts (expired, keys rotated): one retry with a fresh one.
    if (res.status === 401) res = await send(path, init, await getToken({ refresh: true }));
    // The server refused before changing anything; after the consent popup, one retry.
    if (res.status === 403 && options.onConsentRequired && (await problemCode(res)) === 'consent_required') {
      await options.onConsentRequired();
      res = await send(path, init, await getToken());
    }
    if (res.status === 204) return undefined as T;
    const body = await res.json().catch(() => null);
    if (!res.ok) {
      throw new ApiError(res.status, body?.code ?? 'http_error', body?.message ?? t('api.httpError', { status: res.status }), body?.requestId);
    }
    return body as T;
  };
  /** For downloads that cannot go through `api` (files): the same token. */
  return Object.assign(api, { token: () => getToken() });
}

export type Api = ReturnType<typeof createApi>;

async function problemCode(res: Response): Promise<string | undefined> {
  const body = await res.clone().json().catch(() => null);
  return typeof body?.code === 'string' ? body.code : undefined;
}
