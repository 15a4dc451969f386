import type { PatientView } from './adapters/index.js';
import type { EhrContext, SearchQuirks } from './ehr-context.js';
import { Warnings } from './clinical/warnings.js';
import { isObject, list, objects, str } from './json.js';
import { checkPageUrl, formEncode, underBase } from './urls.js';
import { FhirError, type NameMatch, type PatientSearchQuery, type PatientSearchResult } from './types.js';
import { escapeSearchValue } from '../../contract/fhir-search-value.js';

/** The page size asked when the query names none, and the most we ask for. */
const MAX_PAGE = 100;
/** Entries beyond the page size a page may carry (OperationOutcomes, includes). */
const PAGE_MARGIN = 10;

/** Statuses with which servers reject a parameter, modifier or `_sort` they do not support. */
const PARAM_REJECTED = new Set([400, 403, 422, 500, 501]);
/** Statuses with which servers reject `POST _search` itself. */
const POST_REJECTED = new Set([404, 405, 415, 501]);

interface Attempt {
  post: boolean;
  contains: boolean;
  sort: boolean;
}

type Feature = keyof Attempt;

/**
 * The name criteria. FHIR string search matches the start of a name part by default, and anywhere
 * in it with `:contains` (search.html#string in DSTU2, STU3 and R4 alike). The app asks with
 * `:contains` wherever the server takes it, so "uer" finds Auer in every release, and falls back
 * to the default where the server refuses it or its Conformance (DSTU2) lists the modifiers it
 * takes without `contains`; the answer says which rule applied.
 */
const NAME_PARAMS = ['name', 'family', 'given'] as const;
const QUIRK_OF: Record<Feature, keyof SearchQuirks> = { post: 'noPostSearch', contains: 'noContains', sort: 'noSort' };

/**
 * Patient search with the fallbacks real servers need. Each rejection drops one feature; the one
 * whose removal made the search succeed is remembered, so later searches skip the failing try.
 */
export async function searchPatients(ctx: EhrContext, query: PatientSearchQuery, quirks: SearchQuirks): Promise<PatientSearchResult> {
  const byName = NAME_PARAMS.filter((param) => query[param] !== undefined && query[param] !== '');
  const stated = ctx.server.containsUnsupported ?? [];
  const attempt: Attempt = {
    post: !quirks.noPostSearch,
    contains: byName.length > 0 && !quirks.noContains && !byName.some((param) => stated.includes(param)),
    sort: !quirks.noSort,
  };
  let lastDropped: Feature | undefined;
  for (;;) {
    try {
      const body = await send(ctx, buildParams(ctx, query, attempt), attempt.post);
      if (lastDropped) quirks[QUIRK_OF[lastDropped]] = true;
      const result = readSearchset(ctx, body, pageSize(query));
      const match: NameMatch = attempt.contains ? 'contains' : 'start';
      return byName.length > 0 ? { ...result, match } : result;
    } catch (error) {
      const dropped = featureToDrop(error, attempt);
      if (!dropped) throw error;
      attempt[dropped] = false;
      lastDropped = dropped;
    }
  }
}

/**
 * The next page, from a link the EHR gave (the feature hands out only an opaque ticket for it);
 * refused, unfetched, unless it is a Patient search under the base URL. `query.count` is the page
 * size the search asked.
 */
export async function fetchPage(ctx: EhrContext, query: PatientSearchQuery, pageUrl: string): Promise<PatientSearchResult> {
  const url = checkPageUrl(ctx.server.base, pageUrl);
  if (!isPatientSearchPage(ctx.server.base, url)) {
    throw new FhirError('link_not_allowed', 'The paging link is not a patient search of the EHR.');
  }
  const { body } = await ctx.http({ method: 'GET', url, token: ctx.token });
  return readSearchset(ctx, body, pageSize(query));
}

/**
 * Whether a paging link continues a Patient search: `{base}/Patient` or `{base}/Patient/_search`,
 * or the base itself with a `_getpages` parameter (HAPI's paging); never another type, a read,
 * an operation or a system-wide search.
 */
export function isPatientSearchPage(base: URL, url: URL): boolean {
  const basePath = base.pathname.replace(/\/+$/, '');
  const path = url.pathname.replace(/\/+$/, '');
  if (path === `${basePath}/Patient` || path === `${basePath}/Patient/_search`) return true;
  return path === basePath && url.searchParams.has('_getpages');
}

/** The page size asked (the server's own default is assumed to be at most MAX_PAGE). */
function pageSize(query: PatientSearchQuery): number {
  return query.count !== undefined && Number.isFinite(query.count) ? Math.min(MAX_PAGE, Math.max(1, Math.trunc(query.count))) : MAX_PAGE;
}

