import { getSearchParameters, getStatus } from '@medplum/core';
import type { Bundle, OperationOutcome, Resource as FhirResource } from '@medplum/fhirtypes';
import { FhirRouter, type FhirRequest, type HttpMethod } from '@medplum/fhir-router';
import { type FhirEngine, type Operation, type OperationResult, type ParamKind, type Resource, type SearchQuery } from '../types.js';
import { loadR4Definitions } from './definitions.js';
import { IndexedMemoryRepository } from './indexed-repository.js';

/** Kinds @medplum/core's matcher evaluates; other kinds (quantity, composite, ...) are not offered. */
const matchable = new Set<string>(['string', 'token', 'date', 'reference']);

/** The search in R4 syntax, as medplum's router reads it. */
export function toR4Query(query: SearchQuery): [string, string][] {
  const params: [string, string][] = query.filters.map((f) => [f.modifier ? `${f.name}:${f.modifier}` : f.name, f.values.join(',')]);
  if (query.sort.length) params.push(['_sort', query.sort.map((s) => `${s.descending ? '-' : ''}${s.param}`).join(',')]);
  params.push(['_count', String(query.count)], ['_offset', String(query.offset)]);
  return params;
}

const urlOf = (op: Operation) => (op.kind === 'read' ? `${op.type}/${op.id}` : `${op.type}?${new URLSearchParams(toR4Query(op.query))}`);

const request = (method: HttpMethod, url: string, body?: unknown): FhirRequest => ({ method, url, pathname: '', body, params: {}, query: {} });

/** medplum's router answer, in the sandbox's terms. */
function result(op: Operation, status: number, resource: FhirResource | undefined, outcome: OperationOutcome | undefined): OperationResult {
  if (status >= 300 || !resource) return { status: status >= 300 ? status : 500, outcome: (outcome ?? {}) as Record<string, unknown> };
  if (op.kind === 'read') return { status: 200, resource: resource as Resource };
  const bundle = resource as Bundle;
  return { status: 200, matches: (bundle.entry ?? []).map((e) => e.resource as Resource), total: bundle.total ?? 0 };
}

const router = new FhirRouter();

/**
 * R4 on a real FHIR engine: @medplum/fhir-router's FhirRouter (routing, search parsing, batch)
 * over a per-tenant memory repository, with @medplum/core's R4 search parameter definitions.
 */
export function createMedplumEngine(resourceTypes: readonly string[]): FhirEngine {
  loadR4Definitions();
  const repo = new IndexedMemoryRepository();
  const served = new Set(resourceTypes);

  // Every batch entry asks for its type's parameters: worked out once per type, not per entry.
  const paramsByType = new Map<string, Record<string, ParamKind>>();
  return {
    paramsOf(type) {
      if (!served.has(type)) return undefined;
      let known = paramsByType.get(type);
      if (!known) {
        const params = Object.entries(getSearchParameters(type) ?? {}).filter(([, sp]) => matchable.has(sp.type));
        known = Object.fromEntries([['_id', 'token'], ...params.map(([code, sp]) => [code, sp.type])]) as Record<string, ParamKind>;
        paramsByType.set(type, Object.freeze(known));
      }
      return known;
    },
    async load(resources) {
      // Straight into the repository: the sandbox's own and loaded data need no validation pass.
      for (const resource of resources) await repo.createResource(resource as FhirResource);
    },
    async run(op) {
      const req =
        op.kind === 'search' && op.viaPost
          ? request('POST', `/${op.type}/_search`, Object.fromEntries(groupValues(toR4Query(op.query))))
          : request('GET', `/${urlOf(op)}`);
      const [outcome, resource] = await router.handleRequest(req, repo);
      return result(op, getStatus(outcome), resource, outcome);
    },
    async runBatch(operations) {
      if (!operations.length) return [];
      const bundle: Bundle = {
        resourceType: 'Bundle',
        type: 'batch',
        entry: operations.map((op) => ({ request: { method: 'GET', url: urlOf(op) } })),
      };
      const [outcome, response] = await router.handleRequest(request('POST', '/', bundle), repo);
      const entries = (response as Bundle | undefined)?.entry;
      if (!entries)
        return operations.map(() => ({
          status: getStatus(outcome) >= 300 ? getStatus(outcome) : 500,
          outcome: outcome as unknown as Record<string, unknown>,
        }));
      return operations.map((op, i) => {
        const entry = entries[i];
        return result(
          op,
          Number.parseInt(entry?.response?.status ?? '500', 10),
          entry?.resource,
          entry?.response?.outcome as OperationOutcome | undefined,
        );
      });
    },
  };
}

/** Form fields as medplum's `_search` handler takes them: repeated names as arrays. */
function groupValues(params: [string, string][]): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  for (const [k, v] of params) {
    const had = out.get(k);
    out.set(k, had === undefined ? v : [...(Array.isArray(had) ? had : [had]), v]);
  }
  return out;
}
