import type { EhrContext } from '../ehr-context.js';
import { isObject, list, str } from '../json.js';
import { underBase } from '../urls.js';
import { FhirError } from '../types.js';
import { createGate, mapLimit, type Gate } from '../map-limit.js';
import { bundleEntries, ReadBudgetExceeded } from '../read-budget.js';
import type { Warnings } from './warnings.js';

/**
 * Entries per batch Bundle. A read of n entries costs ceil(n / B) POSTs when the server takes
 * batches; only fallbacks (whole batch rejected, `_sort`/`_include` rejected, Medications to
 * resolve, paging in the details panel) add requests. 100 keeps a Bundle of searchsets well
 * under the 20 MB answer limit for typical records while a 300-patient list stays in ~12 requests.
 */
const DEFAULT_BATCH_SIZE = 100;
/** Requests in flight at once for one read; EHRs throttle bursts (429). */
export const DEFAULT_PARALLEL_REQUESTS = 4;

/** The answer to one entry: its body, or why there is none. */
export type EntryResult = { ok: true; body: unknown } | { ok: false; reason: 'failed' | 'malformed'; status?: number };

/**
 * Reads an answer as soon as its batch arrives (`index` is its position among the URLs asked),
 * so that a large read keeps only what it needs instead of every Bundle until the last one.
 */
export type Digest = (body: unknown, index: number) => unknown;
const keepAll: Digest = (body) => body;

/**
 * GETs (relative URLs) as batch Bundles, answers in the order asked; `digest` turns each answer
 * body into what is kept, as soon as it arrives. At most `parallelRequests` requests of the read
 * are in flight at once, single GETs of a fallback included. Every Bundle entry read counts
 * against the call's budget (`ctx.budget`); a spent budget fails the read.
 */
export async function runEntries(ctx: EhrContext, urls: string[], digest: Digest = keepAll, warnings?: Warnings): Promise<EntryResult[]> {
  const size = Math.max(1, ctx.batchSize ?? DEFAULT_BATCH_SIZE);
  const starts: number[] = [];
  for (let i = 0; i < urls.length; i += size) starts.push(i);
  // The gate alone bounds the requests in flight: every batch waits at it, so the next one goes
  // out the moment an answer is in, while that answer is still being read (digested).
  const open = createGate(parallelism(ctx));
  let failed = false;
  const gate: Gate = (fn) =>
    open(async () => {
      // After a failure the read is over: batches still waiting are not sent.
      if (failed) throw new ReadAbandoned();
      try {
        return await fn();
      } catch (error) {
        // Marked before the slot goes to the next batch; a batch answered badly falls back instead.
        if (!answeredBadly(error)) failed = true;
        throw error;
      }
    });
  const answers = await mapLimit(starts, starts.length, async (start) => {
    const slice = urls.slice(start, start + size);
    const own: Digest = (body, i) => digest(body, start + i);
    try {
      // The batch answer is out of scope before a fallback starts, so it is not held meanwhile.
      return (await sendBatch(ctx, gate, () => open.waiting > 0, slice, own, warnings)) ?? (await readOneByOne(ctx, gate, slice, own));
    } catch (error) {
      failed = true; // a spent read budget, say, found while reading an answer
      throw error;
    }
  });
  return answers.flat();
}

/** A batch not sent because another of the same read failed (never the error the read ends with). */
class ReadAbandoned extends Error {}

/**
 * The batch's results, or undefined when its entries must be asked one by one. `othersWaiting`
 * tells whether another batch of the read waits at the gate (and takes this one's slot).
 */
async function sendBatch(
  ctx: EhrContext,
  gate: Gate,
  othersWaiting: () => boolean,
  urls: string[],
  digest: Digest,
  warnings?: Warnings,
): Promise<EntryResult[] | undefined> {
  const bundle = {
    resourceType: 'Bundle',
    type: 'batch',
    entry: urls.map((url) => ({ request: { method: 'GET', url } })),
  };
  let body: unknown;
  try {
    const { answer } = await gate(async () => {
      let answered!: () => void;
      const bytesIn = new Promise<void>((resolve) => (answered = resolve));
      const answer = ctx.http({
        method: 'POST',
        url: new URL(ctx.server.base.href),
        body: { contentType: ctx.adapter.mimeType, text: JSON.stringify(bundle) },
        token: ctx.token,
        // The slot is let go once the answer's bytes are in, before they are parsed. A batch
        // waiting for it is written to the EHR first: undici reuses a connection one turn of the
        // event loop after its answer ended (against servers that close it anyway), so that batch
        // leaves in the second turn. The last batches are parsed at once.
        onAnswer: async () => {
          const handedOn = othersWaiting();
          answered();
          if (handedOn) await new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
        },
      });
      // A request that fails holds its slot until then: the read is marked failed before a waiting batch could go out.
      await Promise.race([bytesIn, answer]);
      return { answer };
    });
    ({ body } = await answer);
  } catch (error) {
    if (answeredBadly(error)) return undefined;
    throw error;
  }
  // Entries are matched by position, so an answer of another length cannot be used.
  const entries = isObject(body) && body.resourceType === 'Bundle' ? list(body.entry) : [];
  ctx.budget?.spendEntries(entries.length);
  if (entries.length !== urls.length) {
    warnings?.add('batch_mismatch');
    return undefined;
  }
  for (const entry of entries) ctx.budget?.spendEntries(bundleEntries(isObject(entry) ? entry.resource : undefined));
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

/**
 * The fallback: one GET per entry, sharing the read's requests in flight; each answer is digested
 * as it arrives and only what `digest` keeps stays. An answer that fails only fails its own entry.
 */
async function readOneByOne(ctx: EhrContext, gate: Gate, urls: string[], digest: Digest): Promise<EntryResult[]> {
  return mapLimit(urls, parallelism(ctx), async (relative, i) => digested(await gate(() => readOne(ctx, relative)), i, digest));
}

async function readOne(ctx: EhrContext, relative: string): Promise<EntryResult> {
  const mark = relative.indexOf('?');
  const url = underBase(ctx.server.base, mark < 0 ? relative : relative.slice(0, mark));
  if (mark >= 0) url.search = relative.slice(mark + 1);
  try {
    const { body } = await ctx.http({ method: 'GET', url, token: ctx.token });
    ctx.budget?.spendEntries(bundleEntries(body));
    return isObject(body) ? { ok: true, body } : { ok: false, reason: 'malformed' };
  } catch (error) {
    if (!(error instanceof FhirError) || error instanceof ReadBudgetExceeded) throw error;
    if (error.code === 'not_fhir') return { ok: false, reason: 'malformed' };
    if (error.code === 'ehr_timeout') return { ok: false, reason: 'failed' };
    if (error.code === 'ehr_error') return { ok: false, reason: 'failed', ...(error.status ? { status: error.status } : {}) };
    throw error;
  }
}

/** Requests in flight at once for one read of `ctx`. */
export function parallelism(ctx: EhrContext): number {
  return Math.max(1, ctx.parallelRequests ?? DEFAULT_PARALLEL_REQUESTS);
}
