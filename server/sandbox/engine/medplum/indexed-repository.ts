import {
  evalFhirPath,
  getSearchParameter,
  matchesSearchRequest,
  Operator,
  parseFhirPath,
  type Filter,
  type FhirPathAtom,
  type SearchRequest,
  type WithId,
} from '@medplum/core';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { MemoryRepository } from '@medplum/fhir-router';
import { perResource } from '../memo.js';
import { matchString, searchableStrings } from '../string-match.js';
import { splitUnescaped, unescapeSearchValue } from '../../../../contract/fhir-search-value.js';

/** Reference parameters that name a patient by bare id in the Patients contract (`patient=123`). */
const patientLinks = new Set(['patient', 'subject', 'beneficiary']);
const lastTwo = (ref: string) => ref.split('/').slice(-2).join('/');
const asPatientRef = (value: string) => (value.includes('/') ? lastTwo(value) : `Patient/${value}`);
/** The string search operators matched here: the default (starts with), `:contains` and `:exact`. */
const stringOperators = new Set<Operator>([Operator.EQUALS, Operator.CONTAINS, Operator.EXACT]);

/**
 * Medplum's MemoryRepository with the gaps filled that the sandbox found:
 * - `patient=...` on clinical resources is `subject.where(resolve() is Patient)` in R4; the
 *   memory repository evaluates `resolve()` per resource (about 1 ms each) and never matches a
 *   bare id. Here `patient` is answered from an index of patient links, and a bare id on
 *   `patient`, `subject` or `beneficiary` means `Patient/{id}`.
 * - several `_sort` keys: the memory repository sorts once per key, so the last key wins; here
 *   the first key decides and later keys break ties; sort expressions are parsed once and cut
 *   to the searched type (unparsed, the union behind `date` cost about 15 ms per search).
 * - string parameters (`name`, `family`, `given`…): @medplum/core's in-memory matcher finds the
 *   text anywhere, whatever the modifier, so `name=ax` found Max in R4 but not in the other
 *   releases. Here they follow FHIR's string search as DSTU2 and STU3 do (`../string-match.ts`).
 * Every other filter is still matched by @medplum/core's `matchesSearchRequest`.
 */
export class IndexedMemoryRepository extends MemoryRepository {
  private readonly byType = new Map<string, Map<string, WithId<Resource>>>();
  /** type → `Patient/{id}` → ids of that type linked to the patient. */
  private readonly byPatient = new Map<string, Map<string, Set<string>>>();

