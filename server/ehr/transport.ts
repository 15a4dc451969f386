import { pipeline, type Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { request as undiciRequest, type Dispatcher } from 'undici';
import { FhirError } from './types.js';

/** What the transport hands a fetch: undici's init, with the dispatcher every EHR connection goes through. */
export interface EhrFetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  redirect: 'manual';
  signal: AbortSignal;
  /** Undefined only when the transport was given none (unit tests of the FHIR layer). */
  dispatcher?: Dispatcher;
}

/** The part of a fetch Response the transport reads. */
export interface EhrFetchResponse {
  status: number;
  headers: { get(name: string): string | null };
  body: {
    getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> };
    cancel(): Promise<void>;
  } | null;
}

/**
 * A fetch for EHR requests: `requestEhr` by default; a replacement (benchmarks count calls) must
 * pass the init on as it is to `requestEhr` or undici's fetch, dispatcher included, so the link
 * guard still checks the address each connection goes to.
 */
export type EhrFetch = (url: URL, init: EhrFetchInit) => Promise<EhrFetchResponse>;

/**
 * undici's `request` in the shape the transport reads. Not undici's fetch: `request` writes the
 * request to the connection at once, where fetch takes several turns of the event loop (in which
 * the app may be parsing another answer: a read's next batch then leaves late), and it costs
 * less per call. It never follows redirects, as the transport wants. Like fetch, it asks for
 * compressed answers (FHIR JSON shrinks about tenfold) and undoes gzip, deflate and brotli; the
 * transport's size limit counts the bytes after that.
 */
export const requestEhr: EhrFetch = async (url, init) => {
  const { statusCode, headers, body } = await undiciRequest(url, {
    method: init.method,
    headers: { 'accept-encoding': ACCEPT_ENCODING, 'user-agent': USER_AGENT, ...init.headers },
    body: init.body,
    signal: init.signal,
    ...(init.dispatcher ? { dispatcher: init.dispatcher } : {}),
  });
  const header = (name: string) => {
    const value = headers[name];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  };
  const decompress = decompressors.get((header('content-encoding') ?? '').trim().toLowerCase());
  // Through the decompressor, a failure of either side (a cut answer, broken gzip) fails the read.
  const content: Readable = decompress && statusCode !== 204 && statusCode !== 304 ? pipeline(body, decompress(), () => undefined) : body;
  const chunks = content[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  const cancel = async () => void content.destroy();
  return {
    status: statusCode,
    headers: { get: (name) => header(name.toLowerCase()) },
    body: {
      getReader: () => ({
        async read() {
          const next = await chunks.next();
          return next.done ? { done: true } : { done: false, value: next.value };
        },
        cancel,
      }),
      cancel,
    },
  };
};

const ACCEPT_ENCODING = 'gzip, deflate, br';
/** fetch named itself; some gateways in front of EHRs refuse requests that name no client. */
const USER_AGENT = 'Patients (Microsoft Teams app; FHIR client)';
/** Content codings undone; any other answer is read as it came (a Map: the EHR names the key). */
const decompressors = new Map<string, () => Transform>([
  ['gzip', createGunzip],
  ['x-gzip', createGunzip],
  ['deflate', createInflate],
  ['br', createBrotliDecompress],
]);

export interface TransportOptions {
  fetch?: EhrFetch;
  /** Per request, headers and body together. */
  timeoutMs?: number;
  /** Called with every URL before it is fetched, redirect targets included. */
  checkUrl?: (url: URL) => Promise<void>;
  /** Every request goes through it: the link guard's dispatcher checks the address actually connected to. */
  dispatcher?: Dispatcher;
  maxResponseBytes?: number;
}

export interface OutgoingRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** False for requests carrying secrets (token requests): a redirect is then returned as the answer. */
  followRedirects?: boolean;
  /** A lower size limit for this request's answer than the transport's own (small answers, a read's budget). */
  maxResponseBytes?: number;
  /**
   * Awaited once the EHR has begun to answer (its status and headers are in), before the body is
   * read, at each redirect hop: where the process's share of answers being read is taken
   * (outbound-limit.ts). Within the request's timeout.
   */
  beforeBody?: () => Promise<void>;
}

