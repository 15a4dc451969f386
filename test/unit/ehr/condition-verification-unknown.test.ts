import { describe, expect, it } from 'vitest';
import { showCell } from '../../../client/shared/cells';
import { conditionFacts } from '../../../client/features/patient-details/condition-facts.js';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import { readConditions } from '../../../server/ehr/clinical/records.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import { cellText } from '../../../server/features/lists/cell-text.js';
import { csvRowOf } from './clinical-server.js';

/**
 * Condition.verificationStatus `unknown` (DSTU2 and STU3 condition-ver-status: "there is not enough
 * information to determine the certainty status") states no verification: DSTU2 requires the element
 * (1..1), so an EHR that keeps none sends `unknown` on every problem, and R4 dropped the code, leaving
 * the element out (0..1) to say the same. The list and the CSV show such a problem as one without a
 * verification, never "(unconfirmed)", which would call every problem of such an EHR in doubt; the
 * details say "verification unknown", never a bare "unknown" beside the clinical status.
 */
type Release = 'DSTU2' | 'STU3' | 'R4';
const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';

/** A current problem, with this verification as `release` writes it (R4: none, as R4 has no `unknown`). */
function problem(release: Release, verification: string | null, text = 'Type 2 diabetes mellitus'): JsonObject {
  const r4 = release === 'R4';
  const verificationStatus = verification === null ? undefined : r4 ? { coding: [{ system: VERIFICATION, code: verification }] } : verification;
  return {
    resourceType: 'Condition',
    ...(release === 'DSTU2' ? { patient: { reference: 'Patient/p1' } } : { subject: { reference: 'Patient/p1' } }),
    code: { coding: [{ system: 'http://snomed.info/sct', code: '44054006', display: text }] },
    clinicalStatus: r4 ? { coding: [{ system: CLINICAL, code: 'active' }] } : 'active',
    ...(verificationStatus === undefined ? {} : { verificationStatus }),
    onsetDateTime: '2019-04-02',
  };
}

/** The conditions cell as the list and the CSV show it. */
function shown(resources: JsonObject[]): { list: string; csv: string } {
  const cells = assemblePart('conditions', { ok: true, set: { resources, included: [] } }, new Map(), new Warnings());
  const clinical = { careProvider: { status: 'none' }, warnings: [], ...cells } as unknown as PatientClinical;
  const cell = cellsFor(['conditions'], clinical, undefined).conditions;
  const display = showCell('conditions', cell);
  return { list: display.full ?? display.text, csv: cellText('conditions', csvRowOf({ conditions: cell }), 'UTC') };
}

describe.each(['DSTU2', 'STU3'] as const)('a problem whose verification is unknown (%s)', (release) => {
  it('reads as one without a verification in the list and the CSV, never "(unconfirmed)"', () => {
    expect(shown([problem(release, 'unknown')])).toEqual({ list: 'Type 2 diabetes mellitus', csv: 'Type 2 diabetes mellitus' });
  });

  it('says "verification unknown" in the details', () => {
    const [view] = readConditions([problem(release, 'unknown')]);
    expect(conditionFacts(view)).toContain('verification unknown');
    expect(conditionFacts(view)).not.toContain('unknown');
  });

  it('still gives way to a confirmed record of the same problem, and keeps the marks that say the diagnosis is in doubt', () => {
    expect(shown([problem(release, 'unknown'), problem(release, 'confirmed')]).list).toBe('Type 2 diabetes mellitus');
    expect(shown([problem(release, 'provisional')]).list).toBe('Type 2 diabetes mellitus (provisional)');
    expect(shown([problem(release, 'differential')]).list).toBe('Type 2 diabetes mellitus (differential)');
  });
});

describe('R4, which has no `unknown`: the same problem without a verificationStatus', () => {
  it('reads the same, unmarked, as DSTU2 and STU3 `unknown` now do', () => {
    expect(shown([problem('R4', null)])).toEqual({ list: 'Type 2 diabetes mellitus', csv: 'Type 2 diabetes mellitus' });
    expect(shown([problem('R4', 'unconfirmed')]).list).toBe('Type 2 diabetes mellitus (unconfirmed)');
  });
});