  override async createResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    const stored = await super.createResource(resource);
    const ofType = this.byType.get(stored.resourceType) ?? new Map<string, WithId<Resource>>();
    this.byType.set(stored.resourceType, ofType);
    const previous = ofType.get(stored.id);
    if (previous) this.patientLinksOf(previous).forEach((ref) => this.byPatient.get(stored.resourceType)?.get(ref)?.delete(stored.id));
    ofType.set(stored.id, stored);
    const links = this.byPatient.get(stored.resourceType) ?? new Map<string, Set<string>>();
    this.byPatient.set(stored.resourceType, links);
    for (const ref of this.patientLinksOf(stored)) {
      if (!links.has(ref)) links.set(ref, new Set());
      links.get(ref)!.add(stored.id);
    }
    return stored;
  }

  override async deleteResource(resourceType: string, id: string): Promise<void> {
    await super.deleteResource(resourceType, id);
    const previous = this.byType.get(resourceType)?.get(id);
    if (previous) this.patientLinksOf(previous).forEach((ref) => this.byPatient.get(resourceType)?.get(ref)?.delete(id));
    this.byType.get(resourceType)?.delete(id);
  }

  override async search<T extends Resource>(request: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    const type = request.resourceType;
    const filters = (request.filters ?? []).map((f) =>
      patientLinks.has(f.code) && f.operator === Operator.EQUALS ? { ...f, value: f.value.split(',').map(asPatientRef).join(',') } : f,
    );
    const link = type === 'Patient' ? undefined : filters.find((f) => f.code === 'patient' && f.operator === Operator.EQUALS);
    const all = this.byType.get(type) ?? new Map<string, WithId<Resource>>();
    let candidates: WithId<Resource>[];
    if (link) {
      const ids = new Set(link.value.split(',').flatMap((ref) => [...(this.byPatient.get(type)?.get(ref) ?? [])]));
      candidates = [...ids].map((id) => all.get(id)!).filter(Boolean);
    } else {
      candidates = [...all.values()];
    }
    const byString = filters.filter((f) => f !== link && stringOperators.has(f.operator) && this.stringExpression(type, f.code));
    const rest = { resourceType: type, filters: filters.filter((f) => f !== link && !byString.includes(f)) } as SearchRequest;
    const restKey = JSON.stringify(rest.filters);
    const matched = candidates.filter(
      (r) => this.matches(r, restKey, () => matchesSearchRequest(r, rest)) && byString.every((f) => this.matchesString(type, r, f)),
    );
    const sorted = this.sort(type, matched, request.sortRules ?? []);
    const offset = request.offset ?? 0;
    const page = request.count === undefined ? sorted.slice(offset) : sorted.slice(offset, offset + request.count);
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: matched.length,
      ...(page.length ? { entry: page.map((resource) => ({ resource: resource as WithId<T> })) } : {}),
    };
  }

  /** Whether a resource matches the filters @medplum/core evaluates (FHIRPath each time otherwise). */
  private readonly matches = perResource<boolean>();
  /** A resource's sort text per sort expression. */
  private readonly sortTexts = perResource<string>();

  private readonly stringExpressions = new Map<string, FhirPathAtom | null>();

  /** The parsed expression of a string search parameter; null for a parameter of another type. */
  private stringExpression(type: string, code: string): FhirPathAtom | null {
    const key = `${type}.${code}`;
    if (!this.stringExpressions.has(key)) {
      const param = getSearchParameter(type, code);
      this.stringExpressions.set(key, param?.type === 'string' && param.expression ? parseFhirPath(param.expression) : null);
    }
    return this.stringExpressions.get(key)!;
  }

  private matchesString(type: string, resource: WithId<Resource>, filter: Filter): boolean {
    const values = evalFhirPath(this.stringExpression(type, filter.code)!, resource).flatMap(searchableStrings);
    const modifier = filter.operator === Operator.CONTAINS ? 'contains' : filter.operator === Operator.EXACT ? 'exact' : '';
    // Unescaped commas separate alternatives; escaped characters are themselves (contract/fhir-search-value.ts).
    const wanted = splitUnescaped(filter.value, ',').map(unescapeSearchValue);
    return wanted.some((w) => w !== '' && matchString(values, w, modifier));
  }

  /** The patients a resource links to through `subject`, `patient` or `beneficiary`. */
  private patientLinksOf(resource: Resource): string[] {
    const r = resource as { subject?: { reference?: unknown }; patient?: { reference?: unknown }; beneficiary?: { reference?: unknown } };
    return [r.subject, r.patient, r.beneficiary]
      .map((v) => v?.reference)
      .filter((ref): ref is string => typeof ref === 'string' && lastTwo(ref).startsWith('Patient/'))
      .map(lastTwo);
  }

  /** Parsed sort expressions, narrowed to the type: `date` alone unions some thirty resource types. */
  private readonly sortExpressions = new Map<string, FhirPathAtom | null>();

  private sortExpression(type: string, code: string): FhirPathAtom | null {
    const key = `${type}.${code}`;
    if (!this.sortExpressions.has(key)) {
      const expression = getSearchParameter(type, code)?.expression;
      const own = expression
        ?.split('|')
        .map((part) => part.trim())
        .filter((part) => part.replace(/^\(/, '').startsWith(`${type}.`));
      let parsed: FhirPathAtom | null = expression ? parseFhirPath(expression) : null;
      try {
        if (own?.length) parsed = parseFhirPath(own.join(' | '));
      } catch {
        // A `|` inside the expression itself: keep the whole, slower, union.
      }
      this.sortExpressions.set(key, parsed);
    }
    return this.sortExpressions.get(key)!;
  }

  private sort(type: string, found: WithId<Resource>[], rules: { code: string; descending?: boolean }[]): WithId<Resource>[] {
    const keys = rules
      .map((rule) => ({ key: `${type}.${rule.code}`, expression: this.sortExpression(type, rule.code), descending: rule.descending }))
      .filter((k): k is { key: string; expression: FhirPathAtom; descending: boolean | undefined } => k.expression !== null);
    if (!keys.length) return found;
    const decorated = found.map((r) => ({
      r,
      k: keys.map((key) => this.sortTexts(r, key.key, () => sortText(evalFhirPath(key.expression, r)[0]))),
    }));
    decorated.sort((a, b) => {
      for (let i = 0; i < keys.length; i++) {
        const [x, y] = [a.k[i], b.k[i]];
        if (x === y) continue;
        if (!x || !y) return x ? -1 : 1; // missing values last
        return (x < y ? -1 : 1) * (keys[i].descending ? -1 : 1);
      }
      return a.r.id < b.r.id ? -1 : 1;
    });
    return decorated.map((d) => d.r);
  }
}

/** A sortable text for a FHIRPath result: dates and strings as they are, a Period by its start, a name by family then given. */
function sortText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'object') return String(value).toLowerCase();
  const v = value as Record<string, unknown>;
  if (typeof v.start === 'string') return v.start;
  if (v.family !== undefined || v.given !== undefined) return [v.family, ...((v.given as string[]) ?? [])].join(' ').toLowerCase();
  if (typeof v.value === 'string') return v.value.toLowerCase();
  return JSON.stringify(v);
}
