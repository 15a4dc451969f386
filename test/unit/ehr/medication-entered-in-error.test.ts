import { beforeEach, describe, expect, it } from 'vitest';
import { showCell } from '../../../client/shared/cells';
import { medicationGroup } from '../../../contract/medication-groups.js';
import { assemblePart, indexMedications } from '../../../server/ehr/clinical/assemble.js';
import { readMedications } from '../../../server/ehr/clinical/medications.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { cellText } from '../../../server/features/lists/cell-text.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';

/**
 * Medication.status (STU3 and R4: active | inactive | entered-in-error; a modifier in R4) of the
 * Medication an order names its drug by. One entered in error cannot name the drug: the order is
 * still listed, marked "check in EHR" (`qualified`). `inactive` is the product's status ("no longer
 * able to be used"), not the patient's order: it changes nothing.
 */
type Release = 'STU3' | 'R4';
const medication = (status: string, id = 'med1'): JsonObject => ({ resourceType: 'Medication', id, status, code: { text: 'Warfarin 5 mg' } });
// STU3 and R4 MedicationRequest differ where it matters not here; the requester is shaped per version.
let release: Release = 'R4';
const request = (extra: JsonObject = {}): JsonObject => ({
  resourceType: 'MedicationRequest',
  requester: release === 'STU3' ? { agent: { display: 'Dr A' } } : { display: 'Dr A' },
  id: 'o1',
  status: 'active',
  intent: 'order',
  medicationReference: { reference: 'Medication/med1' },
  ...extra,
});

/** The list cell's items, the tab's and the CSV's text, and the records as the details read them. */
function seen(resources: JsonObject[], included: JsonObject[]) {
  const cells = assemblePart('medications', { ok: true, set: { resources, included } }, indexMedications(included), new Warnings());
  const clinical = { careProvider: { status: 'none' }, warnings: [], ...cells } as unknown as PatientClinical;
  const cell = cellsFor(['medications'], clinical, undefined).medications;
  const display = showCell('medications', cell);
  const row = { patientId: 'p', displayName: 'A', available: true, cells: { medications: cell } } as unknown as ListRow;
  const views = readMedications(resources, indexMedications(included));
  return {
    items: cell.status === 'ok' ? cell.value : cell.status,
    tab: display.full ?? display.text,
    csv: cellText('medications', row),
    groups: views.map((v) => [v.name, medicationGroup(v)]),
    views,
  };
}

describe.each(['STU3', 'R4'] as Release[])('an order whose Medication is entered in error (%s)', (version) => {
  beforeEach(() => {
    release = version;
  });

  it('included: listed, current, its name marked "check in EHR"', () => {
    const s = seen([request()], [medication('entered-in-error')]);
    expect(s.items).toEqual([{ name: 'Warfarin 5 mg', status: 'active', qualified: true }]);
    expect(s.tab).toBe('Warfarin 5 mg (check in EHR)');
    expect(s.csv).toBe('Warfarin 5 mg (check in EHR)');
    expect(s.views[0]).toMatchObject({ name: 'Warfarin 5 mg', current: true, qualified: true });
    expect(s.groups).toEqual([['Warfarin 5 mg', 'active']]);
  });

  it('read from an absolute reference on the base, or contained: marked alike', () => {
    const base = 'https://ehr.example.org/fhir';
    const absolute = request({ medicationReference: { reference: `${base}/Medication/med1` } });
    expect(readMedications([absolute], indexMedications([medication('entered-in-error')], new Map(), base))[0].qualified).toBe(true);
    const contained = request({ contained: [medication('entered-in-error')], medicationReference: { reference: '#med1' } });
    expect(seen([contained], []).tab).toBe('Warfarin 5 mg (check in EHR)');
  });

  it('named by the reference display: still marked, the Medication behind it is in error', () => {
    const s = seen([request({ medicationReference: { reference: 'Medication/med1', display: 'Warfarin' } })], [medication('entered-in-error')]);
    expect(s.items).toEqual([{ name: 'Warfarin', status: 'active', qualified: true }]);
  });

  it('a statement naming it is marked too', () => {
    const statement = { resourceType: 'MedicationStatement', status: 'active', medicationReference: { reference: 'Medication/med1' } };
    expect(seen([statement], [medication('entered-in-error')]).tab).toBe('Warfarin 5 mg (check in EHR)');
  });

  it.each(['Entered in Error', 'ENTERED-IN-ERROR', 'urn-local-77'])(
    'a Medication status written "%s" (in words, or a code of its own) is marked alike',
    (status) => {
      const s = seen([request()], [medication(status)]);
      expect(s.items).toEqual([{ name: 'Warfarin 5 mg', status: 'active', qualified: true }]);
      expect(s.csv).toBe('Warfarin 5 mg (check in EHR)');
    },
  );

  it.each(['inactive', 'active', 'Active', 'INACTIVE'])('a Medication %s leaves the order plain', (status) => {
    const s = seen([request()], [medication(status)]);
    expect(s.items).toEqual([{ name: 'Warfarin 5 mg', status: 'active' }]);
    expect(s.tab).toBe('Warfarin 5 mg');
    expect(s.views[0].qualified).toBeUndefined();
    expect(s.views[0].current).toBe(true);
  });

  it('only the order naming the Medication in error is marked: another order of the drug stays plain and apart', () => {
    const other = request({ id: 'o2', medicationReference: { reference: 'Medication/med2' } });
    const s = seen([request(), other], [medication('entered-in-error'), medication('active', 'med2')]);
    expect(s.items).toEqual([
      { name: 'Warfarin 5 mg', status: 'active', qualified: true },
      { name: 'Warfarin 5 mg', status: 'active' },
    ]);
  });
});
