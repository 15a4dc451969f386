import { describe, expect, it } from 'vitest';
import { createEhrGateway } from '../../../server/ehr/index.js';
import { assemblePart } from '../../../server/ehr/clinical/assemble.js';
import { latestVitals, latestVitalsOfSorted, readVitals } from '../../../server/ehr/clinical/vitals.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { cellsFor } from '../../../server/features/lists/list-cells.js';
import { partnerAt, useFakeEhr } from './fake-ehr.js';
import { sampleRecord, writeRecord, type LogicalRecord, type Release } from './clinical-records.js';
import { serveClinical } from './clinical-server.js';

const obs = (code: string, time: string, value: number, unit = '/min') => ({
  resourceType: 'Observation',
  status: 'final',
  category: [{ coding: [{ code: 'vital-signs' }] }],
  code: { coding: [{ system: 'http://loinc.org', code }] },
  effectiveDateTime: time,
  valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit === 'mmHg' ? 'mm[Hg]' : unit },
});

describe('the latest reading of a kind', () => {
  it('a time without a zone is not "in the future" for an EHR east of UTC: a fresh reading in Shanghai is the latest', () => {
    // 10:00 in Shanghai is 02:00 UTC; the reading at 09:45 local time was taken 15 minutes ago.
    const now = Date.parse('2026-03-01T02:00:00Z');
    const readings = [obs('8867-4', '2026-03-01T09:45:00', 140), obs('8867-4', '2026-02-28T20:00:00', 72)];
    expect(latestVitals(readVitals(readings as never, new Warnings()), now).heartRate).toMatchObject({ value: { value: 140 } });
    expect(latestVitalsOfSorted(readings as never, new Warnings(), now)?.heartRate).toMatchObject({ value: { value: 140 } });
  });

  it('a systolic and a diastolic at one instant are one cuff reading, never split by a lone half minutes later', () => {
    const readings = [
      obs('8462-4', '2026-03-01T01:03:00Z', 95, 'mmHg'),
      obs('8480-6', '2026-03-01T01:00:00Z', 85, 'mmHg'),
      obs('8462-4', '2026-03-01T01:00:00Z', 40, 'mmHg'),
    ];
    const all = readVitals(readings as never, new Warnings());
    const pressures = all.filter((r) => r.kind === 'bloodPressure').map((r) => [r.systolic?.value ?? null, r.diastolic?.value ?? null]);
    expect(pressures).toContainEqual([85, 40]);
    expect(pressures).not.toContainEqual([85, 95]);
    expect(latestVitals(all, Date.parse('2026-03-01T02:00:00Z')).bloodPressure).toMatchObject({ systolic: { value: 85 }, diastolic: { value: 40 } });
  });
});

describe.each(['DSTU2', 'STU3', 'R4'])('items named only by their code (%s)', (version) => {
  it('two drugs coded only by a shared ingredient code are two in the list cell, never merged by the code read out', () => {
    const order = (id: string, second: string) => ({
      resourceType: version === 'DSTU2' ? 'MedicationOrder' : 'MedicationRequest',
      id,
      status: 'active',
      ...(version === 'R4' ? { intent: 'order' } : {}),
      medicationCodeableConcept: {
        coding: [
          { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '5224' },
          { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: second },
        ],
      },
    });
    const parts = assemblePart(
      'medications',
      { ok: true, set: { resources: [order('a', '1361615'), order('b', '1659263')] as never, included: [] } },
      new Map(),
      new Warnings(),
    );
    const cells = cellsFor(['medications'], parts as never, undefined);
    expect(cells.medications).toMatchObject({ status: 'ok', value: [{ name: 'RxNorm 5224' }, { name: 'RxNorm 5224' }] });
  });
});

const ehr = useFakeEhr();

describe.each(['DSTU2', 'STU3', 'R4'] as Release[])('a list row whose first page has a kind only in the future (%s)', (release) => {
  it('asks for that kind on its own and shows the reading that is not in the future', async () => {
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    const record: LogicalRecord = {
      ...sampleRecord('p1'),
      vitals: [
        ...Array.from({ length: 60 }, (_, i) => ({
          code: '8867-4',
          value: 80,
          unit: '/min',
          ucum: '/min',
          time: iso(now - 5 * 60_000 - i * 15 * 60_000),
        })),
        // A weight dated next year (a typing slip) sorts first; the real one is two days old.
        { code: '29463-7', value: 8.14, unit: 'kg', ucum: 'kg', time: iso(now + 365 * 86_400_000) },
        { code: '29463-7', value: 81.4, unit: 'kg', ucum: 'kg', time: iso(now - 2 * 86_400_000) },
      ],
    };
    serveClinical(ehr, writeRecord(record, release), { release });
    const gateway = createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')] });
    const row = (await gateway.readClinical(ehr.base, 'tenant-1', ['p1'], ['vitals'], undefined, ['heartRate', 'weight'])).get('p1')!;
    expect(row.vitals).toMatchObject({ status: 'ok', value: { weight: { value: { value: 81.4 } } } });
  });
});
