import {
  operationOutcome,
  type FhirEngine,
  type Operation,
  type OperationResult,
  type ParamKind,
  type Resource,
  type SearchFilter,
} from '../types.js';
import { perResource } from '../memo.js';
import { matchesFilter, sortBy, valuesAt } from './match.js';
import type { ParamDef, ParamTable } from './params.js';

const idParam: ParamDef = { kind: 'token', paths: ['id'] };
const lastTwo = (ref: string) => ref.split('/').slice(-2).join('/');

/**
 * A compact in-memory FHIR store for the releases no engine library serves (DSTU2, STU3). What it
 * can search comes from the release's parameter table; nothing here knows which release it is.
 */
export function createMemoryEngine(table: ParamTable): FhirEngine {
  const byType = new Map<string, Map<string, Resource>>();
  const defOf = (type: string, name: string): ParamDef | undefined => (name === '_id' ? idParam : table[type]?.[name]);
  /** `Type.param` → `Target/id` → ids: typed references (the patient links) answered without a scan. */
  const links = new Map<string, Map<string, Set<string>>>();
  const index = (resource: Resource) => {
    for (const [name, def] of Object.entries(table[resource.resourceType] ?? {})) {
      if (def.kind !== 'reference' || !def.target) continue;
      const key = `${resource.resourceType}.${name}`;
      if (!links.has(key)) links.set(key, new Map());
      for (const value of def.paths.flatMap((path) => valuesAt(resource, path))) {
        const ref = (value as { reference?: unknown } | null)?.reference;
        if (typeof ref !== 'string') continue;
        const target = links.get(key)!;
        if (!target.has(lastTwo(ref))) target.set(lastTwo(ref), new Set());
        target.get(lastTwo(ref))!.add(resource.id);
      }
    }
  };
  /**
   * The resources a search must look at: those a typed-reference filter names (that filter is
   * then answered), else all of the type.
   */
  const candidates = (type: string, filters: SearchFilter[]): { found: Resource[]; answered?: SearchFilter } => {
    const all = byType.get(type) ?? new Map<string, Resource>();
    for (const filter of filters) {
      const def = defOf(type, filter.name);
      if (def?.kind !== 'reference' || !def.target || filter.modifier) continue;
      const byRef = links.get(`${type}.${filter.name}`);
      const ids = new Set(filter.values.flatMap((v) => [...(byRef?.get(v.includes('/') ? lastTwo(v) : `${def.target}/${v}`) ?? [])]));
      return { found: [...ids].map((id) => all.get(id)).filter((r): r is Resource => r !== undefined), answered: filter };
    }
    return { found: [...all.values()] };
  };
  /** Whether a resource matches a filter, worked out once per resource and filter. */
  const matches = perResource<boolean>();

  const run = async (op: Operation): Promise<OperationResult> => {
    if (op.kind === 'read') {
      const resource = byType.get(op.type)?.get(op.id);
      return resource ? { status: 200, resource } : { status: 404, outcome: operationOutcome('not-found', `${op.type}/${op.id} is not known.`) };
    }
    const { found: indexed, answered } = candidates(op.type, op.query.filters);
    let found = indexed;
    for (const filter of op.query.filters) {
      const def = defOf(op.type, filter.name);
      if (!def)
        return { status: 400, outcome: operationOutcome('not-supported', `The search parameter ${filter.name} is not supported for ${op.type}.`) };
      if (filter === answered) continue;
      const key = `${filter.name}:${filter.modifier}=${JSON.stringify(filter.values)}`;
      found = found.filter((r) => matches(r, key, () => matchesFilter(r, def, filter)));
    }
    const keys = op.query.sort.map(({ param, descending }) => ({ def: defOf(op.type, param), descending }));
    if (keys.some((k) => !k.def))
      return { status: 400, outcome: operationOutcome('not-supported', `Sorting ${op.type} by that parameter is not supported.`) };
    const sorted = sortBy(found, keys as { def: ParamDef; descending: boolean }[]);
    return { status: 200, matches: sorted.slice(op.query.offset, op.query.offset + op.query.count), total: sorted.length };
  };

  const paramsByType = new Map<string, Record<string, ParamKind>>();
  return {
    paramsOf(type) {
      const params = table[type];
      if (!params) return undefined;
      // Asked once per batch entry: worked out once per type.
      let known = paramsByType.get(type);
      if (!known) {
        known = Object.fromEntries([['_id', 'token'], ...Object.entries(params).map(([name, def]) => [name, def.kind])]) as Record<string, ParamKind>;
        paramsByType.set(type, Object.freeze(known));
      }
      return known;
    },
    async load(resources) {
      for (const resource of resources) {
        let ofType = byType.get(resource.resourceType);
        if (!ofType) byType.set(resource.resourceType, (ofType = new Map()));
        ofType.set(resource.id, resource);
        index(resource);
      }
    },
    run,
    runBatch: (operations) => Promise.all(operations.map(run)),
  };
}
