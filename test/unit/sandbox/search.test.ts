import { describe, expect, it } from 'vitest';
import { matchesFilter, sortBy } from '../../../server/sandbox/engine/memory/match';
import { createMemoryEngine } from '../../../server/sandbox/engine/memory/memory-engine';
import { dstu2Params, stu3Params, type ParamDef } from '../../../server/sandbox/engine/memory/params';
import { FhirRequestError, type Resource, type SearchQuery } from '../../../server/sandbox/engine/types';
import { readSearch } from '../../../server/sandbox/search-query';
import { sandboxVersions, versionSpecs } from '../../../server/sandbox/versions';

const patient = (id: string, family: string | string[], given: string[], extra: Record<string, unknown> = {}): Resource => ({
  resourceType: 'Patient',
  id,
  name: [{ family, given, prefix: ['Ms.'] }],
  ...extra,
});
const def = (kind: ParamDef['kind'], ...paths: string[]): ParamDef => ({ kind, paths, target: kind === 'reference' ? 'Patient' : undefined });
const matches = (r: Resource, d: ParamDef, value: string, modifier = '') => matchesFilter(r, d, { name: 'x', modifier, values: value.split(',') });

describe('matching one search parameter', () => {
  const hugh = patient('1', 'Chaudhry', ['Hugh']);
  const zoe = patient('2', ['Müller'], ['Zoë', 'Anne']);

  it('matches strings from the start, case- and accent-insensitively, or anywhere with :contains, or exactly with :exact', () => {
    expect(matches(hugh, def('string', 'name.family'), 'chau')).toBe(true);
    expect(matches(hugh, def('string', 'name.family'), 'audh')).toBe(false);
    expect(matches(hugh, def('string', 'name.family'), 'audh', 'contains')).toBe(true);
    expect(matches(zoe, def('string', 'name.family'), 'mull')).toBe(true); // DSTU2 family array, accent folded
    expect(matches(zoe, def('string', 'name'), 'zoe')).toBe(true);
    expect(matches(zoe, def('string', 'name'), 'Müller', 'exact')).toBe(true);
    expect(matches(zoe, def('string', 'name'), 'müller', 'exact')).toBe(false);
    expect(matches(patient('3', '张', ['伟']), def('string', 'name'), '张')).toBe(true);
  });

  it('matches tokens as code, system|code, |code, and identifiers by value', () => {
    const obs: Resource = {
      resourceType: 'Observation',
      id: 'o',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    };
    const d = def('token', 'category');
    expect(matches(obs, d, 'vital-signs')).toBe(true);
    expect(matches(obs, d, 'http://terminology.hl7.org/CodeSystem/observation-category|vital-signs')).toBe(true);
    expect(matches(obs, d, 'http://hl7.org/fhir/observation-category|vital-signs')).toBe(false);
    expect(matches(obs, d, '|vital-signs')).toBe(false);
    expect(matches(obs, d, 'laboratory,vital-signs')).toBe(true);
    const withMrn = patient('4', 'A', ['B'], { identifier: [{ system: 'urn:mrn', value: '1234567' }] });
    expect(matches(withMrn, def('token', 'identifier'), '1234567')).toBe(true);
    expect(matches(withMrn, def('token', 'identifier'), 'urn:mrn|1234567')).toBe(true);
    expect(matches(withMrn, def('token', 'identifier'), 'urn:other|1234567')).toBe(false);
  });

  it('reads a single Coding written where the spec has an array (as published sample records do) as one coding', () => {
    const obs: Resource = {
      resourceType: 'Observation',
      id: 'o',
      category: [{ coding: { system: 'http://hl7.org/fhir/observation-category', code: 'vital-signs' }, text: 'Vital Signs' }],
    };
    expect(matches(obs, def('token', 'category'), 'vital-signs')).toBe(true);
    expect(matches(obs, def('token', 'category'), 'http://hl7.org/fhir/observation-category|vital-signs')).toBe(true);
    expect(matches(obs, def('token', 'category'), 'laboratory')).toBe(false);
  });

  it('matches dates at the precision asked, with prefixes', () => {
    const p = patient('5', 'A', ['B'], { birthDate: '1951-08-14' });
    const d = def('date', 'birthDate');
    expect(matches(p, d, '1951-08-14')).toBe(true);
    expect(matches(p, d, '1951-08')).toBe(true);
    expect(matches(p, d, '1951-08-15')).toBe(false);
    expect(matches(p, d, 'ge1951-01-01')).toBe(true);
    expect(matches(p, d, 'lt1951-08-14')).toBe(false);
    expect(matches(p, d, 'not-a-date')).toBe(false);
  });

  it('matches references by bare id (of the target type), Type/id or absolute URL', () => {
    const cond: Resource = { resourceType: 'Condition', id: 'c', subject: { reference: 'Patient/p-1' } };
    const d = def('reference', 'subject');
    for (const value of ['p-1', 'Patient/p-1', 'http://x/fhir/Patient/p-1']) expect(matches(cond, d, value)).toBe(true);
    expect(matches(cond, d, 'p-2')).toBe(false);
    expect(matches(cond, d, 'Group/p-1')).toBe(false);
    expect(matchesFilter(cond, d, { name: 'subject', modifier: 'missing', values: ['false'] })).toBe(true);
  });

  it('sorts by the first key, then the next, missing values last', () => {
    const list = [
      patient('a', 'Chau', ['Ivy']),
      patient('b', 'Adeyemi', ['Omar']),
      patient('c', 'Chau', ['Hugh']),
      { resourceType: 'Patient', id: 'd' },
    ];
    const family = def('string', 'name.family');
    const given = def('string', 'name.given');
    expect(
      sortBy(list, [
        { def: family, descending: false },
        { def: given, descending: false },
      ]).map((r) => r.id),
    ).toEqual(['b', 'c', 'a', 'd']);
    expect(
      sortBy(list, [
        { def: family, descending: true },
        { def: given, descending: false },
      ]).map((r) => r.id),
    ).toEqual(['c', 'a', 'b', 'd']);
  });
});

