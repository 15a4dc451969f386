import { beforeAll, describe, expect, it } from 'vitest';
import { generatePeople } from '../../../server/sandbox/data/people';
import { shapes } from '../../../server/sandbox/data/shapes';
import { writePerson } from '../../../server/sandbox/data/write-fhir';
import { createMedplumEngine, toR4Query } from '../../../server/sandbox/engine/medplum/medplum-engine';
import type { FhirEngine, OperationResult, Resource, SearchQuery } from '../../../server/sandbox/engine/types';

// The R4 engine: @medplum/fhir-router over the sandbox's indexed memory repository.
const people = generatePeople('r4-engine-test', 12, 1);
const resources = people.flatMap((p) => writePerson(shapes.r4, p));
let engine: FhirEngine;
beforeAll(async () => {
  engine = createMedplumEngine(['Patient', 'Observation', 'Encounter', 'Coverage', 'MedicationRequest']);
  await engine.load(resources);
}, 30_000);

const query = (q: Partial<SearchQuery>): SearchQuery => ({ filters: [], sort: [], count: 50, offset: 0, ...q });
const filter = (name: string, value: string, modifier = '') => ({ name, modifier, values: value.split(',') });
const search = (type: string, q: Partial<SearchQuery>, viaPost = false) => engine.run({ kind: 'search', type, query: query(q), viaPost });
const matches = (result: OperationResult) => {
  if (!('matches' in result)) throw new Error(`expected a searchset, got ${result.status}`);
  return result.matches;
};

describe('the R4 engine on @medplum/fhir-router', () => {
  it('offers only the parameter kinds it can match, for the types it serves', () => {
    const params = engine.paramsOf('Patient')!;
    expect(params).toMatchObject({
      _id: 'token',
      name: 'string',
      family: 'string',
      identifier: 'token',
      birthdate: 'date',
      gender: 'token',
      'general-practitioner': 'reference',
    });
    expect(Object.values(params).every((kind) => ['string', 'token', 'date', 'reference'].includes(kind))).toBe(true);
    expect(engine.paramsOf('Condition')).toBeUndefined();
  });

  it('reads by id and answers 404 for an unknown id', async () => {
    expect(await engine.run({ kind: 'read', type: 'Patient', id: people[0].id })).toMatchObject({ status: 200, resource: { id: people[0].id } });
    expect((await engine.run({ kind: 'read', type: 'Patient', id: 'nobody' })).status).toBe(404);
  });

  it('finds patients by MRN (value or system|value), name:contains and family, by GET and by POST _search', async () => {
    const p = people[5];
    expect(matches(await search('Patient', { filters: [filter('identifier', p.mrn)] })).map((r) => r.id)).toEqual([p.id]);
    expect(
      matches(await search('Patient', { filters: [filter('identifier', `urn:oid:2.16.840.1.113883.3.9999.1|${p.mrn}`)] }, true)).map((r) => r.id),
    ).toEqual([p.id]);
    const part = p.family.slice(1, 3);
    const contains = matches(await search('Patient', { filters: [filter('name', part, 'contains')] }));
    expect(contains.map((r) => r.id)).toContain(p.id);
    expect(contains.every((r: Resource) => JSON.stringify(r.name).toLowerCase().includes(part.toLowerCase()))).toBe(true);
    expect(matches(await search('Patient', { filters: [filter('family', p.family, 'exact')] }, true)).map((r) => r.id)).toContain(p.id);
  });

  it('finds vital signs by bare patient id and category, newest first', async () => {
    const p = people[0];
    const vitals = matches(
      await search('Observation', {
        filters: [filter('patient', p.id), filter('category', 'vital-signs')],
        sort: [{ param: 'date', descending: true }],
      }),
    );
    expect(vitals).toHaveLength(p.vitals.length);
    const times = vitals.map((o) => o.effectiveDateTime as string);
    expect(times).toEqual([...times].sort().reverse());
    expect(vitals.every((o) => o.subject.reference === `Patient/${p.id}`)).toBe(true);
    const bp = matches(await search('Observation', { filters: [filter('patient', `Patient/${p.id}`), filter('code', '85354-9')] }));
    expect(bp).toHaveLength(p.vitals.filter((v) => v.kind === 'bloodPressure').length);
  });

  it('returns the latest encounter with _sort=-date&_count=1, and Coverage by patient or beneficiary', async () => {
    const p = people.find((x) => x.encounters.length > 1)!;
    const [last] = matches(await search('Encounter', { filters: [filter('patient', p.id)], sort: [{ param: 'date', descending: true }], count: 1 }));
    expect(last.id).toBe(p.encounters.at(-1)!.id);
    for (const name of ['patient', 'beneficiary'])
      expect(matches(await search('Coverage', { filters: [filter(name, p.id)] })).map((r) => r.id)).toEqual([`${p.id}-coverage`]);
  });

  it('sorts by several keys with the first one deciding (a gap in MemoryRepository, filled)', async () => {
    const sorted = matches(
      await search('Patient', {
        sort: [
          { param: 'family', descending: false },
          { param: 'given', descending: true },
        ],
      }),
    );
    const keys = sorted.map((r) => [r.name[0].family.toLowerCase(), r.name[0].given[0].toLowerCase()]);
    const expected = [...keys].sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0) : a[0] < b[0] ? -1 : 1));
    expect(keys).toEqual(expected);
  });

  it('pages with _count and _offset and reports the total', async () => {
    const first = await search('Patient', { count: 5, sort: [{ param: 'birthdate', descending: false }] });
    const third = await search('Patient', { count: 5, offset: 10, sort: [{ param: 'birthdate', descending: false }] });
    expect(first).toMatchObject({ total: 12 });
    expect(matches(first)).toHaveLength(5);
    expect(matches(third)).toHaveLength(2);
    expect(matches(third).map((r) => r.id)).not.toContain(matches(first)[0].id);
  });

  it('answers a batch through medplum, entry by entry, a failed read not failing the others', async () => {
    const p = people[1];
    const answers = await engine.runBatch([
      { kind: 'read', type: 'Patient', id: p.id },
      { kind: 'read', type: 'Patient', id: 'nobody' },
      { kind: 'search', type: 'MedicationRequest', query: query({ filters: [filter('patient', p.id)] }) },
    ]);
    expect(answers[0]).toMatchObject({ status: 200, resource: { id: p.id } });
    expect(answers[1]).toMatchObject({ status: 404, outcome: { resourceType: 'OperationOutcome' } });
    expect(answers[2]).toMatchObject({ status: 200, total: p.medications.length });
  });

  it('writes queries in R4 syntax', () => {
    expect(
      toR4Query(
        query({
          filters: [filter('family', 'hau', 'contains')],
          sort: [
            { param: 'family', descending: false },
            { param: 'date', descending: true },
          ],
          count: 3,
          offset: 6,
        }),
      ),
    ).toEqual([
      ['family:contains', 'hau'],
      ['_sort', 'family,-date'],
      ['_count', '3'],
      ['_offset', '6'],
    ]);
  });
});
