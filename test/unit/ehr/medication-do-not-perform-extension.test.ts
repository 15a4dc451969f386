import { describe, expect, it } from 'vitest';
import { showCell } from '../../../client/shared/cells';
import { medicationGroup } from '../../../contract/medication-groups.js';
import { assemblePart, indexMedications } from '../../../server/ehr/clinical/assemble.js';
import { readMedications } from '../../../server/ehr/clinical/medications.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';

/**
 * An order not to give the drug, sent by an EHR on a version without R4's MedicationRequest.doNotPerform
 * (STU3 MedicationRequest, DSTU2 MedicationOrder) as the standard extension that stands for it: the
 * R4 core extension request-doNotPerform, or the cross-version extension of the element
 * (hl7.org/fhir/versions.html#extensions). Read as the element: never current, grouped "do not give"
 * in the details, and not "check in EHR" as an unknown modifier would be.
 */
const URLS = [
  'http://hl7.org/fhir/StructureDefinition/request-doNotPerform',
  ...['3.0', '4.0', '4.3', '5.0'].map((v) => `http://hl7.org/fhir/${v}/StructureDefinition/extension-MedicationRequest.doNotPerform`),
];
const UNKNOWN = { url: 'http://example.org/fhir/StructureDefinition/unknown-modifier', valueBoolean: true };
type Release = 'DSTU2' | 'STU3' | 'R4';
type Place = 'modifierExtension' | 'extension';

const order = (release: Release, name: string, extra: JsonObject = {}): JsonObject => ({
  resourceType: release === 'DSTU2' ? 'MedicationOrder' : 'MedicationRequest',
  id: name.replace(/\W/g, ''),
  status: 'active',
  ...(release === 'DSTU2' ? { dateWritten: '2021-01-01' } : { intent: 'order', authoredOn: '2021-01-01' }),
  medicationCodeableConcept: { text: name },
  ...extra,
});

/** The list cell (its items), what the tab shows of it, and each record's details group. */
function seen(resources: JsonObject[]) {
  const cells = assemblePart('medications', { ok: true, set: { resources, included: [] } }, indexMedications([]), new Warnings());
  const clinical = { careProvider: { status: 'none' }, warnings: [], ...cells } as unknown as PatientClinical;
  const cell = cellsFor(['medications'], clinical, undefined).medications;
  const display = showCell('medications', cell);
  const views = readMedications(resources, new Map());
  return {
    items: cell.status === 'ok' ? cell.value : cell.status,
    tab: display.full ?? display.text,
    groups: views.map((v) => [v.name, medicationGroup(v)]),
    views,
  };
}

describe.each(['DSTU2', 'STU3', 'R4'] as Release[])('doNotPerform sent as an extension (%s)', (release) => {
  describe.each(['modifierExtension', 'extension'] as Place[])('as %s', (place) => {
    it.each(URLS)('%s true: an order not to give the drug, out of the cell, "do not give" in the details', (url) => {
      const warfarin = order(release, 'Warfarin 5 mg', { [place]: [{ url, valueBoolean: true }] });
      const s = seen([warfarin, order(release, 'Paracetamol 1 g')]);
      expect(s.items).toEqual([{ name: 'Paracetamol 1 g', status: 'active' }]);
      expect(s.tab).toBe('Paracetamol 1 g');
      expect(s.groups).toEqual([
        ['Paracetamol 1 g', 'active'],
        ['Warfarin 5 mg', 'do-not-perform'],
      ]);
      const view = s.views.find((v) => v.name === 'Warfarin 5 mg');
      expect(view).toMatchObject({ current: false, doNotPerform: true, status: 'active' });
      expect(view?.qualified).toBeUndefined();
      // Alone, the cell has no current drug at all.
      expect(seen([warfarin]).items).toBe('none');
    });

    it.each(URLS)('%s false: a plain order, current and unmarked', (url) => {
      const s = seen([order(release, 'Warfarin 5 mg', { [place]: [{ url, valueBoolean: false }] })]);
      expect(s.items).toEqual([{ name: 'Warfarin 5 mg', status: 'active' }]);
      expect(s.tab).toBe('Warfarin 5 mg');
      expect(s.groups).toEqual([['Warfarin 5 mg', 'active']]);
      expect(s.views[0]).toMatchObject({ current: true });
      expect(s.views[0].doNotPerform).toBeUndefined();
      expect(s.views[0].qualified).toBeUndefined();
    });
  });

  it('reads the extension as R4 reads its element: the same view', () => {
    const byElement = readMedications([order(release, 'Warfarin 5 mg', { doNotPerform: true })], new Map());
    const byExtension = readMedications([order(release, 'Warfarin 5 mg', { modifierExtension: [{ url: URLS[0], valueBoolean: true }] })], new Map());
    expect(byExtension).toEqual(byElement);
  });

  it('an unrelated unknown modifier is still "check in EHR"', () => {
    const s = seen([order(release, 'Warfarin 5 mg', { modifierExtension: [UNKNOWN] })]);
    expect(s.items).toEqual([{ name: 'Warfarin 5 mg', status: 'active', qualified: true }]);
    expect(s.tab).toBe('Warfarin 5 mg (check in EHR)');
  });

  it('beside an unknown modifier: not given, and still marked "check in EHR" in the details', () => {
    const s = seen([order(release, 'Warfarin 5 mg', { modifierExtension: [{ url: URLS[1], valueBoolean: true }, UNKNOWN] })]);
    expect(s.items).toBe('none');
    expect(s.groups).toEqual([['Warfarin 5 mg', 'do-not-perform']]);
    expect(s.views[0]).toMatchObject({ current: false, doNotPerform: true, qualified: true });
  });

  it('a doNotPerform modifier without a boolean value cannot be read: "check in EHR"', () => {
    const s = seen([order(release, 'Warfarin 5 mg', { modifierExtension: [{ url: URLS[0], valueString: 'true' }] })]);
    expect(s.items).toEqual([{ name: 'Warfarin 5 mg', status: 'active', qualified: true }]);
    expect(s.tab).toBe('Warfarin 5 mg (check in EHR)');
  });

  it('on a statement the extension means no element: an unknown modifier, "check in EHR"', () => {
    const statement = {
      resourceType: 'MedicationStatement',
      status: 'active',
      medicationCodeableConcept: { text: 'Warfarin 5 mg' },
      modifierExtension: [{ url: URLS[0], valueBoolean: true }],
    };
    const s = seen([statement]);
    expect(s.items).toEqual([{ name: 'Warfarin 5 mg', status: 'active', qualified: true }]);
    expect(s.views[0].doNotPerform).toBeUndefined();
  });
});
