import { describe, expect, it } from 'vitest';
import { createEhrGateway } from '../../../server/ehr/index.js';
import { partnerAt, useFakeEhr } from './fake-ehr.js';
import type { Release } from './clinical-records.js';
import { serveClinical } from './clinical-server.js';
import { vitalObservation } from './vital-observations.js';

/**
 * A revised reading that names the one it replaces by an absolute URL (Reference.reference may be
 * absolute in DSTU2 and STU3): on the EHR's own base it is the same Observation as `Observation/a`,
 * so the obsolete reading is neither the list's latest nor in the details' trend; on another
 * server it names another server's Observation and replaces nothing here.
 */
const ehr = useFakeEhr();

const now = Date.now();
const at = new Date(now - 10 * 60_000).toISOString();
const bpm = (value: number) => ({ valueQuantity: { value, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' } });

describe.each(['DSTU2', 'STU3'] as Release[])('%s: a reading replaced by an absolute reference', (release) => {
  const store = (reference: string) => [
    { resourceType: 'Patient', id: 'p1', name: [{ family: 'Doe', given: ['Ann'] }] },
    { ...vitalObservation(release, '8867-4', at, bpm(180)), id: 'a' },
    { ...vitalObservation(release, '8867-4', at, bpm(80), { related: [{ type: 'replaces', target: { reference } }] }), id: 'b', status: 'amended' },
  ];
  const gateway = () => createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')] });
  const heartRates = (history: unknown) => JSON.stringify(history).match(/"value":(180|80)\b/g) ?? [];

  it('on the EHR’s own base: the list and the details show the revised value only', async () => {
    serveClinical(ehr, store(`${ehr.base}/Observation/a`), { release });
    const g = gateway();
    const row = (await g.readClinical(ehr.base, 'tenant-1', ['p1'], ['vitals'])).get('p1')!;
    expect(row.vitals).toMatchObject({ status: 'ok', value: { heartRate: { value: { value: 80 } } } });
    const details = (await g.readPatientDetails(ehr.base, 'tenant-1', 'p1'))!;
    expect(heartRates(details.vitalHistory)).toEqual(['"value":80']);
  });

  it('on another server: both readings stay', async () => {
    serveClinical(ehr, store('https://other.example.org/fhir/Observation/a'), { release });
    const details = (await gateway().readPatientDetails(ehr.base, 'tenant-1', 'p1'))!;
    expect(heartRates(details.vitalHistory).sort()).toEqual(['"value":180', '"value":80']);
  });
});
