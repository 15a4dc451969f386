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
 * A reading dated in the future (its earliest possible time more than FUTURE_ALLOWANCE_MS, 5 minutes,
 * after now; DSTU2, STU3 and R4) is the latest only when its kind has no reading that is not, and is
 * then marked "dated in the future: check in EHR" in the list, the tab, the CSV and the details:
 * never a plain current value, never stale. A current reading is still preferred, unmarked.
 */
const TENANT = 'tenant-1';
const RELEASES: Release[] = ['DSTU2', 'STU3', 'R4'];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const ehr = useFakeEhr();

const gateway = (): EhrGateway => createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')] });

/** A heart rate and a temperature at each of `times` (88 /min and 36.6 °C at the first, 70 and 37.0 at any second). */
const serveVitals = (release: Release, times: string[]) =>
  serveVitalsOnly(
    ehr,
    release,
    times.flatMap((time, i) => [
      { code: '8867-4', value: i === 0 ? 88 : 70, unit: '/min', ucum: '/min', time },
      { code: '8310-5', value: i === 0 ? 36.6 : 37, unit: 'Cel', ucum: 'Cel', time },
    ]),
  );

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** A day (no time, no zone) `days` from today in UTC. */
const day = (days: number) => iso(Date.now() + days * DAY).slice(0, 10);

describe.each(RELEASES)('a reading dated in the future (%s)', (release) => {
  it.each([
    // [what, marked, reading taken]
    ['two days ahead', true, () => iso(Date.now() + 2 * DAY)],
    ['ten minutes ahead', true, () => iso(Date.now() + 10 * MINUTE)],
    ['a day three days ahead (no time, no zone)', true, () => day(3)],
    ['two minutes ahead: within the clock allowance', false, () => iso(Date.now() + 2 * MINUTE)],
    ['an hour ago', false, () => iso(Date.now() - HOUR)],
    ['today as a zone-less day', false, () => day(0)],
  ] as const)('the only reading, taken %s: marked %s, in the list, the tab, the CSV and the details', async (_what, marked, taken) => {
    serveVitals(release, [taken()]);
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], ['vitals'], undefined, ['heartRate', 'temperature']);
    const cells = cellsFor(['heartRate', 'temperature'], rows.get('p1')!, undefined);
    // Still shown: the value is there.
    expect(columnCells.heartRate.parse(cells.heartRate)).toMatchObject({ status: 'ok', value: { value: { value: 88 } } });
    expect(columnCells.temperature.parse(cells.temperature)).toMatchObject({ status: 'ok', value: { value: { value: 36.6 } } });
    for (const kind of ['heartRate', 'temperature'] as const) {
      expect((cells[kind] as { value: { future?: true } }).value.future === true).toBe(marked);
      expect(showCell(kind, cells[kind]).future === true).toBe(marked);
    }
    // Never stale, even on a tab whose clock is days ahead.
    if (marked) expect(showCell('heartRate', cells.heartRate, Date.now() + 10 * DAY).stale).toBeUndefined();
    const csv = cellText('heartRate', csvRowOf(cells), 'UTC');
    const flag = csvColumns('heartRate', 'Heart rate', 'UTC')
      .find((c) => c.heading === 'Heart rate flag')!
      .value(csvRowOf(cells));
    if (marked) {
      expect(csv).toMatch(/ \(dated in the future: check in EHR\)$/);
      expect(flag).toContain('dated in the future: check in EHR');
    } else {
      expect(csv).not.toContain('future');
      expect(flag).not.toContain('future');
    }

    const details = await gateway().readPatientDetails(ehr.base, TENANT, 'p1');
    const vitals = patientDetailsAnswer.shape.vitals.parse(details!.vitals);
    expect(vitals).toMatchObject({ status: 'ok', value: { heartRate: { value: { value: 88 } } } });
    expect(vitals.status === 'ok' && (vitals.value.heartRate as { future?: true }).future === true).toBe(marked);
  });

  it('prefers a current reading to one dated in the future, unmarked, in the list and the details', async () => {
    serveVitals(release, [iso(Date.now() + 2 * DAY), iso(Date.now() - HOUR)]);
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], ['vitals'], undefined, ['heartRate']);
    const cells = cellsFor(['heartRate'], rows.get('p1')!, undefined);
    expect(cells.heartRate).toMatchObject({ status: 'ok', value: { value: { value: 70 } } });
    expect(cells.heartRate).not.toMatchObject({ value: { future: true } });
    expect(showCell('heartRate', cells.heartRate).future).toBeUndefined();
    expect(cellText('heartRate', csvRowOf(cells), 'UTC')).not.toContain('future');
    const details = await gateway().readPatientDetails(ehr.base, TENANT, 'p1');
    expect(details!.vitals).toMatchObject({ status: 'ok', value: { heartRate: { value: { value: 70 } } } });
    expect(details!.vitals).not.toMatchObject({ value: { heartRate: { future: true } } });
  });
});
