import { describe, expect, it } from 'vitest';
import { perResource } from '../../../server/sandbox/engine/memo';
import { createMedplumEngine } from '../../../server/sandbox/engine/medplum/medplum-engine';
import { createMemoryEngine } from '../../../server/sandbox/engine/memory/memory-engine';
import { stu3Params } from '../../../server/sandbox/engine/memory/params';
import type { FhirEngine, Resource } from '../../../server/sandbox/engine/types';

describe('what a search works out about a stored resource', () => {
  it('is worked out once per resource and question, and afresh for a new object', () => {
    const memo = perResource<number>();
    let work = 0;
    const a = { id: 'a' };
    const ask = (r: object, key: string) => memo(r, key, () => ++work);
    expect([ask(a, 'x'), ask(a, 'x'), ask(a, 'y'), ask(a, 'x')]).toEqual([1, 1, 2, 1]);
    expect(ask({ id: 'a' }, 'x')).toBe(3);
    expect(work).toBe(3);
  });
});

const vital = (id: string, date: string, category = 'vital-signs'): Resource => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: category }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: date,
});
const patient: Resource = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Auer', given: ['Ann'] }] };

const engines: [string, () => FhirEngine][] = [
  ['R4 (medplum)', () => createMedplumEngine(['Patient', 'Observation'])],
  ['STU3 (memory)', () => createMemoryEngine(stu3Params)],
];

describe.each(engines)('searches of %s over resources replaced after an earlier search', (_name, create) => {
  const newestVitals = async (engine: FhirEngine) => {
    const result = await engine.run({
      kind: 'search',
      type: 'Observation',
      query: {
        filters: [
          { name: 'patient', modifier: '', values: ['p1'] },
          { name: 'category', modifier: '', values: ['vital-signs'] },
        ],
        sort: [{ param: 'date', descending: true }],
        count: 10,
        offset: 0,
      },
    });
    if (!('matches' in result)) throw new Error(`the search failed: ${JSON.stringify(result)}`);
    return result.matches.map((r) => `${r.id} ${r.effectiveDateTime}`);
  };

  it('answer from the resources as they are now: a new category and a new time count', async () => {
    const engine = create();
    await engine.load([patient, vital('o1', '2026-11-01T08:00:00Z'), vital('o2', '2026-11-02T08:00:00Z'), vital('o3', '2026-11-03T08:00:00Z')]);
    expect(await newestVitals(engine)).toEqual(['o3 2026-11-03T08:00:00Z', 'o2 2026-11-02T08:00:00Z', 'o1 2026-11-01T08:00:00Z']);
    // The same searches again (answered from what was worked out), then o1 newest and o3 a lab result.
    expect(await newestVitals(engine)).toEqual(['o3 2026-11-03T08:00:00Z', 'o2 2026-11-02T08:00:00Z', 'o1 2026-11-01T08:00:00Z']);
    await engine.load([vital('o1', '2026-11-04T08:00:00Z'), vital('o3', '2026-11-03T08:00:00Z', 'laboratory')]);
    expect(await newestVitals(engine)).toEqual(['o1 2026-11-04T08:00:00Z', 'o2 2026-11-02T08:00:00Z']);
  });
});
