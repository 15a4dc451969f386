import { beforeAll, describe, expect, it } from 'vitest';
import type { FhirEngine, Resource } from '../../../server/sandbox/engine/types';
import { capabilityStatement } from '../../../server/sandbox/capability';
import { readSearch } from '../../../server/sandbox/search-query';
import { sandboxVersions, versionSpecs, type SandboxVersion } from '../../../server/sandbox/versions';

/**
 * FHIR string search in each release the sandbox speaks (search.html#string, the same rule in
 * DSTU2, STU3 and R4): the same patients, the same questions, the same answers.
 */

const people = [
  { id: 'auer', family: 'Auer', given: ['Valentin'] },
  { id: 'dicki', family: 'Dicki', given: ['Max'] },
  { id: 'muller', family: 'Müller-Lüdenscheidt', given: ['Zoë', 'Anne'] },
  { id: 'vandyke', family: 'Van Dyke', given: ['Mary'] },
  { id: 'zhang', family: '张', given: ['伟'] },
];

/** A Patient as each release writes it: DSTU2's `family` is a list. */
const patientIn = (version: SandboxVersion, p: (typeof people)[number]): Resource => ({
  resourceType: 'Patient',
  id: p.id,
  name: [{ use: 'official', family: version === 'dstu2' ? [p.family] : p.family, given: p.given, prefix: ['Dr.'] }],
});

const engines = {} as Record<SandboxVersion, FhirEngine>;
beforeAll(async () => {
  for (const version of sandboxVersions) {
    engines[version] = versionSpecs[version].createEngine();
    await engines[version].load(people.map((p) => patientIn(version, p)));
  }
}, 30_000);

async function found(version: SandboxVersion, name: string, value: string): Promise<string[]> {
  const engine = engines[version];
  const query = readSearch(versionSpecs[version], 'Patient', engine.paramsOf('Patient')!, [[name, value]]);
  const result = await engine.run({ kind: 'search', type: 'Patient', query });
  if (!('matches' in result)) throw new Error(`search ${name}=${value} failed with ${result.status}`);
  return result.matches.map((r) => r.id).sort();
}

const table: [string, string, string[]][] = [
  // By default: the start of a name part, case and accents ignored.
  ['name', 'au', ['auer']],
  ['name', 'AU', ['auer']],
  ['name', 'uer', []],
  ['name', 'ax', []],
  ['name', 'max', ['dicki']],
  ['name', 'mull', ['muller']],
  ['name', 'lud', ['muller']],
  ['name', 'dyke', ['vandyke']],
  ['name', 'dr', people.map((p) => p.id).sort()],
  ['name', '张', ['zhang']],
  ['family', 'val', []],
  ['given', 'val', ['auer']],
  ['name', 'au,max', ['auer', 'dicki']],
  // :contains: anywhere in a part.
  ['name:contains', 'uer', ['auer']],
  ['name:contains', 'ax', ['dicki']],
  ['name:contains', 'ENSCH', ['muller']],
  ['family:contains', 'uer', ['auer']],
  ['given:contains', 'ar', ['vandyke']],
  // :exact: the whole part as written.
  ['name:exact', 'Auer', ['auer']],
  ['name:exact', 'auer', []],
  ['family:exact', 'Müller-Lüdenscheidt', ['muller']],
];

describe.each(sandboxVersions)('string search in the %s sandbox', (version) => {
  it.each(table)('%s=%s finds %j', async (name, value, expected) => {
    expect(await found(version, name, value)).toEqual(expected);
  });
});

describe('string search across releases', () => {
  it('gives the same patients for every question in DSTU2, STU3 and R4', async () => {
    for (const [name, value] of table) {
      const answers = await Promise.all(sandboxVersions.map((v) => found(v, name, value)));
      expect(new Set(answers.map((a) => a.join(',')))).toHaveLength(1);
    }
  });
});

describe('what the capability statement says about :contains', () => {
  const statement = (version: SandboxVersion, contains?: boolean) =>
    capabilityStatement(versionSpecs[version], engines[version], 'https://t/token', 'https://t/authorize', { contains }) as unknown as {
      rest: { resource: { type: string; searchParam: { name: string; modifier?: string[] }[] }[] }[];
    };
  const nameParam = (version: SandboxVersion, contains?: boolean) =>
    statement(version, contains)
      .rest[0].resource.find((r) => r.type === 'Patient')!
      .searchParam.find((p) => p.name === 'name')!;

  it('lists the string modifiers in a DSTU2 Conformance, without contains when the endpoint plays a server that lacks it', () => {
    expect(nameParam('dstu2').modifier).toEqual(['contains', 'exact', 'missing']);
    expect(nameParam('dstu2', false).modifier).toEqual(['exact', 'missing']);
  });

  it('lists none in STU3 and R4, whose CapabilityStatement has no place for them', () => {
    for (const version of ['stu3', 'r4'] as const) expect(nameParam(version, false)).not.toHaveProperty('modifier');
  });
});
