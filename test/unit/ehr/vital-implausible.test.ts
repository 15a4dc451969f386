import { describe, expect, it } from 'vitest';
import { createEhrGateway, type EhrGateway } from '../../../server/ehr/index.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import { cellText, csvColumns } from '../../../server/features/lists/cell-text.js';
import { patientDetailsAnswer } from '../../../contract/patients.js';
import { showCell } from '../../../client/shared/cells';
import { rowFlagText, trendOf } from '../../../client/features/patient-details/trend-data';
import { partnerAt, useFakeEhr } from './fake-ehr.js';
import type { Release } from './clinical-records.js';
import { csvRowOf, serveVitalsOnly } from './clinical-server.js';

/**
 * A value its kind cannot physically be (contract PLAUSIBLE_VALUES: an SpO2 fraction 0.93 sent under
 * `%`, a saturation above 100 %, 95 °C, a heart rate of 400 /min, a systolic of 450 mmHg; DSTU2,
 * STU3 and R4) is shown as sent, never converted by guessing, marked "implausible value: check in
 * EHR" in the list, the tab, the CSV and the details, and gets no flag and no NEWS2 score. A real
 * extreme value (91 %, 30 °C, 0 /min) is still flagged.
 */
const TENANT = 'tenant-1';
const RELEASES: Release[] = ['DSTU2', 'STU3', 'R4'];
const TAKEN = new Date(Date.now() - 60 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const ehr = useFakeEhr();

const gateway = (): EhrGateway => createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')] });

type Kind = 'spo2' | 'temperature' | 'heartRate' | 'respiratoryRate' | 'bloodPressure';
const VITAL: Record<Kind, { code: string; unit: string; ucum: string; heading: string }> = {
  spo2: { code: '59408-5', unit: '%', ucum: '%', heading: 'SpO2' },
  temperature: { code: '8310-5', unit: 'Cel', ucum: 'Cel', heading: 'Temperature' },
  heartRate: { code: '8867-4', unit: '/min', ucum: '/min', heading: 'Heart rate' },
  respiratoryRate: { code: '9279-1', unit: '/min', ucum: '/min', heading: 'Respiratory rate' },
  bloodPressure: { code: '85354-9', unit: 'mmHg', ucum: 'mm[Hg]', heading: 'Blood pressure' },
};

function serveVital(release: Release, kind: Kind, value: number | [number, number]): void {
  const { code, unit, ucum } = VITAL[kind];
  serveVitalsOnly(ehr, release, [{ code, value, unit, ucum, time: TAKEN }]);
}

const MARK = 'implausible value: check in EHR';

describe.each(RELEASES)('a value its kind cannot physically be (%s)', (release) => {
  it.each([
    // [kind, value sent, the number shown, implausible, the app's flag when plausible]
    ['spo2', 0.93, 0.93, true, undefined],
    ['spo2', 1, 1, true, undefined],
    ['spo2', 101, 101, true, undefined],
    ['spo2', 93, 93, false, 'low'],
    ['spo2', 91, 91, false, 'criticalLow'],
    ['spo2', 100, 100, false, undefined],
    ['temperature', 95, 95, true, undefined],
    ['temperature', 9.5, 9.5, true, undefined],
    ['temperature', 30, 30, false, 'criticalLow'],
    ['heartRate', 400, 400, true, undefined],
    ['heartRate', 0, 0, false, 'criticalLow'],
    ['respiratoryRate', 150, 150, true, undefined],
    ['bloodPressure', [450, 80], 450, true, undefined],
    ['bloodPressure', [230, 120], 230, false, 'criticalHigh'],
  ] as const)(
    '%s %j: shown as %s, implausible %s, flag %s, in the list, the tab, the CSV and the details',
    async (kind, sent, shown, implausible, flag) => {
      serveVital(release, kind, sent as number | [number, number]);
      const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], ['vitals'], undefined, [kind]);
      const cells = cellsFor([kind], rows.get('p1')!, undefined);
      // Shown as sent: never converted by guessing (0.93 stays 0.93, never 93).
      const value = kind === 'bloodPressure' ? { systolic: { value: shown } } : { value: { value: shown } };
      expect(cells[kind]).toMatchObject({ status: 'ok', value });

      const tab = showCell(kind, cells[kind]);
      expect(tab.implausible === true).toBe(implausible);
      expect(tab.text.includes(MARK)).toBe(implausible);
      expect(tab.flag).toBe(flag);
      if (implausible) expect(tab.news2).toBeUndefined();

      const csv = cellText(kind, csvRowOf(cells), 'UTC');
      const flagText = csvColumns(kind, VITAL[kind].heading, 'UTC')
        .find((c) => c.heading === `${VITAL[kind].heading} flag`)!
        .value(csvRowOf(cells));
      expect(csv.includes(MARK)).toBe(implausible);
      expect(String(flagText).includes(MARK)).toBe(implausible);
      if (implausible) expect(flagText).not.toMatch(/low|high/i);

      const details = await gateway().readPatientDetails(ehr.base, TENANT, 'p1');
      const vitals = patientDetailsAnswer.shape.vitals.parse(details!.vitals);
      expect(vitals).toMatchObject({ status: 'ok', value: { [kind]: value } });
      const detail = showCell(kind, vitals.status === 'ok' ? { status: 'ok', value: vitals.value[kind] } : vitals);
      expect(detail.implausible === true).toBe(implausible);
      expect(detail.flag).toBe(flag);
      // The details' trend table: the same mark, no flag.
      const history = details!.vitalHistory as { status: string; value: Record<string, unknown> };
      const [row] = trendOf(kind, history.value[kind]).rows;
      expect(row.text.includes(MARK)).toBe(implausible);
      expect(row.flag ?? undefined).toBe(flag);
      // The table shows the number alone in its value column: the mark is in its flag column.
      expect(rowFlagText(row).includes(MARK)).toBe(implausible);
    },
  );
});
