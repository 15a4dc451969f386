import { describe, expect, it } from 'vitest';
import { createEhrGateway, type EhrGateway } from '../../../server/ehr/index.js';
import { patientDetailsAnswer } from '../../../contract/patients.js';
import { pointText, rowFlagText, trendOf } from '../../../client/features/patient-details/trend-data';
import { partnerAt, useFakeEhr } from './fake-ehr.js';
import { sampleRecord, writeRecord, type Release } from './clinical-records.js';
import { serveClinical, serveVitalsOnly } from './clinical-server.js';

/**
 * The details' trend (chart points and its table) marks each reading of the history as the list and
 * the details mark the latest (DSTU2, STU3, R4): dated after the patient's death
 * (Patient.deceasedDateTime) or in the future, "dated after death: check in EHR", "dated in the
 * future: check in EHR"; a result not final or of unknown status (Observation.status `preliminary`,
 * `unknown`), "preliminary", "status unknown"; one the EHR qualifies with a modifier extension,
 * "check in EHR". A reading filed on the wrong patient, under a wrong date, or not yet checked is as
 * doubtful in the history as at its top; before, only the latest was marked and the trend showed
 * the others as plain values.
 */
const TENANT = 'tenant-1';
const RELEASES: Release[] = ['DSTU2', 'STU3', 'R4'];
const AFTER_DEATH = 'dated after death: check in EHR';
const FUTURE = 'dated in the future: check in EHR';
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const ehr = useFakeEhr();

const gateway = (): EhrGateway => createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')] });

/** The heart rate trend's rows of p1's details, oldest first. */
async function heartRateRows() {
  const details = await gateway().readPatientDetails(ehr.base, TENANT, 'p1');
  const history = patientDetailsAnswer.shape.vitalHistory.parse(details!.vitalHistory);
  expect(history.status).toBe('ok');
  return trendOf('heartRate', history.status === 'ok' ? history.value.heartRate : []);
}

const heartRate = (value: number, time: string) => ({ code: '8867-4', value, unit: '/min', ucum: '/min', time });

describe.each(RELEASES)('the trend’s history marks a reading’s doubtful date (%s)', (release) => {
  it('marks every reading dated after death, none on or before the day of death', async () => {
    serveVitalsOnly(
      ehr,
      release,
      [
        heartRate(80, '2026-01-09T10:00:00Z'),
        heartRate(140, '2026-01-10T20:00:00Z'),
        heartRate(120, '2026-01-12T09:30:00Z'),
        heartRate(90, '2026-01-13T09:30:00Z'),
      ],
      { deceasedDateTime: '2026-01-10' },
    );
    const trend = await heartRateRows();
    expect(trend.rows.map((r) => r.value)).toEqual(['80', '140', '120', '90']);
    expect(trend.rows.map((r) => r.text.includes(AFTER_DEATH))).toEqual([false, false, true, true]);
    // The table beside the chart (what a screen reader reads) says it in its flag column, beside the flag.
    expect(rowFlagText(trend.rows[2])).toBe(`High; ${AFTER_DEATH}`);
    expect(rowFlagText(trend.rows[1])).toBe('Critical high');
    // The chart's points (hover, focus) read the same.
    expect(trend.series[0].points.map((p) => p.text.includes(AFTER_DEATH))).toEqual([false, false, true, true]);
  });

  it('marks every reading dated in the future, not only the latest', async () => {
    const now = Date.now();
    serveVitalsOnly(ehr, release, [
      heartRate(70, iso(now - 2 * 3600_000)),
      heartRate(72, iso(now - 3600_000)),
      heartRate(150, iso(now + 2 * 86_400_000)),
    ]);
    const trend = await heartRateRows();
    expect(trend.rows.map((r) => r.value)).toEqual(['70', '72', '150']);
    expect(trend.rows.map((r) => r.text.includes(FUTURE))).toEqual([false, false, true]);
    expect(rowFlagText(trend.rows[2])).toBe(`Critical high; ${FUTURE}`);
    expect(rowFlagText(trend.rows[0])).toBe('');
  });
});

describe.each(RELEASES)('the trend’s history marks a result that is not plain (%s)', (release) => {
  it('marks a preliminary reading, one of unknown status, and one the EHR qualifies, each with its words', async () => {
    const now = Date.now();
    const record = {
      ...sampleRecord('p1'),
      vitals: [88, 92, 96, 99].map((value, i) => heartRate(value, iso(now - (4 - i) * 3600_000))),
      encounters: [],
      conditions: [],
      allergies: [],
      medications: [],
      coverage: [],
    };
    const changes: Record<number, Record<string, unknown>> = {
      92: { status: 'preliminary' },
      96: { status: 'unknown' },
      99: { modifierExtension: [{ url: 'http://example.org/fhir/StructureDefinition/estimated', valueBoolean: true }] },
    };
    const store = writeRecord(record, release).map((r) => {
      const value = (r.valueQuantity as { value?: number } | undefined)?.value;
      return r.resourceType === 'Observation' && value !== undefined && changes[value] ? { ...r, ...changes[value] } : r;
    });
    serveClinical(ehr, store, { release });
    const trend = await heartRateRows();
    expect(trend.rows.map((r) => r.text)).toEqual(['88/min', '92/min (preliminary)', '96/min (status unknown)', '99/min (check in EHR)']);
    expect(trend.rows.map((r) => rowFlagText(r))).toEqual(['', 'High; preliminary', 'High; status unknown', 'High; check in EHR']);
  });

  it('says the EHR’s own flag when it says more than the app’s, as the latest does: a child’s reading has no NEWS2 flag', async () => {
    const now = Date.now();
    const system = release === 'R4' ? 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation' : 'http://hl7.org/fhir/v2/0078';
    const critical = { coding: [{ system, code: 'HH' }] };
    const record = { ...sampleRecord('p1'), vitals: [heartRate(190, iso(now - 2 * 3600_000)), heartRate(95, iso(now - 3600_000))], encounters: [] };
    const store = writeRecord({ ...record, conditions: [], allergies: [], medications: [], coverage: [] }, release).map((r) =>
      r.resourceType === 'Observation' ? { ...r, interpretation: release === 'R4' ? [critical] : critical } : r,
    );
    serveClinical(ehr, store, { release });
    const adult = await heartRateRows();
    expect(adult.rows.map((r) => rowFlagText(r))).toEqual(['Critical high', 'High; Critical high (EHR)']);
    expect(pointText(adult.series[0].points[1])).toBe('95/min, High, Critical high (EHR)');

    ehr.reset();
    const child = new Date(now).getUTCFullYear() - 6;
    serveClinical(
      ehr,
      store.map((r) => (r.resourceType === 'Patient' ? { ...r, birthDate: `${child}-01-01` } : r)),
      { release },
    );
    const details = await gateway().readPatientDetails(ehr.base, TENANT, 'p1');
    const history = patientDetailsAnswer.shape.vitalHistory.parse(details!.vitalHistory);
    const born = Date.UTC(child + 16, 0, 1);
    const trend = trendOf('heartRate', history.status === 'ok' ? history.value.heartRate : [], born);
    expect(trend.rows.map((r) => rowFlagText(r))).toEqual(['Critical high (EHR)', 'Critical high (EHR)']);
  });
});
