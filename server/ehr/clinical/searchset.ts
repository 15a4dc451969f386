import type { EhrContext } from '../ehr-context.js';
import { isObject, list, objects, str, type JsonObject } from '../json.js';
import { bundleEntries, ReadBudgetExceeded } from '../read-budget.js';
import { checkPageUrl } from '../urls.js';
import { FhirError } from '../types.js';
import { runEntries, type Digest, type EntryResult } from './batch.js';
import { hasExtras, queryUrl, type PartQuery } from './queries.js';
import type { ClinicalPart } from './types.js';
import { belongsTo } from './values.js';
import type { Warnings } from './warnings.js';

export interface PlannedEntry {
  patientId: string;
  /** `allergyList`: the allergy List search that goes with the allergies part (queries.ts `allergyListQueries`). */
  part: ClinicalPart | 'patient' | 'allergyList';
  url: string;
  query?: PartQuery;
}

/**
 * Statuses with which servers refuse a `_sort` or `_include` they do not support. 500 is left
 * out although one server crashes on `_sort`: a failing server should not cost every read a retry.
 */
const EXTRAS_REJECTED = new Set([400, 403, 422, 501]);

/**
 * Runs the planned entries; entries refused while carrying `_sort`/`_include` are asked again
 * without them in one more round. The server is remembered as not supporting them only when
 * the plain query then worked, so a passing failure does not degrade later reads.
 */
export async function fetchPlanned(ctx: EhrContext, plan: PlannedEntry[], digest?: Digest, warnings?: Warnings): Promise<EntryResult[]> {
  const results = await runEntries(
    ctx,
    plan.map((p) => p.url),
    digest,
    warnings,
  );
  const retry = plan
    .map((entry, index) => ({ entry, index, result: results[index] }))
    .filter(({ entry, result }) => !result.ok && EXTRAS_REJECTED.has(result.status ?? 0) && entry.query && hasExtras(entry.query));
  if (retry.length === 0) return results;
  const again = await runEntries(
    ctx,
    retry.map(({ entry }) => queryUrl(ctx, entry.query!, true)),
    digest && ((body, k) => digest(body, retry[k].index)),
    warnings,
  );
  retry.forEach(({ entry, index }, k) => {
    results[index] = again[k];
    if (again[k].ok && ctx.quirks) {
      if (entry.query!.sort) ctx.quirks.noDateSort = true;
      if (entry.query!.include) ctx.quirks.noInclude = true;
    }
  });
  return results;
}

export interface Searchset {
  /** The patient's resources, OperationOutcome and foreign entries removed. */
  resources: JsonObject[];
  /** `_include`d resources (Medications). */
  included: JsonObject[];
  next?: string;
  /**
   * The set is not all the search matched: entries past `maxEntries` were left out (a server that
   * ignores `_count`), or a `next` page failed or was left unread (followPages). A searchset's
   * matches are all of its pages (FHIR http.html#paging), so a set read in part never says "none".
   */
  truncated?: true;
}

/**
 * Undefined when the body is not a Bundle. `type` is not checked: some servers say `collection`.
 * Entries beyond `maxEntries` (what was asked plus a margin, see entryLimit) are ignored with an
 * `entries_over_limit` warning.
 */
export function readSearchset(body: unknown, patientId: string, warnings: Warnings, maxEntries = Infinity): Searchset | undefined {
  if (!isObject(body) || body.resourceType !== 'Bundle') return undefined;
  const result: Searchset = { resources: [], included: [] };
  const own = `Patient/${patientId}`;
  let entries = list(body.entry);
  if (entries.length > maxEntries) {
    warnings.add('entries_over_limit', entries.length - maxEntries);
    entries = entries.slice(0, maxEntries);
    result.truncated = true;
  }
  for (const entry of entries) {
    if (!isObject(entry)) continue;
    const resource = entry.resource;
    const mode = isObject(entry.search) ? entry.search.mode : undefined;
    if (!isObject(resource)) {
      warnings.add('entry_without_resource');
    } else if (resource.resourceType === 'OperationOutcome' || mode === 'outcome') {
      warnings.add('outcome_entry');
    } else if (mode === 'include' || resource.resourceType === 'Medication') {
      result.included.push(resource);
    } else if (!belongsTo(resource, patientId, own)) {
      warnings.add('other_patient_entry');
    } else {
      result.resources.push(resource);
    }
  }
  const next = str(objects(body.link).find((l) => l.relation === 'next')?.url);
  if (next) result.next = next;
  return result;
}

/**
 * Follows `next` links, at most `maxPages` pages in all. Links must lie under the FHIR base. A
 * failing page keeps what was read and says so in a warning; the set is then marked `truncated`,
 * as it is when pages are left unread or a page was cut to `maxEntries`.
 */
export async function followPages(
  ctx: EhrContext,
  first: Searchset,
  patientId: string,
  warnings: Warnings,
  maxPages: number,
  maxEntries = Infinity,
): Promise<Searchset> {
  const seen = new Set(first.resources.map(key));
  const all: Searchset = { resources: [...first.resources], included: [...first.included], ...(first.truncated ? { truncated: true } : {}) };
  let next = first.next;
  for (let pages = 1; next && pages < maxPages; pages++) {
    let body: unknown;
    try {
      body = (await ctx.http({ method: 'GET', url: checkPageUrl(ctx.server.base, next), token: ctx.token })).body;
      ctx.budget?.spendEntries(bundleEntries(body));
    } catch (error) {
      if (
        error instanceof ReadBudgetExceeded ||
        !(error instanceof FhirError) ||
        !['ehr_error', 'ehr_timeout', 'not_fhir', 'link_not_allowed'].includes(error.code)
      )
        throw error;
      warnings.add('page_failed');
      return { ...all, truncated: true };
    }
    const page = readSearchset(body, patientId, warnings, maxEntries);
    if (!page) {
      warnings.add('page_failed');
      return { ...all, truncated: true };
    }
    if (page.truncated) all.truncated = true;
    for (const resource of page.resources) {
      // Pages of a live search can shift and repeat an entry.
      if (!seen.has(key(resource))) all.resources.push(resource);
      seen.add(key(resource));
    }
    all.included.push(...page.included);
    next = page.next;
  }
  if (next) {
    warnings.add('pages_truncated');
    all.truncated = true;
  }
  return all;
}

function key(resource: JsonObject): string {
  const id = str(resource.id);
  return id ? `${str(resource.resourceType) ?? ''}/${id}` : `#${Math.random()}`;
}