describe('reading search parameters in each release syntax', () => {
  const params = { family: 'string', name: 'string', identifier: 'token', date: 'date', patient: 'reference' } as const;
  const read = (version: 'dstu2' | 'stu3' | 'r4', pairs: [string, string][], type = 'Patient') =>
    readSearch(versionSpecs[version], type, params, pairs);
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error instanceof FhirRequestError ? error.status : 'other';
    }
    return 'accepted';
  };

  it('reads DSTU2 _sort:desc / _sort:asc / _sort and refuses the minus sign', () => {
    expect(
      read('dstu2', [
        ['_sort:desc', 'date'],
        ['_sort:asc', 'family'],
        ['_sort', 'name'],
      ]).sort,
    ).toEqual([
      { param: 'date', descending: true },
      { param: 'family', descending: false },
      { param: 'name', descending: false },
    ]);
    expect(refusal(() => read('dstu2', [['_sort', '-date']]))).toBe(400);
  });

  it('reads STU3 and R4 _sort=-a,b and refuses the DSTU2 modifier syntax', () => {
    for (const v of ['stu3', 'r4'] as const) {
      expect(read(v, [['_sort', '-date,family']]).sort).toEqual([
        { param: 'date', descending: true },
        { param: 'family', descending: false },
      ]);
      expect(refusal(() => read(v, [['_sort:desc', 'date']]))).toBe(400);
    }
  });

  it('reads string modifiers the same in every release: none is the start of a part, :contains, :exact', () => {
    for (const version of sandboxVersions) {
      expect(read(version, [['family', 'hau']]).filters).toEqual([{ name: 'family', modifier: '', values: ['hau'] }]);
      expect(read(version, [['name', 'hau']]).filters[0].modifier).toBe('');
      expect(read(version, [['family:contains', 'hau']]).filters[0].modifier).toBe('contains');
      expect(read(version, [['name:contains', 'hau']]).filters[0].modifier).toBe('contains');
      expect(read(version, [['family:exact', 'Chau']]).filters[0].modifier).toBe('exact');
    }
  });

  it('refuses unknown parameters, modifiers and sort keys, and bad counts; clamps big counts', () => {
    expect(refusal(() => read('r4', [['bogus', '1']]))).toBe(400);
    expect(refusal(() => read('r4', [['identifier:contains', '1']]))).toBe(400);
    expect(refusal(() => read('r4', [['_sort', 'bogus']]))).toBe(400);
    expect(refusal(() => read('r4', [['_count', 'ten']]))).toBe(400);
    expect(
      read('r4', [
        ['_count', '999999'],
        ['_offset', '20'],
      ]),
    ).toMatchObject({ count: 1000, offset: 20 });
    expect(
      read('r4', [
        ['_format', 'json'],
        ['family', ''],
      ]).filters,
    ).toEqual([]);
  });

  it('splits alternatives on commas but not on escaped ones, keeping the escapes for the kind to read', () => {
    expect(read('stu3', [['name', 'a,b\\,c']]).filters[0].values).toEqual(['a', 'b\\,c']);
    expect(read('stu3', [['identifier', 'x\\|1\\\\,2']]).filters[0].values).toEqual(['x\\|1\\\\', '2']);
  });
});

