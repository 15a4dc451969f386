import { describe, expect, it } from 'vitest';
import { createEhrGateway, type EhrGateway } from '../../../server/ehr/index.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import { cellText, csvColumns } from '../../../server/features/lists/cell-text.js';
import { columnCells } from '../../../contract/cells.js';
import { patientDetailsAnswer } from '../../../contract/patients.js';
import { showCell } from '../../../client/shared/cells';
import { partnerAt, useFakeEhr } from './fake-ehr.js';
import type { Release } from './clinical-records.js';
import { csvRowOf, serveVitalsOnly } from './clinical-server.js';

/**
 * A reading dated after the patient's death (Patient.deceasedDateTime, DSTU2, STU3 and R4) is
 * almost always a data error: it is still shown and still its kind's latest (nothing is hidden),
 * but marked "dated after death: check in EHR" in the list, the tab, the CSV and the details, never
 * as a plain current value. "After" is at the widest the dates allow: a reading that may be on the
 * day (month, year) of a death known only to the day (month, year) is not marked.
 */
const TENANT = 'tenant-1';
const RELEASES: Release[] = ['DSTU2', 'STU3', 'R4'];

const ehr = useFakeEhr();

const gateway = (): EhrGateway => createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')] });

/** A patient who died as `deceased` says, with one heart rate and one temperature at `taken`. */
const serveDeceased = (release: Release, deceased: Record<string, unknown>, taken: string) =>
  serveVitalsOnly(
    ehr,
    release,
    [
      { code: '8867-4', value: 88, unit: '/min', ucum: '/min', time: taken },
      { code: '8310-5', value: 36.6, unit: 'Cel', ucum: 'Cel', time: taken },
    ],
    deceased,
  );

describe.each(RELEASES)('a reading dated after the patient’s death (%s)', (release) => {
  it.each([
    // [date of death, reading taken, marked]
    ['2026-01-10T08:00:00Z', '2026-01-12T09:30:00Z', true],
    ['2026-01-10T08:00:00Z', '2026-01-10T07:00:00Z', false],
    ['2026-01-10T08:00:00+01:00', '2026-01-10T07:30:00Z', true],
    ['2019-05-03', '2019-05-05T10:00:00Z', true],
    ['2019-05-03', '2019-05-03T23:00:00Z', false],
    ['2019-05', '2019-06-02T10:00:00Z', true],
    ['2019-05', '2019-05-31T20:00:00Z', false],
    ['2019', '2020-02-01T10:00:00Z', true],
    ['2019', '2019-12-30T10:00:00Z', false],
  ] as const)('died %s, reading taken %s: marked %s, in the list, the tab, the CSV and the details', async (died, taken, marked) => {
    serveDeceased(release, { deceasedDateTime: died }, taken);
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], ['vitals'], undefined, ['heartRate', 'temperature']);
    const cells = cellsFor(['heartRate', 'temperature'], rows.get('p1')!, undefined);
    // Still shown, still the latest: the value is there.
    expect(columnCells.heartRate.parse(cells.heartRate)).toMatchObject({ status: 'ok', value: { value: { value: 88 } } });
    expect(columnCells.temperature.parse(cells.temperature)).toMatchObject({ status: 'ok', value: { value: { value: 36.6 } } });
    for (const kind of ['heartRate', 'temperature'] as const) {
      expect((cells[kind] as { value: { afterDeath?: true } }).value.afterDeath === true).toBe(marked);
      expect(showCell(kind, cells[kind]).afterDeath === true).toBe(marked);
    }
    const csv = cellText('heartRate', csvRowOf(cells), 'UTC');
    const flag = csvColumns('heartRate', 'Heart rate', 'UTC')
      .find((c) => c.heading === 'Heart rate flag')!
      .value(csvRowOf(cells));
    if (marked) {
      expect(csv).toMatch(/ \(dated after death: check in EHR\)$/);
      expect(flag).toContain('dated after death: check in EHR');
    } else {
      expect(csv).not.toContain('after death');
      expect(flag).not.toContain('after death');
    }

    const details = await gateway().readPatientDetails(ehr.base, TENANT, 'p1');
    const vitals = patientDetailsAnswer.shape.vitals.parse(details!.vitals);
    expect(vitals).toMatchObject({ status: 'ok', value: { heartRate: { value: { value: 88 } } } });
    expect(vitals.status === 'ok' && (vitals.value.heartRate as { afterDeath?: true }).afterDeath === true).toBe(marked);
  });

  it('marks nothing when the EHR says only that the patient died (deceasedBoolean)', async () => {
    serveDeceased(release, { deceasedBoolean: true }, '2026-01-12T09:30:00Z');
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], ['vitals'], undefined, ['heartRate']);
    expect(cellsFor(['heartRate'], rows.get('p1')!, undefined).heartRate).not.toMatchObject({ value: { afterDeath: true } });
  });
});
