import { describe, expect, it } from 'vitest';
import { createEhrGateway } from '../../../server/ehr/index.js';
import { providerName } from '../../../server/ehr/clinical/care-provider.js';
import { partnerAt, useFakeEhr } from './fake-ehr.js';
import { sampleRecord, writeRecord, type Release } from './clinical-records.js';
import { batchPosts, batchUrls, serveClinical } from './clinical-server.js';

const TENANT = 'tenant-1';
const TYPES = [
  'Patient',
  'Observation',
  'Encounter',
  'Condition',
  'AllergyIntolerance',
  'MedicationOrder',
  'MedicationRequest',
  'Coverage',
  'Medication',
];

const ehr = useFakeEhr();

const gateway = () => createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')], onWarnings: () => {} });

/** A Practitioner as each release writes it: DSTU2 one HumanName with `family` an array, STU3/R4 an array of names. */
const practitioner = (release: Release, id: string) => ({
  resourceType: 'Practitioner',
  id,
  name:
    release === 'DSTU2'
      ? { use: 'official', prefix: ['Dr.'], given: ['Ada'], family: ['Adams'] }
      : [
          { use: 'old', given: ['Ada'], family: 'Byron' },
          { use: 'official', prefix: ['Dr.'], given: ['Ada'], family: 'Adams' },
        ],
});
const field = (release: Release) => (release === 'DSTU2' ? 'careProvider' : 'generalPractitioner');

/** The sample patients with their care provider as a bare reference, as the SMART STU3 samples have it. */
function serve(release: Release, ids: string[], reference: string, extra: Record<string, unknown>[], types = ['Practitioner', 'Organization']) {
  const store = ids.flatMap((id) =>
    writeRecord(sampleRecord(id), release).map((r) => {
      if (r.resourceType !== 'Patient') return r;
      const { careProvider: _c, generalPractitioner: _g, ...rest } = r as Record<string, unknown>;
      return { ...rest, [field(release)]: [{ reference }] };
    }),
  );
  serveClinical(ehr, [...store, ...extra], { release, resources: [...TYPES, ...types] });
}

describe.each(['DSTU2', 'STU3', 'R4'] as const)('%s care provider references without a display', (release) => {
  it('are read once per provider after the batches, and the list cell names the practitioner', async () => {
    serve(release, ['p1', 'p2'], 'Practitioner/dr1', [practitioner(release, 'dr1')]);
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1', 'p2'], ['vitals', 'careProvider']);
    expect(rows.get('p1')?.careProvider).toEqual({ status: 'ok', value: 'Dr. Ada Adams' });
    expect(rows.get('p2')?.careProvider).toEqual({ status: 'ok', value: 'Dr. Ada Adams' });
    expect(batchPosts(ehr)).toHaveLength(2);
    expect(batchUrls(batchPosts(ehr)[1])).toEqual(['Practitioner/dr1']);
  });

  it('are not read for a list that does not show the care provider', async () => {
    serve(release, ['p1', 'p2'], 'Practitioner/dr1', [practitioner(release, 'dr1')]);
    await gateway().readClinical(ehr.base, TENANT, ['p1', 'p2'], ['vitals']);
    expect(batchPosts(ehr)).toHaveLength(1);
  });

  it('name an organisation, and show in the details panel', async () => {
    serve(release, ['p1'], 'Organization/o1', [{ resourceType: 'Organization', id: 'o1', name: 'Riverside Family Practice' }]);
    const details = await gateway().readPatientDetails(ehr.base, TENANT, 'p1');
    expect(details?.careProvider).toEqual({ status: 'ok', value: 'Riverside Family Practice' });
    expect(details?.patient.generalPractitioner).toBe('Riverside Family Practice');
  });

  // One is recorded, so never "none recorded" (care-provider-reference-truth.test.ts): "not available" instead.
  it('read "not available" when the EHR does not offer the type or has no such resource, without failing the row', async () => {
    serve(release, ['p1'], 'Practitioner/gone', []);
    expect((await gateway().readClinical(ehr.base, TENANT, ['p1'], ['careProvider']))?.get('p1')?.careProvider).toEqual({
      status: 'unavailable',
      reason: 'failed',
    });
    ehr.reset();
    serve(release, ['p1'], 'Practitioner/dr1', [practitioner(release, 'dr1')], []);
    expect((await gateway().readClinical(ehr.base, TENANT, ['p1'], ['careProvider']))?.get('p1')?.careProvider).toEqual({
      status: 'unavailable',
      reason: 'not_offered',
    });
    expect(batchPosts(ehr)).toHaveLength(1);
  });
});

describe('a provider resource is named only when it is the one asked for', () => {
  it('checks type and id, and reads an R4 PractitionerRole by its practitioner or organization', () => {
    expect(providerName({ resourceType: 'Organization', id: 'o1', name: 'Clinic' }, 'Organization/o2')).toBeNull();
    expect(providerName({ resourceType: 'Practitioner', id: 'o1', name: [{ family: 'X' }] }, 'Organization/o1')).toBeNull();
    expect(
      providerName(
        { resourceType: 'PractitionerRole', id: 'r1', practitioner: { reference: 'Practitioner/1', display: 'Dr. Lee' } },
        'PractitionerRole/r1',
      ),
    ).toBe('Dr. Lee');
  });
});
