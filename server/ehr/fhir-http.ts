import { summariseOutcome } from './operation-outcome.js';
import type { RawResponse, Transport } from './transport.js';
import { FhirError } from './types.js';
import { parseAnswerJson, type EntryAllowance } from './answer-json.js';
import { retryAfterMs } from '../platform/retry-after.js';

export const FHIR_ACCEPT = 'application/fhir+json, application/json+fhir, application/json';
const JSON_TYPES = new Set(['application/fhir+json', 'application/json+fhir', 'application/json']);

/** Where a request gets its bearer token from, and a new one after a 401. */
export interface TokenSource {
  get(): Promise<string>;
  renew(rejected: string): Promise<string>;
}

export interface FhirRequest {
  method: 'GET' | 'POST';
  url: URL;
  body?: { contentType: string; text: string };
  token?: TokenSource;
  accept?: string;
  /** Reads the answer only up to this many bytes (below the transport's own limit): see discovery.ts. */
  maxResponseBytes?: number;
  /**
   * Called once a 2xx answer's bytes are all in, and awaited, before they are parsed: a caller
   * holding a slot for the request can hand it to the next request first.
   */
  onAnswer?: () => Promise<void> | void;
}

export interface FhirResponse {
  status: number;
  /** Parsed JSON; undefined for an empty body. */
  body: unknown;
}

export interface FhirHttpOptions {
  transport: Transport;
  /** Retries after 429/503. */
  maxRetries?: number;
  /** Upper bound of one wait, whatever Retry-After asks for. */
  maxRetryWaitMs?: number;
  /**
   * The entries a 2xx answer may hold (a read's budget): an answer that could hold more is
   * counted before it is parsed and refused, with the allowance's FhirError, when it does
   * (answer-json.ts).
   */
  entries?: EntryAllowance;
}

export type FhirHttp = (request: FhirRequest) => Promise<FhirResponse>;

/**
 * JSON over the transport: renews the token once on a 401, waits and retries on 429/503 within
 * a bound, and turns non-2xx answers into FhirErrors carrying the HTTP status.
 */
export function createFhirHttp(options: FhirHttpOptions): FhirHttp {
  const maxRetries = options.maxRetries ?? 2;
  const maxWaitMs = options.maxRetryWaitMs ?? 5_000;

  return async (request) => {
    let token = request.token ? await request.token.get() : undefined;
    let renewed = false;
    for (let retries = 0; ;) {
      const headers: Record<string, string> = { accept: request.accept ?? FHIR_ACCEPT };
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      if (request.body) headers['content-type'] = request.body.contentType;
      const raw = await options.transport({
        method: request.method,
        url: request.url,
        headers,
        body: request.body?.text,
        ...(request.maxResponseBytes === undefined ? {} : { maxResponseBytes: request.maxResponseBytes }),
      });
      if (raw.status === 401 && request.token && token !== undefined && !renewed) {
        renewed = true;
        token = await request.token.renew(token);
        continue;
      }
      if ((raw.status === 429 || raw.status === 503) && retries < maxRetries) {
        retries++;
        await sleep(Math.min(retryDelayMs(raw.headers, retries), maxWaitMs));
        continue;
      }
      if (request.onAnswer && raw.status >= 200 && raw.status < 300) await request.onAnswer();
      return interpret(raw, request.token !== undefined, options.entries);
    }
  };
}

function interpret(raw: RawResponse, hadToken: boolean, entries?: EntryAllowance): FhirResponse {
  const ok = raw.status >= 200 && raw.status < 300;
  const body = parseBody(raw, ok, entries);
  if (ok) return { status: raw.status, body };
  const summary = summariseOutcome(body);
  const detail = summary ? `: ${summary}` : '';
  const fromFhir = summary !== undefined;
  if (raw.status === 401) {
    throw new FhirError(
      hadToken ? 'token_refused' : 'ehr_error',
      hadToken
        ? `The EHR refused the app's access token (HTTP 401)${detail}.`
        : `The EHR asks for authentication but its metadata advertises no token endpoint${detail}.`,
      401,
      fromFhir,
    );
  }
  if (raw.status === 429 || raw.status === 503) {
    throw new FhirError('ehr_error', `The EHR is busy (HTTP ${raw.status}); try again shortly${detail}.`, raw.status, fromFhir);
  }
  throw new FhirError('ehr_error', `The EHR answered HTTP ${raw.status}${detail}.`, raw.status, fromFhir);
}

const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]{1,64}\/[a-z0-9!#$&^_.+-]{1,64}$/;

function parseBody(raw: RawResponse, ok: boolean, entries?: EntryAllowance): unknown {
  const looksJson = JSON_TYPES.has(raw.mediaType) || (raw.mediaType === '' && /^\s*[{[]/.test(raw.text));
  if (!looksJson) {
    if (!ok) return undefined;
    // The EHR's media type is named only when it is one (type/subtype, RFC 9110 tokens, short):
    // whatever else a server writes in its header is never passed on into a message.
    const what = MEDIA_TYPE.test(raw.mediaType) ? raw.mediaType : raw.mediaType ? 'content of an unknown type' : 'an answer without content type';
    throw new FhirError('not_fhir', `The EHR answered with ${what} instead of FHIR JSON.`, raw.status);
  }
  if (isBlank(raw)) return undefined;
  try {
    return parseAnswerJson(raw.content, ok ? entries : undefined);
  } catch (error) {
    // A refusal of the entries (a spent read budget) is the caller's; anything else is the JSON's.
    if (error instanceof FhirError) throw error;
    if (!ok) return undefined;
    throw new FhirError('not_fhir', 'The EHR answered with malformed JSON.', raw.status);
  }
}

/** An answer of whitespace only; read as text only when its first byte that is not ASCII whitespace is not ASCII. */
function isBlank(raw: RawResponse): boolean {
  for (const byte of raw.content) {
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    return byte >= 0x80 && raw.text.trim() === '';
  }
  return true;
}

/** Retry-After (seconds or HTTP date), then Azure's x-ms-retry-after-ms, else exponential backoff. */
function retryDelayMs(headers: RawResponse['headers'], attempt: number): number {
  const retryAfter = retryAfterMs(headers.get('retry-after'));
  if (retryAfter !== null) return retryAfter;
  const msHeader = Number(headers.get('x-ms-retry-after-ms'));
  if (Number.isFinite(msHeader) && msHeader > 0) return msHeader;
  return 250 * 2 ** (attempt - 1);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
