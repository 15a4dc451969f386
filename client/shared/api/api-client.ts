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

export type TokenSource = () => Promise<string>;

/** The one way the tab calls the backend: adds the token, sends JSON, turns problems into ApiErrors. */
export function createApi(getToken: TokenSource) {
  const api = async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${await getToken()}` };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), signal: init.signal });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiError(0, 'network_error', 'The app server could not be reached. Check your connection and try again.');
    }
    if (res.status === 204) return undefined as T;
    const body = await res.json().catch(() => null);
    if (!res.ok) {
      throw new ApiError(res.status, body?.code ?? 'http_error', body?.message ?? `The server answered ${res.status}.`, body?.requestId);
    }
    return body as T;
  };
  /** For downloads that cannot go through `api` (files): the same token. */
  return Object.assign(api, { token: getToken });
}

export type Api = ReturnType<typeof createApi>;
