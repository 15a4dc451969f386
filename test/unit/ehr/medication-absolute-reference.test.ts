import { describe, expect, it } from 'vitest';
import { createEhrGateway } from '../../../server/ehr/index.js';
import { partnerAt, useFakeEhr } from './fake-ehr.js';
import type { Release } from './clinical-records.js';
import { serveClinical } from './clinical-server.js';

/**
 * Reference.reference may be absolute (DSTU2, STU3, R4 "Reference"): an order naming its drug as
 * `{base}/Medication/m1` is named by that Medication, read on the EHR's own base as a relative
 * one would be; a reference to another server is never followed (no request leaves for it).
 */
const ehr = useFakeEhr();

const ORDER: Record<Release, string> = { DSTU2: 'MedicationOrder', STU3: 'MedicationRequest', R4: 'MedicationRequest' };

describe.each(['DSTU2', 'STU3', 'R4'] as Release[])('an order naming its drug by an absolute URL (%s)', (release) => {
  const store = (reference: string) => [
    { resourceType: 'Patient', id: 'p1', name: [{ family: 'Doe', given: ['Ann'] }] },
    { resourceType: 'Medication', id: 'm1', code: { text: 'Heparin 5000 units/mL' } },
    {
      resourceType: ORDER[release],
      id: 'o1',
      status: 'active',
      ...(release === 'R4' ? { intent: 'order', subject: { reference: 'Patient/p1' } } : { patient: { reference: 'Patient/p1' } }),
      medicationReference: { reference },
    },
  ];
  const gateway = () => createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')] });

  it('on the EHR’s own base: the list cell and the details name the drug', async () => {
    serveClinical(ehr, store(`${ehr.base}/Medication/m1`), { release });
    const g = gateway();
    const row = (await g.readClinical(ehr.base, 'tenant-1', ['p1'], ['medications'])).get('p1')!;
    expect(row.medications).toMatchObject({ status: 'ok', value: [expect.objectContaining({ name: 'Heparin 5000 units/mL' })] });
    const details = (await g.readPatientDetails(ehr.base, 'tenant-1', 'p1'))!;
    expect(JSON.stringify(details.medications)).toContain('Heparin 5000 units/mL');
  });

  it('on another server: never read there, the drug stays unnamed', async () => {
    serveClinical(ehr, store('https://other.example.org/fhir/Medication/m1'), { release });
    const row = (await gateway().readClinical(ehr.base, 'tenant-1', ['p1'], ['medications'])).get('p1')!;
    expect(JSON.stringify(row.medications)).not.toContain('Heparin');
    expect(ehr.requests.every((r) => !r.body.includes('other.example.org'))).toBe(true);
  });
});