export interface RawResponse {
  status: number;
  headers: EhrFetchResponse['headers'];
  /** Media type without parameters, lower case; '' when absent. */
  mediaType: string;
  /** The answer's size as read (after content decoding), in bytes. */
  bytes: number;
  /** The answer's bytes (after content decoding). */
  content: Uint8Array;
  /**
   * The answer as text, decoded when first read: a caller that hands its request slot on when
   * the bytes are in (a batch read) sends the next request before it spends time on this.
   */
  readonly text: string;
}

export type Transport = (request: OutgoingRequest) => Promise<RawResponse>;

const MAX_REDIRECTS = 5;
const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

/**
 * fetch with a timeout, a size limit and manual redirects, so that the URL guard sees every hop
 * and credentials never follow a redirect to another origin.
 */
export function createTransport(options: TransportOptions): Transport {
  const doFetch: EhrFetch = options.fetch ?? requestEhr;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_BYTES;

  return async (request) => {
    let current = request;
    for (let hop = 0; ; hop++) {
      await options.checkUrl?.(current.url);
      const response = await fetchOnce(doFetch, options.dispatcher, current, timeoutMs, Math.min(maxBytes, request.maxResponseBytes ?? maxBytes));
      const location = response.headers.get('location');
      if (!isRedirect(response.status) || location === null || current.followRedirects === false) return response;
      if (hop >= MAX_REDIRECTS) {
        throw new FhirError('ehr_error', 'The EHR redirected too many times.', response.status);
      }
      current = redirected(current, new URL(location, current.url), response.status);
    }
  };
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function redirected(previous: OutgoingRequest, target: URL, status: number): OutgoingRequest {
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new FhirError('link_not_allowed', 'The EHR redirected to an address that is not http(s).');
  }
  const headers = { ...previous.headers };
  if (target.origin !== previous.url.origin) delete headers.authorization;
  const keepMethod = status === 307 || status === 308;
  if (keepMethod && previous.body !== undefined && target.origin !== previous.url.origin) {
    // The body may hold search criteria (patient names); it does not travel to another origin.
    throw new FhirError('link_not_allowed', 'The EHR redirected a request with data to another address.');
  }
  if (keepMethod) return { ...previous, url: target, headers };
  delete headers['content-type'];
  return { method: 'GET', url: target, headers };
}

async function fetchOnce(
  doFetch: EhrFetch,
  dispatcher: Dispatcher | undefined,
  request: OutgoingRequest,
  timeoutMs: number,
  maxBytes: number,
): Promise<RawResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await doFetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: controller.signal,
      ...(dispatcher ? { dispatcher } : {}),
    });
    await request.beforeBody?.();
    const content = await readLimited(response, maxBytes);
    const contentType = response.headers.get('content-type') ?? '';
    let text: string | undefined;
    return {
      status: response.status,
      headers: response.headers,
      mediaType: contentType.split(';')[0].trim().toLowerCase(),
      bytes: content.byteLength,
      content,
      // TextDecoder is faster than Buffer#toString here (JSON.parse reads its strings faster too), and drops a leading BOM.
      get text() {
        return (text ??= utf8.decode(content));
      },
    };
  } catch (error) {
    // The link guard refuses a connection from inside the dispatcher; fetch wraps its error.
    const refusal = fhirErrorIn(error);
    if (refusal) throw refusal;
    if (controller.signal.aborted) {
      throw new FhirError('ehr_timeout', `The EHR at ${request.url.origin} did not answer within ${Math.round(timeoutMs / 1000)} s.`);
    }
    throw new FhirError('ehr_unreachable', `The EHR at ${request.url.origin} could not be reached.`);
  } finally {
    clearTimeout(timer);
  }
}

function fhirErrorIn(error: unknown): FhirError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof FhirError) return e;
  }
  return undefined;
}

async function readLimited(response: EhrFetchResponse, maxBytes: number): Promise<Uint8Array> {
  const limit = maxBytes >= 1024 * 1024 ? `${Math.round(maxBytes / 1024 / 1024)} MB` : `${maxBytes} bytes`;
  const tooLarge = () => new FhirError('ehr_error', `The EHR's answer was larger than the ${limit} limit.`, response.status);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done || !value) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

const utf8 = new TextDecoder();
