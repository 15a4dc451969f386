import { paramsOf, sortKeys, type Resource, type SearchParam } from './search-params.js';
import type { VersionSpec } from './versions.js';

export class SearchError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

function matchString(values: unknown[], wanted: string, modifier: string): boolean {
  const w = fold(wanted);
  return values.some((v) => {
    if (typeof v !== 'string') return false;
    const f = fold(v);
    if (modifier === 'exact') return v === wanted;
    if (modifier === 'contains') return f.includes(w);
    return f.startsWith(w) || f.split(/[\s-]+/).some((part) => part.startsWith(w));
  });
}

function matchToken(values: unknown[], wanted: string): boolean {
  const bar = wanted.indexOf('|');
  const system = bar >= 0 ? wanted.slice(0, bar) : undefined;
  const code = bar >= 0 ? wanted.slice(bar + 1) : wanted;
  return values.some((v) => {
    const t = v as { system?: string; code?: string };
    if (system !== undefined && system !== '' && t.system !== system) return false;
    if (system === '' && t.system) return false;
    return code === '' || t.code === code;
  });
}

function matchDate(values: unknown[], wanted: string): boolean {
  const m = /^(eq|ge|le|gt|lt)?(.+)$/.exec(wanted)!;
  const [op, date] = [m[1] ?? 'eq', m[2]];
  return values.some((v) => {
    if (typeof v !== 'string') return false;
    if (op === 'eq') return v.startsWith(date) || date.startsWith(v);
    const a = v.slice(0, date.length);
    return op === 'ge' ? a >= date : op === 'le' ? a <= date : op === 'gt' ? a > date : a < date;
  });
}

function matchReference(values: unknown[], wanted: string, type: string): boolean {
  const target = wanted.includes('/') ? wanted : `${type}/${wanted}`;
  return values.some((v) => typeof v === 'string' && (v === target || v.endsWith(`/${target}`)));
}

/** Parameters that control the result, not the match. */
const controls = new Set(['_count', '_offset', '_sort', '_include', '_revinclude', '_format', '_summary', '_elements', '_total']);

/** Finds the resources of one type matching FHIR search parameters (every value of a repeated param must match). */
export function search(spec: VersionSpec, type: string, all: Resource[], query: [string, string][]): Resource[] {
  const params = paramsOf(type, spec.key);
  if (!params) throw new SearchError(404, `The resource type ${type} is not supported.`);
  let found = all;
  for (const [rawName, value] of query) {
    const [name, modifier = ''] = rawName.split(':');
    if (controls.has(name)) continue;
    if (name === '_id') {
      const ids = value.split(',');
      found = found.filter((r) => ids.includes(r.id));
      continue;
    }
    const param: SearchParam | undefined = params[name];
    if (!param) throw new SearchError(400, `The search parameter ${name} is not supported for ${type}.`);
    if (modifier && !(param.kind === 'string' && ['contains', 'exact'].includes(modifier)) && modifier !== 'missing') {
      throw new SearchError(400, `The modifier :${modifier} is not supported for ${name}.`);
    }
    const alternatives = value.split(',');
    const effective = modifier || (spec.containsByDefault.includes(`${type}.${name}`) ? 'contains' : '');
    found = found.filter((r) => {
      const values = param.values(r);
      return alternatives.some((alt) =>
        param.kind === 'string' ? matchString(values, alt, effective)
        : param.kind === 'token' ? matchToken(values, alt)
        : param.kind === 'date' ? matchDate(values, alt)
        : matchReference(values, alt, 'Patient'),
      );
    });
  }
  return found;
}

/** `_sort` in the release's own syntax: DSTU2 `_sort:asc=a` / `_sort:desc=a`, STU3+ `_sort=a,-b`. */
export function sortResults(spec: VersionSpec, type: string, found: Resource[], query: [string, string][]): Resource[] {
  const keys: { key: string; descending: boolean }[] = [];
  for (const [name, value] of query) {
    if (name === '_sort') {
      for (const part of value.split(',').filter(Boolean)) {
        if (spec.key === 'dstu2') keys.push({ key: part, descending: false });
        else keys.push({ key: part.replace(/^-/, ''), descending: part.startsWith('-') });
      }
    } else if (spec.key === 'dstu2' && (name === '_sort:asc' || name === '_sort:desc')) {
      keys.push({ key: value, descending: name === '_sort:desc' });
    } else if (name.startsWith('_sort:')) {
      throw new SearchError(400, `The sort syntax ${name} is not supported by this FHIR release.`);
    }
  }
  if (!keys.length) return found;
  const getters = keys.map(({ key, descending }) => {
    const get = sortKeys[type]?.[key];
    if (!get) throw new SearchError(400, `Sorting ${type} by ${key} is not supported.`);
    return { get, descending };
  });
  return [...found].sort((a, b) => {
    for (const { get, descending } of getters) {
      const c = get(a).localeCompare(get(b));
      if (c) return descending ? -c : c;
    }
    return a.id.localeCompare(b.id);
  });
}
