import type { Resource, SearchFilter } from '../types.js';
import { fold, matchString, searchableStrings } from '../string-match.js';
import { perResource } from '../memo.js';
import type { ParamDef } from './params.js';
import { splitUnescaped, unescapeSearchValue } from '../../../../contract/fhir-search-value.js';

/** Search matching and sorting over plain JSON, after FHIR's rules for each parameter kind. */

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** The values at a dot path; arrays on the way are flattened. */
export function valuesAt(resource: unknown, path: string): unknown[] {
  let current: unknown[] = [resource];
  for (const key of path.split('.')) current = current.flatMap((v) => arr((v as Record<string, unknown> | null)?.[key]));
  return current;
}

const strings = searchableStrings;

interface Token {
  system?: string;
  code?: string;
}
function tokens(value: unknown): Token[] {
  if (typeof value === 'string' || typeof value === 'boolean') return [{ code: String(value) }];
  if (!value || typeof value !== 'object') return [];
  const v = value as Record<string, unknown>;
  const text = (x: unknown) => (typeof x === 'string' ? x : undefined);
  // A single Coding where the spec has an array (some published sample records write one) is read
  // as one, as a lenient FHIR server's parser does.
  if (v.coding && typeof v.coding === 'object')
    return arr(v.coding).map((c) => ({
      system: text((c as Record<string, unknown> | null)?.system),
      code: text((c as Record<string, unknown> | null)?.code),
    }));
  if (typeof v.value === 'string') return [{ system: text(v.system), code: v.value }]; // Identifier
  if (typeof v.code === 'string') return [{ system: text(v.system), code: v.code }]; // Coding
  return [];
}

function dates(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  const start = (value as { start?: unknown } | null)?.start;
  return typeof start === 'string' ? [start] : [];
}

function matchToken(values: Token[], wanted: string): boolean {
  // `system|code`, at the first unescaped bar; an escaped one is part of the code (contract/fhir-search-value.ts).
  const [first, ...rest] = splitUnescaped(wanted, '|');
  const system = rest.length ? unescapeSearchValue(first) : undefined;
  const code = unescapeSearchValue(rest.length ? rest.join('|') : first);
  return values.some((t) => {
    if (system !== undefined && (system === '' ? t.system !== undefined && t.system !== '' : t.system !== system)) return false;
    return code === '' || t.code === code;
  });
}

/** `[prefix]date` at the precision given: `eq2026-11` matches any time in that month. */
function matchDate(values: string[], wanted: string): boolean {
  const m = /^(eq|ne|ge|le|gt|lt)?(\d.*)$/.exec(wanted);
  if (!m) return false;
  const [op, date] = [m[1] ?? 'eq', m[2]];
  return values.some((v) => {
    const a = v.slice(0, date.length);
    switch (op) {
      case 'eq':
        return a === date || date.startsWith(v);
      case 'ne':
        return a !== date;
      case 'ge':
        return a >= date;
      case 'le':
        return a <= date;
      case 'gt':
        return a > date;
      default:
        return a < date;
    }
  });
}

/** `Type/id`, a bare id (of the parameter's target type) or an absolute URL ending in `Type/id`. */
function matchReference(values: unknown[], wanted: string, target: string | undefined): boolean {
  const lastTwo = (ref: string) => ref.split('/').slice(-2).join('/');
  const want = wanted.includes('/') ? lastTwo(wanted) : target ? `${target}/${wanted}` : undefined;
  return values.some((v) => {
    const ref = (v as { reference?: unknown } | null)?.reference;
    if (typeof ref !== 'string') return false;
    return want ? lastTwo(ref) === want : lastTwo(ref).split('/')[1] === wanted;
  });
}

const raw = (resource: Resource, def: ParamDef) => def.paths.flatMap((path) => valuesAt(resource, path));

export function matchesFilter(resource: Resource, def: ParamDef, filter: SearchFilter): boolean {
  const values = raw(resource, def);
  if (filter.modifier === 'missing') return (filter.values[0] === 'true') === (values.length === 0);
  return filter.values.some((wanted) => {
    switch (def.kind) {
      case 'string':
        return matchString(values.flatMap(strings), unescapeSearchValue(wanted), filter.modifier);
      case 'token':
        return matchToken(values.flatMap(tokens), wanted);
      case 'date':
        return matchDate(values.flatMap(dates), wanted);
      default:
        return matchReference(values, wanted, def.target);
    }
  });
}

/** The value a resource sorts by for a parameter: first family name, first date, first code. */
function sortValue(resource: Resource, def: ParamDef): string {
  const values = raw(resource, def);
  const first =
    def.kind === 'string'
      ? values.flatMap(strings)[0]
      : def.kind === 'date'
        ? values.flatMap(dates)[0]
        : def.kind === 'token'
          ? values.flatMap(tokens)[0]?.code
          : (values[0] as { reference?: string } | undefined)?.reference;
  return first === undefined ? '' : fold(first);
}

/** A resource's sort value per parameter (kind and paths), worked out once. */
const sortValues = perResource<string>();

/** Sorts by each key in turn; resources without a value go last, ties by id for a stable order. */
export function sortBy(found: Resource[], keys: { def: ParamDef; descending: boolean }[]): Resource[] {
  if (!keys.length) return found;
  const decorated = found.map((r) => ({ r, k: keys.map(({ def }) => sortValues(r, `${def.kind} ${def.paths.join('|')}`, () => sortValue(r, def))) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const [x, y] = [a.k[i], b.k[i]];
      if (x === y) continue;
      if (!x || !y) return x ? -1 : 1;
      return (x < y ? -1 : 1) * (keys[i].descending ? -1 : 1);
    }
    return a.r.id < b.r.id ? -1 : a.r.id > b.r.id ? 1 : 0;
  });
  return decorated.map((d) => d.r);
}
