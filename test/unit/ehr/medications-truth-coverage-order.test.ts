import { describe, expect, it } from 'vitest';
import { readCoverage } from '../../../server/ehr/clinical/medications.js';
import type { JsonObject } from '../../../server/ehr/json.js';

/**
 * Coverage.order (STU3 https://hl7.org/fhir/STU3/coverage-definitions.html#Coverage.order, R4
 * https://hl7.org/fhir/R4/coverage-definitions.html#Coverage.order): "the order of applicability of
 * this coverage relative to other coverages which are currently in force". Coverages are listed by
 * it, ascending (the primary first), those without one after; then newest period start first.
 */
const coverage = (payer: string, start: string, order?: number): JsonObject => ({
  resourceType: 'Coverage',
  beneficiary: { reference: 'Patient/p' },
  status: 'active',
  payor: [{ display: payer }],
  period: { start },
  ...(order === undefined ? {} : { order }),
});

describe.each(['STU3', 'R4'])('Coverage.order (%s)', () => {
  it('lists order 1 before order 2, whatever their period starts', () => {
    const v = readCoverage([coverage('Secondary Co', '2025-01-01', 2), coverage('Primary Co', '2015-01-01', 1)]);
    expect(v.map((c) => c.payer)).toEqual(['Primary Co', 'Secondary Co']);
  });

  it('puts coverages without an order after those with one, newest start first among them', () => {
    const v = readCoverage([
      coverage('Old unordered', '2010-01-01'),
      coverage('New unordered', '2024-01-01'),
      coverage('Secondary Co', '2025-01-01', 2),
      coverage('Primary Co', '2015-01-01', 1),
    ]);
    expect(v.map((c) => c.payer)).toEqual(['Primary Co', 'Secondary Co', 'New unordered', 'Old unordered']);
  });
});
