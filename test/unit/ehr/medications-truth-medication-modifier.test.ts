import { describe, expect, it } from 'vitest';
import { showCell } from '../../../client/shared/cells';
import { assemblePart, indexMedications } from '../../../server/ehr/clinical/assemble.js';
import { readMedications } from '../../../server/ehr/clinical/medications.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { cellText } from '../../../server/features/lists/cell-text.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';

/**
 * A modifierExtension (DSTU2, STU3, R4 extensibility.html: "modifies the understanding of the element
 * in which it is contained") on the Medication a record refers to, contained (`#id`) or read from the
 * EHR (`_include`), changes what the drug is: the record is marked "check in EHR" (`qualified`), as a
 * modifier on the order itself would mark it.
 */
const MOD = [{ url: 'http://example.org/fhir/StructureDefinition/unknown-modifier', valueBoolean: true }];
type Release = 'DSTU2' | 'STU3' | 'R4';
const order = (release: Release, extra: JsonObject): JsonObject => ({
  resourceType: release === 'DSTU2' ? 'MedicationOrder' : 'MedicationRequest',
  status: 'active',
  ...(release === 'DSTU2' ? {} : { intent: 'order' }),
  ...extra,
});

function shown(resources: JsonObject[], included: JsonObject[]) {
  const cells = assemblePart('medications', { ok: true, set: { resources, included } }, indexMedications(included), new Warnings());
  const clinical = { careProvider: { status: 'none' }, warnings: [], ...cells } as unknown as PatientClinical;
  const cell = cellsFor(['medications'], clinical, undefined).medications;
  const display = showCell('medications', cell);
  const row = { patientId: 'p', displayName: 'A', available: true, cells: { medications: cell } } as unknown as ListRow;
  return { tab: display.full ?? display.text, csv: cellText('medications', row) };
}

describe.each(['DSTU2', 'STU3', 'R4'] as Release[])('a drug named from a Medication that carries a modifier (%s)', (release) => {
  it('contained: marked qualified, "Insulin (check in EHR)"', () => {
    const o = order(release, {
      contained: [{ resourceType: 'Medication', id: 'm', modifierExtension: MOD, code: { text: 'Insulin' } }],
      medicationReference: { reference: '#m' },
    });
    expect(readMedications([o], new Map())[0]).toMatchObject({ name: 'Insulin', qualified: true });
    expect(shown([o], [])).toEqual({ tab: 'Insulin (check in EHR)', csv: 'Insulin (check in EHR)' });
  });

  it('included: marked qualified; a Medication without a modifier leaves the order plain', () => {
    const o = order(release, { medicationReference: { reference: 'Medication/m' } });
    const marked = { resourceType: 'Medication', id: 'm', modifierExtension: MOD, code: { text: 'Insulin' } };
    expect(shown([o], [marked]).tab).toBe('Insulin (check in EHR)');
    const plain = { resourceType: 'Medication', id: 'm', code: { text: 'Insulin' } };
    expect(shown([o], [plain]).tab).toBe('Insulin');
    expect(readMedications([o], indexMedications([plain]))[0].qualified).toBeUndefined();
  });
});
