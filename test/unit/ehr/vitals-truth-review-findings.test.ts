import { describe, expect, it } from 'vitest';
import { showCell } from '../../../client/shared/cells';
import { assemblePart, indexMedications } from '../../../server/ehr/clinical/assemble.js';
import { readVitals, vitalHistory } from '../../../server/ehr/clinical/vitals.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import type { JsonObject } from '../../../server/ehr/json.js';
import type { PatientClinical } from '../../../server/ehr/index.js';
import { cellText, csvColumns, localTime } from '../../../server/features/lists/cell-text.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';
import type { ListColumn } from '../../../contract/columns.js';

/**
 * Vital signs as the clinician sees them, through the real pipeline (assemble, list cell, tab,
 * CSV), in DSTU2, STU3 and R4: the clinical review's findings F2, F8, F9 and F10. Each case failed
 * before its rule (server/ehr/clinical/vitals.ts, contract/vital-ranges.ts, client/shared/cells.ts,
 * server/features/lists/cell-text.ts).
 */

type Release = 'DSTU2' | 'STU3' | 'R4';
const RELEASES: Release[] = ['DSTU2', 'STU3', 'R4'];
const UCUM = 'http://unitsofmeasure.org';
const hrs = (h: number) => new Date(Date.now() + h * 3600e3).toISOString();

