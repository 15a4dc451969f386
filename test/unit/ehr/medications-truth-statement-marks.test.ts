import { afterEach, describe, expect, it } from 'vitest';
import { showCell } from '../../../client/shared/cells';
import { codeLabel } from '../../../client/shared/format';
import { catalogs } from '../../../client/shared/i18n/catalogs';
import { loadLanguage, setLanguage } from '../../../client/shared/i18n/t';
import { medicationGroup, medicationGroups } from '../../../contract/medication-groups.js';
import { assemblePart, indexMedications } from '../../../server/ehr/clinical/assemble.js';
import { readMedications, TAKEN_UNKNOWN } from '../../../server/ehr/clinical/medications.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { cellText } from '../../../server/features/lists/cell-text.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';

afterEach(() => setLanguage('en'));

const NOW = Date.parse('2026-06-15T12:00:00Z');
type Release = 'DSTU2' | 'STU3' | 'R4';
const statement = (release: Release, extra: JsonObject): JsonObject => ({
  resourceType: 'MedicationStatement',
  status: 'active',
  ...(release === 'DSTU2' ? { patient: { reference: 'Patient/p' } } : { subject: { reference: 'Patient/p' } }),
  ...(release === 'STU3' ? { taken: 'y' } : {}),
  medicationCodeableConcept: { text: 'Warfarin 5 mg' },
  ...extra,
});

function shown(resources: JsonObject[]): { tab: string; csv: string; item: unknown } {
  const cells = assemblePart('medications', { ok: true, set: { resources, included: [] } }, indexMedications([]), new Warnings());
  const clinical = { careProvider: { status: 'none' }, warnings: [], ...cells } as unknown as PatientClinical;
  const cell = cellsFor(['medications'], clinical, undefined).medications;
  const display = showCell('medications', cell);
  const row = { patientId: 'p', displayName: 'A', available: true, cells: { medications: cell } } as unknown as ListRow;
  return { tab: display.full ?? display.text, csv: cellText('medications', row), item: (cell as { value?: unknown[] }).value?.[0] };
}

/**
 * STU3 MedicationStatement.taken `unk` (https://hl7.org/fhir/STU3/valueset-medication-statement-taken.html:
 * "unknown", it is not known whether the patient took the drug): listed as current, yet never as a drug
 * plainly being taken. It reads TAKEN_UNKNOWN ("taken-unknown"), its own group in the details, in words
 * in every language of the tab.
 */
describe('STU3 MedicationStatement.taken = unk', () => {
  it('is current and marked not known whether taken, in the view, the details group and the list cell item', () => {
    const [view] = readMedications([statement('STU3', { taken: 'unk' })], new Map(), NOW);
    expect(view).toMatchObject({ name: 'Warfarin 5 mg', current: true, status: TAKEN_UNKNOWN });
    expect(medicationGroup(view)).toBe('taken-unknown');
    // Among the current groups, before plans and every group of history.
    expect(medicationGroups.indexOf('taken-unknown')).toBeLessThan(medicationGroups.indexOf('plan'));
    const { tab, csv, item } = shown([statement('STU3', { taken: 'unk' })]);
    expect(item).toMatchObject({ name: 'Warfarin 5 mg', status: 'taken-unknown' });
    // The list cell and the CSV say it too, as they say "(intended)".
    expect(tab).toBe('Warfarin 5 mg (not known if taken)');
    expect(csv).toBe('Warfarin 5 mg (not known if taken)');
  });

  it('has words in every language of the tab, as the other medication marks have', async () => {
    expect(codeLabel('taken-unknown')).toBe('not known if taken');
    for (const language of ['ru', 'zh-CN', 'zh-TW'] as const) {
      await loadLanguage(language);
      setLanguage(language);
      expect((catalogs[language] as Record<string, string>)['code.taken-unknown'], language).toBeTruthy();
      expect(codeLabel('taken-unknown'), language).not.toBe('taken-unknown');
      expect(codeLabel('taken-unknown'), language).not.toBe('not known if taken');
    }
  });

  it('leaves taken y as it was, and n not taken', () => {
    expect(readMedications([statement('STU3', { taken: 'y' })], new Map(), NOW)[0]).toMatchObject({ status: 'active', current: true });
    expect(readMedications([statement('STU3', { taken: 'n' })], new Map(), NOW)[0]).toMatchObject({ current: false, notTaken: true });
  });
});

/**
 * A MedicationStatement whose effective time starts after now (effective[x]: DSTU2, STU3, R4
 * `effectiveDateTime` or `effectivePeriod.start`) has not begun: read as an `intended` statement
 * (medication-statement-status, all versions: "the medication may be taken at some time in the
 * future"), current and marked "(intended)" in the list, the CSV and the details.
 */
describe.each(['DSTU2', 'STU3', 'R4'] as Release[])('%s active MedicationStatement starting in the future', (release) => {
  it.each([
    ['effectivePeriod.start', { effectivePeriod: { start: '2026-07-01' } }],
    ['effectiveDateTime', { effectiveDateTime: '2026-06-16T08:00:00Z' }],
  ])('by %s: current, read as intended', (_, effective) => {
    const [view] = readMedications([statement(release, effective)], new Map(), NOW);
    expect(view).toMatchObject({ current: true, status: 'intended' });
    expect(medicationGroup(view)).toBe('intended');
  });

  it('is marked "(intended)" in the list and the CSV', () => {
    const { tab, csv } = shown([statement(release, { effectivePeriod: { start: '2099-01-01' } })]);
    expect(tab).toBe('Warfarin 5 mg (intended)');
    expect(csv).toBe('Warfarin 5 mg (intended)');
  });

  it('one that has begun stays active, unmarked', () => {
    expect(readMedications([statement(release, { effectivePeriod: { start: '2026-06-01' } })], new Map(), NOW)[0]).toMatchObject({
      current: true,
      status: 'active',
    });
    expect(shown([statement(release, { effectiveDateTime: '2020-01-01' })]).tab).toBe('Warfarin 5 mg');
  });
});
