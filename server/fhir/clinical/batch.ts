import type { EhrContext } from '../ehr-context.js';
import { isObject, list, str } from '../json.js';
import { underBase } from '../urls.js';
import { FhirError } from '../types.js';
import { mapLimit } from '../map-limit.js';

/**
 * Entries per batch Bundle. A read of n entries costs ceil(n / B) POSTs when the server takes
 * batches; only fallbacks (whole batch rejected, `_sort`/`_include` rejected, Medications to
 * resolve, paging in the details panel) add requests. 100 keeps a Bundle of searchsets well
 * under the 20 MB answer limit for typical records while a 300-patient list stays in ~12 requests.
 */
export const DEFAULT_BATCH_SIZE = 100;
/** Requests in flight at once for one read; EHRs throttle bursts (429). */
export const DEFAULT_PARALLEL_REQUESTS = 4;

/** The answer to one entry: its body, or why there is none. */
export type EntryResult =
  | { ok: true; body: unknown }
  | { ok: false; reason: 'failed' | 'malformed'; status?: number };

/**
 * Reads an answer as soon as its batch arrives (`index` is its position among the URLs asked),
 * so that a large read keeps only what it needs instead of every Bundle until the last one.
 */
export type Digest = (body: unknown, index: number) => unknown;
const keepAll: Digest = (body) => body;

/** GETs (relative URLs) as batch Bundles, answers in the order asked; `digest` turns each answer body into what is kept. */
export async function runEntries(ctx: EhrContext, urls: string[], digest: Digest = keepAll): Promise<EntryResult[]> {
  const size = Math.max(1, ctx.batchSize ?? DEFAULT_BATCH_SIZE);
  const starts: number[] = [];
  for (let i = 0; i < urls.length; i += size) starts.push(i);
  const answers = await mapLimit(starts, parallelism(ctx), (start) =>
    sendBatch(ctx, urls.slice(start, start + size), (body, i) => digest(body, start + i)),
  );
  return answers.flat();
}

async function sendBatch(ctx: EhrContext, urls: string[], digest: Digest): Promise<EntryResult[]> {
  const bundle = {
    resourceType: 'Bundle',
    type: 'batch',
    entry: urls.map((url) => ({ request: { method: 'GET', url } })),
  };
  let body: unknown;
  try {
    ({ body } = await ctx.http({
      method: 'POST',
      url: new URL(ctx.server.base.href),
      body: { contentType: ctx.adapter.mimeType, text: JSON.stringify(bundle) },
      token: ctx.token,
    }));
  } catch (error) {
    if (answeredBadly(error)) return readOneByOne(ctx, urls, digest);
    throw error;
  }
  // Entries are matched by position, so an answer of another length cannot be used.
  const entries = isObject(body) && body.resourceType === 'Bundle' ? list(body.entry) : [];
  if (entries.length !== urls.length) return readOneByOne(ctx, urls, digest);
  return entries.map((entry, i) => digested(entryResult(entry), i, digest));
}

function digested(result: EntryResult, index: number, digest: Digest): EntryResult {
  return result.ok ? { ok: true, body: digest(result.body, index) } : result;
}

/**
 * A batch the server refused (4xx), answered in XML or broken JSON, or answered too large: the
 * cause may be one entry, so single GETs find out which. 5xx, timeouts, an unreachable EHR or a
 * refused token concern the whole EHR and are thrown.
 */
function answeredBadly(error: unknown): boolean {
  if (!(error instanceof FhirError)) return false;
  if (error.code === 'not_fhir') return true;
  return error.code === 'ehr_error' && error.status !== undefined && error.status < 500 && error.status !== 429;
}

/** A failed entry has a non-2xx status; its OperationOutcome sits in `response.outcome` (STU3+) or `resource` (DSTU2, often R4). */
function entryResult(entry: unknown): EntryResult {
  if (!isObject(entry)) return { ok: false, reason: 'malformed' };
  const response = isObject(entry.response) ? entry.response : {};
  const status = statusOf(response.status);
  const resource = entry.resource;
  if (status !== undefined && (status < 200 || status >= 300)) return { ok: false, reason: 'failed', status };
  if (isObject(resource) && resource.resourceType === 'OperationOutcome') return { ok: false, reason: 'failed', ...(status ? { status } : {}) };
  if (!isObject(resource)) return { ok: false, reason: 'malformed' };
  return { ok: true, body: resource };
}

/** "200 OK", "404", or (wrongly typed) 404. */
function statusOf(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : str(value);
  const match = text?.match(/^(\d{3})\b/);
  return match ? Number(match[1]) : undefined;
}

/** The fallback: one GET per entry; an answer that fails only fails its own entry. */
async function readOneByOne(ctx: EhrContext, urls: string[], digest: Digest): Promise<EntryResult[]> {
  const results = await mapLimit(urls, parallelism(ctx), async (relative): Promise<EntryResult> => {
    const mark = relative.indexOf('?');
    const url = underBase(ctx.server.base, mark < 0 ? relative : relative.slice(0, mark));
    if (mark >= 0) url.search = relative.slice(mark + 1);
    try {
      const { body } = await ctx.http({ method: 'GET', url, token: ctx.token });
      return isObject(body) ? { ok: true, body } : { ok: false, reason: 'malformed' };
    } catch (error) {
      if (!(error instanceof FhirError)) throw error;
      if (error.code === 'not_fhir') return { ok: false, reason: 'malformed' };
      if (error.code === 'ehr_timeout') return { ok: false, reason: 'failed' };
      if (error.code === 'ehr_error') return { ok: false, reason: 'failed', ...(error.status ? { status: error.status } : {}) };
      throw error;
    }
  });
  return results.map((result, i) => digested(result, i, digest));
}

function parallelism(ctx: EhrContext): number {
  return Math.max(1, ctx.parallelRequests ?? DEFAULT_PARALLEL_REQUESTS);
}

