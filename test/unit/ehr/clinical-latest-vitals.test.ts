import { beforeEach, describe, expect, it } from 'vitest';
import { createEhrGateway, type ClinicalWarning, type EhrGateway, type VitalKind } from '../../../server/ehr/index.js';
import { partnerAt, useFakeEhr } from './fake-ehr.js';
import { sampleRecord, writeRecord, type LogicalRecord, type Release } from './clinical-records.js';
import { batchPosts, batchUrls, serveClinical, singleGets, type ClinicalServerOptions } from './clinical-server.js';

/**
 * A list row reads one page of vital signs, newest first (`_count=50`). On ICU-style charting
 * (heart rate every 15 minutes) that page covers hours, so a temperature taken 20 hours ago or a
 * weight from two days ago is not on it. A kind the list shows that the page lacks is asked on its
 * own, newest first, and the cell shows that reading rather than "none recorded".
 */
const TENANT = 'tenant-1';
const RELEASES: Release[] = ['DSTU2', 'STU3', 'R4'];
/** The list's vital columns: heart rate, temperature, weight and SpO2 (not height, BMI, pressure, rate). */
const SHOWN: VitalKind[] = ['heartRate', 'temperature', 'weight', 'spo2'];

const ehr = useFakeEhr();
let reported: ClinicalWarning[];
beforeEach(() => {
  reported = [];
});

function gateway(): EhrGateway {
  return createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')], onWarnings: (w) => reported.push(...w) });
}

const now = Date.now();
const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();
const TEMPERATURE_TIME = iso(now - 20 * HOUR);
const WEIGHT_TIME = iso(now - 48 * HOUR);

type Vital = LogicalRecord['vitals'][number];
const heartRate = (time: string, value = 80): Vital => ({ code: '8867-4', value, unit: '/min', ucum: '/min', time });

/** 60 heart rates every 15 minutes (the newest 5 minutes ago), a temperature 20 h ago, a weight and a height 2 days ago. */
function icuRecord(id: string): LogicalRecord {
  return {
    ...sampleRecord(id),
    vitals: [
      // Oldest first in the EHR's own order: a server that ignores `_sort` gives them so.
      ...Array.from({ length: 60 }, (_, k) => 59 - k).map((i) => heartRate(iso(now - 5 * MIN - i * 15 * MIN), 70 + (i % 20))),
      // An oral temperature: a specific code, found by the kind's codes.
      { code: '8331-1', value: 37.8, unit: 'Cel', ucum: 'Cel', time: TEMPERATURE_TIME },
      { code: '29463-7', value: 81.4, unit: 'kg', ucum: 'kg', time: WEIGHT_TIME },
      { code: '8302-2', value: 172, unit: 'cm', ucum: 'cm', time: WEIGHT_TIME },
    ],
  };
}

/** Every shown kind within the last hour, then 60 older respiratory rates: a `next` link, nothing shown missing. */
function fullPageRecord(id: string): LogicalRecord {
  const recent = iso(now - 30 * MIN);
  return {
    ...sampleRecord(id),
    vitals: [
      heartRate(recent, 66),
      { code: '8310-5', value: 36.9, unit: 'Cel', ucum: 'Cel', time: recent },
      { code: '29463-7', value: 60, unit: 'kg', ucum: 'kg', time: recent },
      { code: '59408-5', value: 98, unit: '%', ucum: '%', time: recent },
      ...Array.from({ length: 60 }, (_, i) => ({ code: '9279-1', value: 16, unit: '/min', ucum: '/min', time: iso(now - 2 * HOUR - i * 15 * MIN) })),
    ],
  };
}

function serve(release: Release, records: LogicalRecord[], options: Partial<ClinicalServerOptions> = {}): void {
  serveClinical(
    ehr,
    records.flatMap((r) => writeRecord(r, release)),
    { release, ...options },
  );
}

/** The entries of every batch after the first (the first asks Patient and the first page of each part). */
const laterEntries = () => batchPosts(ehr).slice(1).flatMap(batchUrls);
const codesOf = (url: string) => new URLSearchParams(url.slice(url.indexOf('?') + 1)).get('code')!.split(',');