describe('the DSTU2 and STU3 parameter tables', () => {
  it('cover every resource type each release serves, with a patient link on the clinical ones', () => {
    for (const [version, table] of [
      ['dstu2', dstu2Params],
      ['stu3', stu3Params],
    ] as const) {
      for (const type of versionSpecs[version].resourceTypes) {
        expect(table[type], `${version} ${type}`).toBeDefined();
        if (!['Patient', 'Practitioner', 'Medication'].includes(type)) expect(table[type].patient, `${version} ${type}.patient`).toBeDefined();
      }
    }
    expect(dstu2Params.Condition['date-recorded'].paths).toEqual(['dateRecorded']);
    expect(stu3Params.Condition['asserted-date'].paths).toEqual(['assertedDate']);
    expect(dstu2Params.Encounter.patient.paths).toEqual(['patient']);
    expect(stu3Params.Encounter.patient.paths).toEqual(['subject']);
    expect(sandboxVersions).toEqual(['dstu2', 'stu3', 'r4']);
  });
});

describe('the memory engine', () => {
  const query = (q: Partial<SearchQuery>): SearchQuery => ({ filters: [], sort: [], count: 50, offset: 0, ...q });

  it('reads, searches, sorts and pages one store', async () => {
    const engine = createMemoryEngine(stu3Params);
    await engine.load([patient('a', 'Chau', ['Ivy']), patient('b', 'Chau', ['Hugh']), patient('c', 'Okafor', ['Amara'])]);
    expect(await engine.run({ kind: 'read', type: 'Patient', id: 'b' })).toMatchObject({ status: 200, resource: { id: 'b' } });
    expect(await engine.run({ kind: 'read', type: 'Patient', id: 'zz' })).toMatchObject({
      status: 404,
      outcome: { resourceType: 'OperationOutcome' },
    });
    const sorted = await engine.run({
      kind: 'search',
      type: 'Patient',
      query: query({
        filters: [{ name: 'family', modifier: '', values: ['chau'] }],
        sort: [{ param: 'given', descending: false }],
        count: 1,
        offset: 1,
      }),
    });
    expect(sorted).toEqual({ status: 200, matches: [expect.objectContaining({ id: 'a' })], total: 2 });
    const [one, bad] = await engine.runBatch([
      { kind: 'search', type: 'Patient', query: query({ filters: [{ name: '_id', modifier: '', values: ['c'] }] }) },
      { kind: 'search', type: 'Patient', query: query({ filters: [{ name: 'bogus', modifier: '', values: ['x'] }] }) },
    ]);
    expect(one).toMatchObject({ status: 200, total: 1 });
    expect(bad.status).toBe(400);
  });
});
