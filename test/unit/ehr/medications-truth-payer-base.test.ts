import { describe, expect, it } from 'vitest';
import { readCoverage, unnamedPayors } from '../../../server/ehr/clinical/medications.js';
import type { JsonObject } from '../../../server/ehr/json.js';

/**
 * Reference.reference is a "relative or absolute URL" (DSTU2 https://hl7.org/fhir/DSTU2/references.html,
 * STU3, R4 https://hl7.org/fhir/R4/references.html): a payer given as an absolute URL on the EHR's own
 * base (DSTU2 Coverage.issuer, STU3/R4 Coverage.payor) is that base's `Organization/{id}`, read and
 * named as the relative reference is. A URL on another server is never read.
 */
const BASE = 'https://ehr.example.org/fhir/r4';
const NOW = Date.parse('2026-06-15T12:00:00Z');

const coverage = (release: 'DSTU2' | 'STU3' | 'R4', reference: string): JsonObject => ({
  resourceType: 'Coverage',
  status: 'active',
  ...(release === 'DSTU2' ? { issuer: { reference } } : { payor: [{ reference }] }),
});

describe.each(['DSTU2', 'STU3', 'R4'] as const)('%s payer given as an absolute URL', (release) => {
  it('on the EHR’s base: asked as Organization/{id} and named by it, never "payer not stated"', () => {
    const resources = [coverage(release, `${BASE}/Organization/aetna`)];
    expect(unnamedPayors(resources, BASE)).toEqual(['Organization/aetna']);
    const [view] = readCoverage(resources, NOW, new Map([['Organization/aetna', 'Aetna']]), BASE);
    expect(view.payer).toBe('Aetna');
  });

  it('on the base with a version, or a trailing slash on the base: the same Organization', () => {
    const resources = [coverage(release, `${BASE}/Organization/aetna/_history/3`)];
    expect(unnamedPayors(resources, `${BASE}/`)).toEqual(['Organization/aetna']);
    expect(readCoverage(resources, NOW, new Map([['Organization/aetna', 'Aetna']]), `${BASE}/`)[0].payer).toBe('Aetna');
  });

  it('on another server, or another path of the same server: never read, never named by this EHR’s Organization', () => {
    for (const reference of ['https://other.example.org/fhir/r4/Organization/aetna', 'https://ehr.example.org/fhir/stu3/Organization/aetna']) {
      const resources = [coverage(release, reference)];
      expect(unnamedPayors(resources, BASE), reference).toEqual([]);
      expect(readCoverage(resources, NOW, new Map([['Organization/aetna', 'Aetna']]), BASE)[0].payer, reference).toBeNull();
    }
  });

  it('a relative reference reads as before', () => {
    const resources = [coverage(release, 'Organization/aetna')];
    expect(unnamedPayors(resources)).toEqual(['Organization/aetna']);
    expect(readCoverage(resources, NOW, new Map([['Organization/aetna', 'Aetna']]))[0].payer).toBe('Aetna');
  });
});