describe.each(RELEASES)('list vital signs beyond the first page (%s)', (release) => {
  it('shows a temperature and a weight older than the first page, asking only the missing kinds the list shows', async () => {
    serve(release, [icuRecord('p1'), fullPageRecord('p2')]);
    const handed: string[] = [];
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1', 'p2'], ['vitals'], (row) => handed.push(row.patient.id), SHOWN);

    const p1 = rows.get('p1')!;
    expect(p1.vitals).toMatchObject({
      status: 'ok',
      value: {
        heartRate: { time: { text: iso(now - 5 * MIN) }, value: { value: 70 } },
        temperature: { kind: 'temperature', time: { text: TEMPERATURE_TIME }, value: { value: 37.8, unit: '°C' } },
        weight: { kind: 'weight', time: { text: WEIGHT_TIME }, value: { value: 81.4, unit: 'kg' } },
      },
    });
    // SpO2 was asked and the EHR has none: still "none recorded" for that kind; height is not shown, so not asked.
    expect(p1.vitals?.status === 'ok' && p1.vitals.value.spo2).toBeUndefined();
    expect(p1.vitals?.status === 'ok' && p1.vitals.value.height).toBeUndefined();
    expect(p1.warnings).toEqual([]);

    // One more batch: one entry per missing shown kind of p1, none for p2 (its first page has every shown kind).
    expect(batchPosts(ehr)).toHaveLength(2);
    expect(singleGets(ehr)).toHaveLength(0);
    const extra = laterEntries();
    expect(extra).toHaveLength(3);
    expect(extra.every((url) => url.startsWith('Observation?patient=p1&category=vital-signs&code='))).toBe(true);
    const sort = release === 'DSTU2' ? '_sort:desc=date' : '_sort=-date';
    expect(extra.every((url) => url.includes('&_count=2&') && decodeURIComponent(url).endsWith(sort))).toBe(true);
    expect(extra.map(codesOf)).toEqual([
      ['8310-5', '8331-1', '8328-7', '8333-7', '8332-9', '8329-5', '60836-4'],
      ['2708-6', '59408-5', '2710-2'],
      ['29463-7', '3141-9'],
    ]);

    // p2 needed nothing more: it was handed on before the extra read, p1 after it.
    expect(handed).toEqual(['p2', 'p1']);
    expect(rows.get('p2')!.vitals).toMatchObject({
      status: 'ok',
      value: {
        heartRate: { value: { value: 66 } },
        temperature: { value: { value: 36.9 } },
        weight: { value: { value: 60 } },
        spo2: { value: { value: 98 } },
      },
    });
  });

  it('asks nothing more for a patient whose first page has every kind the list shows', async () => {
    serve(release, [fullPageRecord('p2')]);
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p2'], ['vitals'], undefined, SHOWN);
    expect(rows.get('p2')!.vitals).toMatchObject({ status: 'ok', value: { temperature: { value: { value: 36.9 } } } });
    expect(batchPosts(ehr)).toHaveLength(1);
    expect(singleGets(ehr)).toHaveLength(0);
  });

  it('asks a blood pressure by its panels and both halves, and pairs standalone halves', async () => {
    const record = icuRecord('p1');
    const older = iso(now - 30 * HOUR);
    const halves = [
      ['8480-6', 142],
      ['8462-4', 91],
    ].map(([code, value], i) => ({
      resourceType: 'Observation',
      id: `bp-${i}`,
      status: 'final',
      category: [{ coding: [{ code: 'vital-signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code }] },
      subject: { reference: 'Patient/p1' },
      effectiveDateTime: older,
      valueQuantity: { value, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    }));
    serveClinical(ehr, [...writeRecord(record, release), ...halves], { release });
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], ['vitals'], undefined, ['heartRate', 'bloodPressure']);
    expect(rows.get('p1')!.vitals).toMatchObject({
      status: 'ok',
      value: { bloodPressure: { time: { text: older }, systolic: { value: 142 }, diastolic: { value: 91 } } },
    });
    const [url] = laterEntries();
    expect(laterEntries()).toHaveLength(1);
    expect(url).toContain('&_count=6&');
    expect(codesOf(url)).toEqual(expect.arrayContaining(['85354-9', '55284-4', '35094-2', '8480-6', '8462-4', '76535-4']));
  });

  it('keeps the list working when the extra read fails: the first page\'s kinds stay, the kinds asked read "not available"', async () => {
    serve(release, [icuRecord('p1')], {
      entry: (url) => (url.includes('&code=') ? { status: 500, json: { resourceType: 'OperationOutcome', issue: [] } } : undefined),
    });
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], ['vitals'], undefined, SHOWN);
    const p1 = rows.get('p1')!;
    expect(p1.vitals).toMatchObject({ status: 'ok', value: { heartRate: { value: { value: 70 } } } });
    expect(p1.vitals?.status === 'ok' && p1.vitals.value.temperature).toEqual({ kind: 'temperature', unavailable: 'failed' });
    expect(p1.warnings).toContainEqual({ code: 'vital_lookup_failed', count: 3 });
  });

  it('keeps the list working when the EHR fails the whole extra batch', async () => {
    serve(release, [icuRecord('p1')], {
      batch: (request) => (request.body.includes('&code=') ? { status: 503, json: { resourceType: 'OperationOutcome', issue: [] } } : undefined),
    });
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], ['vitals'], undefined, SHOWN);
    const p1 = rows.get('p1')!;
    expect(p1.vitals).toMatchObject({ status: 'ok', value: { heartRate: { value: { value: 70 } } } });
    expect(p1.warnings).toContainEqual({ code: 'vital_lookup_failed', count: 1 });
    expect(reported).toContainEqual({ code: 'vital_lookup_failed', count: 1 });
  });

  it.each([
    ['ignores', { ignoreSort: true }],
    ['rejects', { rejectSort: true }],
  ] as const)('asks nothing more when the EHR %s `_sort` (its first page is no proof of what is newest)', async (_, options) => {
    serve(release, [icuRecord('p1')], options);
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], ['vitals'], undefined, SHOWN);
    expect(rows.get('p1')!.vitals).toMatchObject({ status: 'ok' });
    expect([...batchPosts(ehr).flatMap(batchUrls), ...singleGets(ehr).map((r) => r.path)].some((u) => u.includes('code='))).toBe(false);
  });
});
