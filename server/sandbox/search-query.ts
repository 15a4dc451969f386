import { FhirRequestError, type ParamKind, type SearchFilter, type SearchQuery, type SortKey } from './engine/types.js';
import { stringModifiers } from './engine/string-match.js';
import type { VersionSpec } from './versions.js';
import { splitUnescaped } from '../../contract/fhir-search-value.js';

const DEFAULT_COUNT = 50;
const MAX_COUNT = 1000;

/** Result-shaping parameters the sandbox accepts and does not act on. */
const ignored = new Set(['_format', '_total', '_summary', '_elements', '_pretty', '_include', '_revinclude']);
const modifiersOf: Record<ParamKind, readonly string[]> = {
  string: stringModifiers,
  token: ['missing'],
  date: ['missing'],
  reference: ['missing'],
};

function integer(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value.trim())) throw new FhirRequestError(400, 'invalid', `${name} must be a whole number.`);
  return Math.min(Math.max(Number(value), min), max);
}

/**
 * Reads search parameters in one release's syntax into a release-neutral query, refusing what
 * the engine cannot do (unknown parameters, modifiers, sort keys) with 400, as strict servers do.
 */
export function readSearch(spec: VersionSpec, type: string, params: Record<string, ParamKind>, pairs: [string, string][]): SearchQuery {
  const filters: SearchFilter[] = [];
  const sort: SortKey[] = [];
  let count = DEFAULT_COUNT;
  let offset = 0;
  for (const [rawName, value] of pairs) {
    const sortKeys = spec.readSort(rawName, value);
    if (sortKeys) {
      for (const key of sortKeys) {
        const kind = params[key.param];
        if (!kind || kind === 'reference') throw new FhirRequestError(400, 'not-supported', `Sorting ${type} by ${key.param} is not supported.`);
      }
      sort.push(...sortKeys);
      continue;
    }
    if (rawName === '_count') count = integer('_count', value, 1, MAX_COUNT);
    else if (rawName === '_offset') offset = integer('_offset', value, 0, Number.MAX_SAFE_INTEGER);
    else if (!ignored.has(rawName.split(':')[0]) && value !== '') filters.push(filterOf(type, params, rawName, value));
  }
  return { filters, sort, count, offset };
}

function filterOf(type: string, params: Record<string, ParamKind>, rawName: string, value: string): SearchFilter {
  const [name, modifier = '', ...rest] = rawName.split(':');
  const kind = params[name];
  if (!kind) throw new FhirRequestError(400, 'not-supported', `The search parameter ${name} is not supported for ${type}.`);
  if (rest.length || (modifier && !modifiersOf[kind].includes(modifier))) {
    throw new FhirRequestError(400, 'not-supported', `The modifier :${modifier} is not supported for ${name}.`);
  }
  // Unescaped commas separate alternatives; each keeps its other escapes for its kind's reading (`\|` in a token).
  const values = splitUnescaped(value, ',').filter((v) => v !== '');
  return { name, modifier, values };
}
