import { STATUS_CODES } from 'node:http';
import { fhirIdPattern } from '../../contract/id-syntax.js';
import { FhirRequestError, operationOutcome, type FhirEngine, type Operation, type OperationResult, type Resource } from './engine/types.js';
import { quirkyBody, type Quirk } from './quirks.js';
import { readSearch } from './search-query.js';
import type { VersionSpec } from './versions.js';

export interface FhirResult {
  status: number;
  body: Record<string, unknown>;
}

/** One FHIR endpoint of one tenant's provider, as a request sees it. */
export interface EndpointContext {
  spec: VersionSpec;
  engine: FhirEngine;
  /** Absolute base URL of the endpoint, for links and fullUrls. */
  base: string;
  quirks: ReadonlySet<Quirk>;
}

export const outcome = (status: number, code: string, diagnostics: string): FhirResult => ({ status, body: operationOutcome(code, diagnostics) });

const MAX_BATCH_ENTRIES = 500;

/** Turns `Type`, `Type/id` and the search parameters into an engine operation, or refuses. */
function prepare(ctx: EndpointContext, path: string, pairs: [string, string][], viaPost: boolean): Operation {
  const [type, id, ...extra] = path.replace(/^\/+|\/+$/g, '').split('/');
  const params = type && ctx.spec.resourceTypes.includes(type) ? ctx.engine.paramsOf(type) : undefined;
  if (!type || !params) throw new FhirRequestError(404, 'not-supported', `The resource type ${type || '(none)'} is not supported.`);
  if (extra.length) throw new FhirRequestError(400, 'not-supported', 'This operation is not supported.');
  if (id !== undefined) {
    if (!fhirIdPattern.test(id)) throw new FhirRequestError(400, 'invalid', 'The id is not a valid FHIR id.');
    return { kind: 'read', type, id };
  }
  if (ctx.quirks.has('sort-rejected') && pairs.some(([k]) => k.startsWith('_sort')))
    throw new FhirRequestError(400, 'not-supported', 'Sorting is not supported by this server.');
  if (ctx.quirks.has('no-contains') && pairs.some(([k]) => k.endsWith(':contains')))
    throw new FhirRequestError(400, 'not-supported', 'The :contains modifier is not supported.');
  const query = readSearch(ctx.spec, type, params, pairs);
  if (ctx.quirks.has('sort-ignored')) query.sort = [];
  return { kind: 'search', type, query, viaPost };
}

function refusal(error: unknown): FhirResult {
  if (error instanceof FhirRequestError) return outcome(error.status, error.code, error.message);
  throw error;
}

/** A searchset with `self` and `next` links built from the request's own parameters. */
function searchset(ctx: EndpointContext, op: Extract<Operation, { kind: 'search' }>, pairs: [string, string][], matches: Resource[], total: number) {
  const kept = pairs.filter(([k]) => k !== '_offset');
  const link = (offset: number) => `${ctx.base}/${op.type}?${new URLSearchParams([...kept, ['_offset', String(offset)]])}`;
  const { offset, count } = op.query;
  const links = [{ relation: 'self', url: link(offset) }];
  if (offset + count < total) links.push({ relation: 'next', url: link(offset + count) });
  // A server that ignores `_sort` answers in its own order: here, reversed.
  const page = ctx.quirks.has('sort-ignored') ? [...matches].reverse() : matches;
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    link: links,
    ...(page.length
      ? { entry: page.map((resource) => ({ fullUrl: `${ctx.base}/${resource.resourceType}/${resource.id}`, resource, search: { mode: 'match' } })) }
      : {}),
  };
}

function finish(ctx: EndpointContext, op: Operation, pairs: [string, string][], result: OperationResult): FhirResult {
  if ('outcome' in result) return { status: result.status, body: result.outcome };
  const body =
    'resource' in result ? result.resource : searchset(ctx, op as Extract<Operation, { kind: 'search' }>, pairs, result.matches, result.total);
  return { status: 200, body: quirkyBody(ctx.quirks, body) };
}

/** A read (`Type/id`) or a search (`Type` with parameters, by GET or POST `_search`). */
export async function handle(ctx: EndpointContext, path: string, pairs: [string, string][], viaPost = false): Promise<FhirResult> {
  let op: Operation;
  try {
    op = prepare(ctx, path, pairs, viaPost);
  } catch (error) {
    return refusal(error);
  }
  return finish(ctx, op, pairs, await ctx.engine.run(op));
}

/** A GET entry's URL, relative to this base (absolute URLs must lie under it). */
function splitUrl(ctx: EndpointContext, url: string): { path: string; pairs: [string, string][] } {
  let relative = url;
  if (/^https?:\/\//i.test(url)) {
    if (!url.startsWith(`${ctx.base}/`)) throw new FhirRequestError(400, 'not-supported', 'The entry URL is not on this server.');
    relative = url.slice(ctx.base.length);
  }
  const q = relative.indexOf('?');
  return { path: q >= 0 ? relative.slice(0, q) : relative, pairs: q >= 0 ? [...new URLSearchParams(relative.slice(q + 1))] : [] };
}

/**
 * A batch: each entry is answered on its own, in order. A failed entry carries its status and an
 * OperationOutcome where the release puts it, and does not fail the others.
 */
export async function handleBatch(ctx: EndpointContext, bundle: unknown): Promise<FhirResult> {
  const b = bundle as { resourceType?: unknown; type?: unknown; entry?: unknown } | null;
  if (b?.resourceType !== 'Bundle' || b.type !== 'batch') return outcome(400, 'invalid', 'Only a Bundle of type batch can be posted to the base.');
  const entries = Array.isArray(b.entry) ? b.entry : [];
  if (entries.length > MAX_BATCH_ENTRIES) return outcome(400, 'too-costly', `A batch may hold at most ${MAX_BATCH_ENTRIES} entries.`);

  type Prepared = { op: Operation; pairs: [string, string][] } | { failed: FhirResult };
  const prepared = entries.map((entry): Prepared => {
    const request = (entry as { request?: { method?: unknown; url?: unknown } } | null)?.request;
    try {
      if (request?.method !== 'GET' || typeof request.url !== 'string')
        throw new FhirRequestError(400, 'not-supported', 'This sandbox answers GET entries only.');
      const { path, pairs } = splitUrl(ctx, request.url);
      return { op: prepare(ctx, path, pairs, false), pairs };
    } catch (error) {
      return { failed: refusal(error) };
    }
  });
  const runnable = prepared.filter((p) => 'op' in p);
  const answers = await ctx.engine.runBatch(runnable.map((p) => p.op));
  const results = prepared.map((p) => ('op' in p ? finish(ctx, p.op, p.pairs, answers[runnable.indexOf(p)]) : p.failed));

  return {
    status: 200,
    body: {
      resourceType: 'Bundle',
      type: 'batch-response',
      entry: results.map(({ status, body }) => {
        const response = { status: `${status} ${STATUS_CODES[status] ?? ''}`.trim() };
        if (status < 300) return { resource: body, response };
        return ctx.spec.outcomeIn === 'resource' ? { resource: body, response } : { response: { ...response, outcome: body } };
      }),
    },
  };
}
