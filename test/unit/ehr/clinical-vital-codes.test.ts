import { describe, expect, it } from 'vitest';
import { createEhrGateway, type PatientClinical } from '../../../server/ehr/index.js';
import { VITAL_CODES, type VitalCodeKind } from '../../../server/ehr/clinical/vital-codes.js';
import { partnerAt, useFakeEhr } from './fake-ehr.js';
import { sampleRecord, writeRecord, type LogicalRecord, type Release } from './clinical-records.js';
import { serveClinical } from './clinical-server.js';

/**
 * Every code of the vital codes table, written as each release writes a vital-sign Observation
 * (clinical-records.ts) and read through the EHR client: the profile code and the more specific
 * LOINC codes real EHRs send are read as their kind, in DSTU2, STU3 and R4.
 */
const RELEASES: Release[] = ['DSTU2', 'STU3', 'R4'];
const TIME = '2024-03-02T07:00:00Z';
const SAMPLE: Record<Exclude<VitalCodeKind, 'bpPanel' | 'systolic' | 'diastolic'>, { value: number; unit: string; ucum: string }> = {
  heartRate: { value: 72, unit: 'beats/minute', ucum: '/min' },
  respiratoryRate: { value: 16, unit: 'breaths/minute', ucum: '/min' },
  temperature: { value: 36.8, unit: 'Cel', ucum: 'Cel' },
  spo2: { value: 97, unit: '%', ucum: '%' },
  weight: { value: 70.2, unit: 'kg', ucum: 'kg' },
  height: { value: 172, unit: 'cm', ucum: 'cm' },
  bmi: { value: 23.7, unit: 'kg/m2', ucum: 'kg/m2' },
};

const ehr = useFakeEhr();

async function readVitals(resources: Record<string, unknown>[], release: Release, id: string): Promise<PatientClinical['vitals']> {
  serveClinical(ehr, resources, { release });
  const gateway = createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')] });
  const rows = await gateway.readClinical(ehr.base, 'tenant-1', [id], ['vitals']);
  return rows.get(id)?.vitals;
}

const record = (id: string, vitals: LogicalRecord['vitals']): LogicalRecord => ({ ...sampleRecord(id), vitals });

describe.each(RELEASES)('vital codes in %s', (release) => {
  const simple = (Object.keys(SAMPLE) as Array<keyof typeof SAMPLE>).flatMap((kind) =>
    Object.keys(VITAL_CODES[kind]).map((code) => [kind, code] as const),
  );
  it.each(simple)('reads %s from LOINC %s', async (kind, code) => {
    const id = `p-${code}`;
    const vitals = await readVitals(writeRecord(record(id, [{ code, time: TIME, ...SAMPLE[kind] }]), release), release, id);
    expect(vitals?.status).toBe('ok');
    expect(vitals?.status === 'ok' && Object.keys(vitals.value)).toEqual([kind]);
    expect(vitals).toMatchObject({ value: { [kind]: { value: { value: SAMPLE[kind].value } } } });
  });

  const panels = Object.keys(VITAL_CODES.bpPanel);
  const systolics = Object.keys(VITAL_CODES.systolic);
  const diastolics = Object.keys(VITAL_CODES.diastolic);
  // Each panel code, and each component code pair (by index: sitting with sitting, and so on).
  const pairs = [...panels.map((panel) => [panel, systolics[0], diastolics[0]]), ...systolics.map((s, i) => [panels[0], s, diastolics[i]])];
  it.each(pairs)('reads blood pressure from panel %s with components %s and %s', async (panel, systolic, diastolic) => {
    const id = `bp-${panel}-${systolic}`;
    const resources = writeRecord(record(id, [{ code: panel, value: [128, 82], unit: 'mmHg', ucum: 'mm[Hg]', time: TIME }]), release);
    const text = JSON.stringify(resources).replaceAll('"8480-6"', JSON.stringify(systolic)).replaceAll('"8462-4"', JSON.stringify(diastolic));
    const vitals = await readVitals(JSON.parse(text) as Record<string, unknown>[], release, id);
    expect(vitals).toMatchObject({
      status: 'ok',
      value: { bloodPressure: { systolic: { value: 128, unit: 'mmHg' }, diastolic: { value: 82, unit: 'mmHg' } } },
    });
  });

  it.each([
    ['59574-4', 'BMI percentile'],
    ['3142-7', 'stated body weight'],
    ['8478-0', 'mean arterial pressure'],
  ])('leaves LOINC %s (%s) out of the vital columns', async (code) => {
    const id = `x-${code}`;
    const vitals = await readVitals(writeRecord(record(id, [{ code, value: 50, unit: '%', ucum: '%', time: TIME }]), release), release, id);
    expect(vitals).toEqual({ status: 'none' });
  });
});

describe.each(RELEASES)('the system of a vital code in %s', (release) => {
  /** The record's Observations with every coding of their code (and components' codes) in `system`. */
  const inSystem = (resources: Record<string, unknown>[], system: string | undefined) =>
    resources.map((r) => {
      if (r.resourceType !== 'Observation') return r;
      const recode = (concept: { coding?: Record<string, unknown>[] }) => ({
        ...concept,
        coding: (concept.coding ?? []).map(({ system: _old, ...coding }) => (system === undefined ? coding : { ...coding, system })),
      });
      const components = r.component as { code: { coding?: Record<string, unknown>[] } }[] | undefined;
      return {
        ...r,
        code: recode(r.code as { coding?: Record<string, unknown>[] }),
        ...(components ? { component: components.map((c) => ({ ...c, code: recode(c.code) })) } : {}),
      };
    });
  const vitals = (id: string) =>
    writeRecord(
      record(id, [
        { code: '8867-4', time: TIME, ...SAMPLE.heartRate },
        { code: '85354-9', value: [128, 82], unit: 'mmHg', ucum: 'mm[Hg]', time: TIME },
      ]),
      release,
    );

  it.each([['http://loinc.org'], ['urn:oid:2.16.840.1.113883.6.1'], ['https://loinc.org/'], [undefined]])(
    'reads a LOINC code written with system %s',
    async (system) => {
      const read = await readVitals(inSystem(vitals('p-loinc'), system), release, 'p-loinc');
      expect(read).toMatchObject({ value: { heartRate: { value: { value: 72 } }, bloodPressure: { systolic: { value: 128 } } } });
    },
  );

  it.each([['http://example.org/local-codes'], ['http://snomed.info/sct']])(
    'never reads a code of system %s as the LOINC code it looks like',
    async (system) => {
      const read = await readVitals(inSystem(vitals('p-local'), system), release, 'p-local');
      expect(read).toEqual({ status: 'none' });
    },
  );
});
