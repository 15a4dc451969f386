import { search, SearchError, sortResults } from './search.js';
import type { Resource } from './search-params.js';
import type { ResourceStore } from './resource-store.js';
import type { VersionSpec } from './versions.js';
import { quirkyBody, type Quirk } from './quirks.js';

export interface FhirResult {
  status: number;
  body: Record<string, unknown>;
}

export const outcome = (status: number, code: string, diagnostics: string): FhirResult => ({
  status,
  body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] },
});

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * One FHIR interaction against one provider store: read `Type/id` or search `Type?…`. Used for
 * plain requests and for each entry of a batch alike. `base` is the absolute base URL for links.
 */
export function execute(spec: VersionSpec, store: ResourceStore, base: string, path: string, query: [string, string][], quirks: Set<Quirk> = new Set()): FhirResult {
  const [type, id, extra] = path.replace(/^\/+|\/+$/g, '').split('/');
  if (!type || !spec.resourceTypes.includes(type)) return outcome(404, 'not-supported', `The resource type ${type || '(none)'} is not supported.`);
  if (extra !== undefined) return outcome(400, 'not-supported', 'This operation is not supported.');
  if (id !== undefined) {
    if (!ID.test(id)) return outcome(400, 'invalid', 'The id is not a valid FHIR id.');
    const resource = store.get(type, id);
    return resource ? { status: 200, body: resource } : outcome(404, 'not-found', `${type}/${id} is not known.`);
  }
  try {
    return { status: 200, body: searchset(spec, store, base, type, query, quirks) };
  } catch (err) {
    if (err instanceof SearchError) return outcome(err.status, err.status === 404 ? 'not-supported' : 'invalid', err.message);
    throw err;
  }
}

function searchset(spec: VersionSpec, store: ResourceStore, base: string, type: string, query: [string, string][], quirks: Set<Quirk>) {
  const sorts = query.some(([k]) => k.startsWith('_sort'));
  if (quirks.has('sort-rejected') && sorts) throw new SearchError(400, 'Sorting is not supported by this server.');
  if (quirks.has('no-contains') && query.some(([k]) => k.endsWith(':contains'))) throw new SearchError(400, 'The :contains modifier is not supported.');
  const count = Math.min(Math.max(Number(valueOf(query, '_count') ?? 50) || 50, 1), 1000);
  const offset = Math.max(Number(valueOf(query, '_offset') ?? 0) || 0, 0);
  const found = search(spec, type, store.all(type), query);
  const matches = quirks.has('sort-ignored') ? [...found].reverse() : sortResults(spec, type, found, query);
  const page = matches.slice(offset, offset + count);
  const kept = query.filter(([k]) => k !== '_offset');
  const link = (at: number) => `${base}/${type}?${new URLSearchParams([...kept, ['_offset', String(at)]]).toString()}`;
  const links = [{ relation: 'self', url: link(offset) }];
  if (offset + count < matches.length) links.push({ relation: 'next', url: link(offset + count) });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: matches.length,
    link: links,
    entry: page.map((resource: Resource) => ({ fullUrl: `${base}/${type}/${resource.id}`, resource, search: { mode: 'match' } })),
  };
}

const valueOf = (query: [string, string][], name: string) => query.find(([k]) => k === name)?.[1];

/** A batch: each entry runs on its own; a failed one carries its status and OperationOutcome. */
export function executeBatch(spec: VersionSpec, store: ResourceStore, base: string, bundle: unknown, quirks: Set<Quirk> = new Set()): FhirResult {
  const b = bundle as { resourceType?: unknown; type?: unknown; entry?: unknown };
  if (b?.resourceType !== 'Bundle' || b.type !== 'batch') return outcome(400, 'invalid', 'Only a Bundle of type batch can be posted to the base.');
  const entries = Array.isArray(b.entry) ? b.entry : [];
  return {
    status: 200,
    body: {
      resourceType: 'Bundle',
      type: 'batch-response',
      entry: entries.map((entry) => {
        const request = (entry as { request?: { method?: unknown; url?: unknown } })?.request;
        const result =
          request?.method !== 'GET' || typeof request.url !== 'string'
            ? outcome(400, 'not-supported', 'Only GET entries are supported in a batch.')
            : runUrl(spec, store, base, request.url, quirks);
        const status = `${result.status} ${result.status < 300 ? 'OK' : 'Error'}`;
        if (result.status < 300) return { resource: quirkyBody(quirks, result.body), response: { status } };
        return spec.outcomeIn === 'resource' ? { resource: result.body, response: { status } } : { response: { status, outcome: result.body } };
      }),
    },
  };
}

function runUrl(spec: VersionSpec, store: ResourceStore, base: string, url: string, quirks: Set<Quirk>): FhirResult {
  const relative = url.startsWith(base) ? url.slice(base.length) : url;
  const q = relative.indexOf('?');
  const path = q >= 0 ? relative.slice(0, q) : relative;
  const query = q >= 0 ? [...new URLSearchParams(relative.slice(q + 1))] : [];
  return execute(spec, store, base, path, query, quirks);
}