/** An Observation of a LOINC code as each release writes it (DSTU2 `category` 0..1, STU3/R4 0..*). */
function obs(release: Release, code: string, extra: JsonObject): JsonObject {
  const category = { coding: [{ system: 'http://hl7.org/fhir/observation-category', code: 'vital-signs' }] };
  return {
    resourceType: 'Observation',
    status: 'final',
    subject: { reference: 'Patient/p' },
    category: release === 'DSTU2' ? category : [category],
    code: { coding: [{ system: 'http://loinc.org', code }] },
    ...extra,
  };
}
const heartRate = (release: Release, extra: JsonObject) => obs(release, '8867-4', extra);
const perMin = (value: number) => ({ value, unit: '/min', system: UCUM, code: '/min' });
const mmHg = (value: number) => ({ value, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' });
const panel = (release: Release, systolic: JsonObject, diastolic: JsonObject, extra: JsonObject = {}) =>
  obs(release, '85354-9', {
    effectiveDateTime: hrs(-0.2),
    component: [
      { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: systolic },
      { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: diastolic },
    ],
    ...extra,
  });

/**
 * What the clinician sees of one column: the tab's cell (status, text, stale, flag) and the CSV (text
 * and, for a vital sign, its columns). `history` false is the list's read (newest first, with its
 * early stop); true the details' full read.
 */
function shown(column: ListColumn, resources: JsonObject[], history: boolean) {
  const cells = assemblePart('vitals', { ok: true, set: { resources, included: [] } }, indexMedications([]), new Warnings(), { history });
  const clinical = { careProvider: { status: 'none' }, warnings: [], ...cells } as unknown as PatientClinical;
  const cell = cellsFor([column], clinical, undefined)[column];
  const display = showCell(column, cell, Date.now());
  const row = { patientId: 'p', displayName: 'A', available: true, birthDate: '1950-01-01', cells: { [column]: cell } } as unknown as ListRow;
  const columns = Object.fromEntries(csvColumns(column, 'V', 'UTC').map((c) => [c.heading, c.value(row)]));
  return {
    api: cell,
    status: display.status,
    tab: display.full ?? display.text,
    detail: display.detail,
    stale: display.stale,
    flag: display.flag,
    csv: cellText(column, row),
    columns,
  };
}
const bothReads = [false, true];

describe('F2 Observation.effectivePeriod: the value holds until the period ends', () => {
  // effective[x]: "the time or time-period the observed value is asserted as being true" (DSTU2, STU3, R4).
  const end = hrs(-0.25);
  const period = (release: Release) => heartRate(release, { effectivePeriod: { start: hrs(-72), end }, valueQuantity: perMin(135) });
  const older = (release: Release) => heartRate(release, { effectiveDateTime: hrs(-36), valueQuantity: perMin(70) });

  it.each(RELEASES.flatMap((r) => bothReads.map((h) => [r, h] as const)))(
    '%s (details read: %s): a critical rate over a period that ended 15 min ago is the latest, not stale, timed by its end',
    (release, history) => {
      for (const resources of [
        [period(release), older(release)],
        [older(release), period(release)],
      ]) {
        const cell = shown('heartRate', resources, history);
        expect(cell).toMatchObject({ status: 'ok', tab: '135/min', flag: 'criticalHigh' });
        expect(cell.stale).toBeFalsy();
        expect(cell.csv).toBe(`135 /min (${localTime(end, 'UTC')})`);
        expect(cell.columns['V time (UTC)']).toBe(localTime(end, 'UTC'));
      }
    },
  );

  it.each(RELEASES)('%s: a page sorted by period start does not let the early stop skip a period that ended later', (release) => {
    // Newest first by start: the point reading 1 h ago, then the period that began 72 h ago and ended 15 min ago.
    const point = heartRate(release, { effectiveDateTime: hrs(-1), valueQuantity: perMin(80) });
    expect(shown('heartRate', [point, period(release)], false)).toMatchObject({ tab: '135/min', flag: 'criticalHigh' });
  });

  it.each(RELEASES)('%s: a period alone is stale by its end, not its start', (release) => {
    expect(shown('heartRate', [period(release)], false).stale).toBeFalsy();
    const ended = heartRate(release, { effectivePeriod: { start: hrs(-100), end: hrs(-30) }, valueQuantity: perMin(80) });
    const both = shown(
      'heartRate',
      [heartRate(release, { effectivePeriod: { start: hrs(-26), end: hrs(-2) }, valueQuantity: perMin(75) }), ended],
      false,
    );
    expect(both).toMatchObject({ tab: '75/min' });
    expect(both.stale).toBeFalsy();
  });
});

describe('F8 a vital sign the EHR recorded whose value cannot be read is "Not available", never "None recorded"', () => {
  const unreadable: Array<[string, JsonObject]> = [
    ['valueString "148"', { valueString: '148' }],
    ['valueCodeableConcept', { valueCodeableConcept: { text: 'fast' } }],
    ['a Quantity without a number', { valueQuantity: { unit: '/min', system: UCUM, code: '/min' } }],
    ['no value at all', {}],
  ];
  it.each(RELEASES.flatMap((r) => unreadable.map(([name, value]) => [r, name, value] as const)))('%s, %s', (release, _name, value) => {
    for (const history of bothReads) {
      const cell = shown('heartRate', [heartRate(release, { effectiveDateTime: hrs(-0.2), ...value })], history);
      // The API cell says why, as every "not available" cell does: no reading of nothing.
      expect(cell).toMatchObject({
        api: { status: 'unavailable', reason: 'unreadable_value' },
        status: 'unavailable',
        tab: 'Not available',
        csv: 'Not available',
      });
      expect(cell.flag).toBeUndefined();
      expect(cell.columns).toMatchObject({ V: 'Not available', 'V unit': '', 'V flag': '' });
    }
  });

  it.each(RELEASES)('%s: a blood pressure whose pressures cannot be read (panel or standalone half)', (release) => {
    const noValues = panel(release, { unit: 'mmHg' }, { unit: 'mmHg' });
    const half = obs(release, '8480-6', { effectiveDateTime: hrs(-0.2), valueString: '120' });
    for (const resources of [[noValues], [half], [obs(release, '85354-9', { effectiveDateTime: hrs(-0.2), valueString: 'see notes' })]])
      for (const history of bothReads)
        expect(shown('bloodPressure', resources, history)).toMatchObject({
          api: { status: 'unavailable', reason: 'unreadable_value' },
          status: 'unavailable',
          tab: 'Not available',
          csv: 'Not available',
        });
  });

  it.each(RELEASES)(
    '%s: a newer value that cannot be read is never hidden behind an older one shown as the latest; a newer reading without a value is passed over; nothing unreadable enters the trend',
    (release) => {
      // A tachycardia charted as text 12 minutes ago: the 72 of two hours ago is not the latest heart rate.
      const text = heartRate(release, { effectiveDateTime: hrs(-0.2), valueString: '148' });
      const coded = heartRate(release, { effectiveDateTime: hrs(-0.2), valueCodeableConcept: { text: 'fast' } });
      const read = heartRate(release, { effectiveDateTime: hrs(-2), valueQuantity: perMin(72) });
      for (const newer of [text, coded])
        for (const history of bothReads)
          expect(shown('heartRate', [read, newer], history)).toMatchObject({
            api: { status: 'unavailable', reason: 'unreadable_value' },
            tab: 'Not available',
          });
      // None was taken (a dataAbsentReason, no value[x]): the latest value is still the older one.
      const absent = heartRate(release, { effectiveDateTime: hrs(-0.2), dataAbsentReason: { coding: [{ code: 'asked-declined' }] } });
      for (const history of bothReads) expect(shown('heartRate', [absent, read], history)).toMatchObject({ status: 'ok', tab: '72/min' });
      // An older value that cannot be read stays behind a newer one that can.
      const olderText = heartRate(release, { effectiveDateTime: hrs(-3), valueString: '148' });
      for (const history of bothReads) expect(shown('heartRate', [olderText, read], history)).toMatchObject({ status: 'ok', tab: '72/min' });
      expect(vitalHistory(readVitals([text, read], new Warnings())).heartRate).toHaveLength(1);
      expect(shown('heartRate', [text], false).status).toBe('unavailable');
      expect(shown('heartRate', [], false).status).toBe('none');
      // A saturation with no value but its oxygen flow (a component of another kind): no value of the kind was sent.
      const spo2 = (extra: JsonObject) => obs(release, '59408-5', extra);
      const percent = (value: number) => ({ value, unit: '%', system: UCUM, code: '%' });
      const flowOnly = spo2({
        effectiveDateTime: hrs(-0.2),
        dataAbsentReason: { coding: [{ code: 'error' }] },
        component: [
          {
            code: { coding: [{ system: 'http://loinc.org', code: '3151-8' }] },
            valueQuantity: { value: 2, unit: 'L/min', system: UCUM, code: 'L/min' },
          },
        ],
      });
      const low = spo2({ effectiveDateTime: hrs(-2), valueQuantity: percent(88) });
      for (const history of bothReads) expect(shown('spo2', [flowOnly, low], history)).toMatchObject({ status: 'ok', flag: 'criticalLow' });
      // A pressure charted as text that is no pressure ("see notes"), newer than a readable one.
      const seeNotes = obs(release, '85354-9', { effectiveDateTime: hrs(-0.2), valueString: 'see notes' });
      const pressure = panel(release, mmHg(120), mmHg(80), { effectiveDateTime: hrs(-2) });
      for (const history of bothReads) expect(shown('bloodPressure', [pressure, seeNotes], history).status).toBe('unavailable');
    },
  );
});

describe('F9 blood pressure halves in different units are never one pair under one unit', () => {
  const cmH2O = (value: number) => ({ value, unit: 'cmH2O', system: UCUM, code: 'cm[H2O]' });

  it.each(RELEASES)('%s: systolic mmHg, diastolic cm[H2O] (not converted: units.ts) says the units differ and is not flagged', (release) => {
    for (const history of bothReads) {
      // 85 mmHg would be critical low (NEWS2 ≤90): with a diastolic in another unit the pair is not read as one pressure.
      const cell = shown('bloodPressure', [panel(release, mmHg(85), cmH2O(10))], history);
      expect(cell).toMatchObject({ status: 'ok', tab: '85 mmHg/10 cmH2O (units differ: not flagged)' });
      expect(cell.flag).toBeUndefined();
      expect(cell.csv).toMatch(/^85 mmHg\/10 cmH2O \(units differ\) \(/);
      expect(cell.columns).toMatchObject({ 'V systolic': 85, 'V diastolic': 10, 'V unit': 'mmHg/cmH2O', 'V flag': 'Not flagged: units differ' });
    }
    // kPa is converted (UCUM m[Hg] = 133.3220 kPa): one pair in mmHg, flagged as ever.
    const kPa = shown('bloodPressure', [panel(release, mmHg(85), { value: 6.7, unit: 'kPa', system: UCUM, code: 'kPa' })], false);
    expect(kPa).toMatchObject({ tab: '85/50 mmHg', flag: 'criticalLow' });
  });

  it.each(RELEASES)('%s: standalone systolic and diastolic Observations in different units, paired', (release) => {
    const systolic = obs(release, '8480-6', { effectiveDateTime: hrs(-0.2), valueQuantity: mmHg(120) });
    const diastolic = obs(release, '8462-4', { effectiveDateTime: hrs(-0.2), valueQuantity: cmH2O(10) });
    const cell = shown('bloodPressure', [systolic, diastolic], true);
    expect(cell.tab).toBe('120 mmHg/10 cmH2O (units differ: not flagged)');
    expect(cell.csv).not.toContain('120/10 mmHg');
  });
});

describe('F10 Observation.status unknown is marked, as a preliminary reading is', () => {
  // observation-status `unknown` is in DSTU2, STU3 and R4: "the authoring system does not know which of the status values currently applies".
  it.each(RELEASES)('%s: heart rate and blood pressure', (release) => {
    for (const history of bothReads) {
      const hr = shown('heartRate', [heartRate(release, { status: 'unknown', effectiveDateTime: hrs(-0.2), valueQuantity: perMin(140) })], history);
      expect(hr).toMatchObject({ status: 'ok', tab: '140/min (status unknown)', flag: 'criticalHigh' });
      expect(hr.csv).toMatch(/^140 \/min \(status unknown\) \(/);
      expect(hr.columns).toMatchObject({ V: 140, 'V flag': 'Critical high; status unknown' });
      const bp = shown('bloodPressure', [panel(release, mmHg(120), mmHg(80), { status: 'unknown' })], history);
      expect(bp).toMatchObject({ tab: '120/80 mmHg (status unknown)' });
      expect(bp.columns['V flag']).toBe('status unknown');
    }
  });
});

describe('Observation.issued is not when the reading was taken', () => {
  // issued: "the date and time this version of the observation was made available to providers"
  // (STU3, R4; DSTU2 "date/time this was made available"); effective[x] is when the value holds.
  it.each(RELEASES.flatMap((r) => bothReads.map((h) => [r, h] as const)))(
    '%s (details read: %s): a reading released a moment ago without effective[x] never hides one taken two hours ago',
    (release, history) => {
      const released = heartRate(release, { issued: hrs(-0.1), valueQuantity: perMin(80) });
      const taken = heartRate(release, { effectiveDateTime: hrs(-2), valueQuantity: perMin(150) });
      for (const resources of [
        [released, taken],
        [taken, released],
      ])
        expect(shown('heartRate', resources, history)).toMatchObject({ status: 'ok', tab: '150/min', flag: 'criticalHigh' });
    },
  );
});
