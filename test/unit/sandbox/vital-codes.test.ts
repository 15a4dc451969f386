import { describe, expect, it } from 'vitest';
import { generatePeople } from '../../../server/sandbox/data/people';
import { shapes } from '../../../server/sandbox/data/shapes';
import { writePerson } from '../../../server/sandbox/data/write-fhir';

/** The sandbox records some vital signs as real EHRs do: oral temperatures and measured weights. */
const people = generatePeople('7d3f0c3e-1c1a-4d7e-9a55-0c0a8d1e2b01', 12, 42);

describe.each(['dstu2', 'stu3', 'r4'] as const)('sandbox vital codes in %s', (version) => {
  const codes = people.map((p) =>
    writePerson(shapes[version], p)
      .filter((r) => r.resourceType === 'Observation')
      .map((r) => (r as unknown as { code: { coding: { code: string }[] } }).code.coding[0].code),
  );
  it('writes oral temperatures (8331-1) for some patients and the profile code (8310-5) for the others', () => {
    expect(codes.filter((c) => c.includes('8331-1')).length).toBeGreaterThanOrEqual(3);
    expect(codes.filter((c) => c.includes('8310-5')).length).toBeGreaterThanOrEqual(3);
    for (const c of codes) expect(c.includes('8331-1') && c.includes('8310-5')).toBe(false);
  });
  it('writes measured weights (3141-9) for some patients and the profile code (29463-7) for the others', () => {
    expect(codes.filter((c) => c.includes('3141-9')).length).toBeGreaterThanOrEqual(2);
    expect(codes.filter((c) => c.includes('29463-7')).length).toBeGreaterThanOrEqual(2);
  });
});