function featureToDrop(error: unknown, attempt: Attempt): Feature | undefined {
  if (!(error instanceof FhirError) || error.code !== 'ehr_error' || error.status === undefined) return undefined;
  if (attempt.post && POST_REJECTED.has(error.status)) return 'post';
  if (!PARAM_REJECTED.has(error.status)) return undefined;
  // `_sort` goes first: results are sorted here anyway, while `:contains` changes what is found.
  if (attempt.sort) return 'sort';
  if (attempt.contains) return 'contains';
  if (attempt.post) return 'post';
  return undefined;
}

function buildParams(ctx: EhrContext, query: PatientSearchQuery, attempt: Attempt): Array<[string, string]> {
  const params: Array<[string, string]> = [];
  const add = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') params.push([name, value]);
  };
  add('_id', query.id);
  for (const param of NAME_PARAMS) add(attempt.contains ? `${param}:contains` : param, searchValue(query[param]));
  add('birthdate', query.birthdate);
  add('gender', query.gender);
  add('identifier', searchValue(query.identifier));
  if (query.count !== undefined && Number.isFinite(query.count)) {
    add('_count', String(pageSize(query)));
  }
  if (attempt.sort) params.push(...ctx.adapter.sortParams([{ param: 'family' }, { param: 'given' }]));
  return params;
}

/**
 * What a user typed, as one search value, FHIR's separators escaped (contract/fhir-search-value.ts):
 * "Adeyemi, Chloé" looks for that text, never for Adeyemi or Chloé, and "123,456" for one MRN, not two.
 */
const searchValue = (value: string | undefined) => (value === undefined ? undefined : escapeSearchValue(value));

async function send(ctx: EhrContext, params: Array<[string, string]>, post: boolean): Promise<unknown> {
  const encoded = formEncode(params);
  if (post) {
    const url = underBase(ctx.server.base, 'Patient/_search');
    const body = { contentType: 'application/x-www-form-urlencoded', text: encoded };
    return (await ctx.http({ method: 'POST', url, body, token: ctx.token })).body;
  }
  const url = underBase(ctx.server.base, 'Patient');
  url.search = encoded;
  return (await ctx.http({ method: 'GET', url, token: ctx.token })).body;
}

/**
 * The page's patients. What is left out goes to the gateway's warnings as codes and counts, as
 * for clinical reads: entries beyond the page size asked plus PAGE_MARGIN (`entries_over_limit`)
 * and OperationOutcome entries mixed into the results (`outcome_entry`; their text can echo the
 * query, so it is never kept).
 */
function readSearchset(ctx: EhrContext, body: unknown, size: number): PatientSearchResult {
  if (!isObject(body) || body.resourceType !== 'Bundle') {
    throw new FhirError('not_fhir', 'The EHR answered the patient search with something other than a Bundle.');
  }
  const views: PatientView[] = [];
  const skipped = new Warnings();
  let entries = list(body.entry);
  const limit = size + PAGE_MARGIN;
  if (entries.length > limit) {
    skipped.add('entries_over_limit', entries.length - limit);
    entries = entries.slice(0, limit);
  }
  for (const entry of objects(entries)) {
    const mode = isObject(entry.search) ? entry.search.mode : undefined;
    const resource = entry.resource;
    if (mode === 'outcome' || (isObject(resource) && resource.resourceType === 'OperationOutcome')) {
      skipped.add('outcome_entry');
      continue;
    }
    if (mode === 'include') continue;
    const view = ctx.adapter.readPatient(resource, { mrnSystem: ctx.mrnSystem, base: ctx.server.base });
    if (view) views.push(view);
  }
  const result: PatientSearchResult = { patients: views.sort(byName).map((v) => v.summary) };
  const next = nextLink(ctx, body, skipped);
  if (next) result.next = next;
  const warnings = skipped.list();
  if (warnings.length > 0) ctx.onWarnings?.(warnings);
  return result;
}

/**
 * The EHR's next link, absolute; refused when used unless it is a Patient search under the base
 * (fetchPage). It is held for the user until then (page-links.ts): one longer than any server's
 * paging needs is not kept (the search has no next page, `next_link_too_long`).
 */
function nextLink(ctx: EhrContext, bundle: Record<string, unknown>, warnings: Warnings): string | undefined {
  const url = str(objects(bundle.link).find((l) => l.relation === 'next')?.url);
  if (!url) return undefined;
  if (url.length > MAX_NEXT_LINK) {
    warnings.add('next_link_too_long');
    return undefined;
  }
  try {
    return new URL(url, `${ctx.server.base.href}/`).href;
  } catch {
    return undefined;
  }
}

/** Characters of a next link kept at most: paging state of a few kB is the most servers use. */
export const MAX_NEXT_LINK = 16 * 1024;

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Family, then given; patients without a name go last. */
function byName(a: PatientView, b: PatientView): number {
  return (
    Number(a.summary.displayName === '') - Number(b.summary.displayName === '') ||
    collator.compare(a.family, b.family) ||
    collator.compare(a.given, b.given) ||
    collator.compare(a.summary.displayName, b.summary.displayName) ||
    collator.compare(a.summary.id, b.summary.id)
  );
}
