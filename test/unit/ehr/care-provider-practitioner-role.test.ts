import { describe, expect, it } from 'vitest';
import { createEhrGateway } from '../../../server/ehr/index.js';
import { partnerAt, useFakeEhr } from './fake-ehr.js';
import { sampleRecord, writeRecord } from './clinical-records.js';
import { batchPosts, batchUrls, serveClinical } from './clinical-server.js';

/**
 * An R4 Patient.generalPractitioner may be a PractitionerRole (Reference(Organization | Practitioner |
 * PractitionerRole); DSTU2 careProvider and STU3 generalPractitioner name no roles). A role says who
 * by PractitionerRole.practitioner (else .organization): a display there, a resource it holds
 * contained, or a reference to read. The list cell and the details name the practitioner in each
 * case, never "Not available" while the EHR holds the name. Nothing is read from another server.
 */
const TENANT = 'tenant-1';
const TYPES = ['Patient', 'Observation', 'Encounter', 'Condition', 'AllergyIntolerance', 'MedicationRequest', 'Coverage', 'Medication'];
const ehr = useFakeEhr();
const gateway = () => createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')], onWarnings: () => {} });

const adams = (id: string) => ({ resourceType: 'Practitioner', id, name: [{ use: 'official', prefix: ['Dr.'], given: ['Ada'], family: 'Adams' }] });
const role = (id: string, practitioner: unknown, extra: Record<string, unknown> = {}) => ({
  resourceType: 'PractitionerRole',
  id,
  practitioner,
  ...extra,
});

/** The R4 sample patient p1 with this generalPractitioner (and contained resources), and the other resources the EHR holds. */
function serve(generalPractitioner: unknown[], extra: unknown[], contained?: unknown[]) {
  const store = writeRecord(sampleRecord('p1'), 'R4').map((r) => {
    if (r.resourceType !== 'Patient') return r;
    const { generalPractitioner: _g, ...rest } = r as Record<string, unknown>;
    return { ...rest, generalPractitioner, ...(contained ? { contained } : {}) };
  });
  serveClinical(ehr, [...store, ...(extra as typeof store)], {
    release: 'R4',
    resources: [...TYPES, 'Practitioner', 'Organization', 'PractitionerRole'],
  });
}

async function shown() {
  const list = (await gateway().readClinical(ehr.base, TENANT, ['p1'], ['careProvider'])).get('p1')?.careProvider;
  const details = (await gateway().readPatientDetails(ehr.base, TENANT, 'p1'))?.careProvider;
  return { list, details };
}

const named = { status: 'ok', value: 'Dr. Ada Adams' };

describe('an R4 care provider that is a PractitionerRole', () => {
  it.each([
    ['relative', 'Practitioner/dr1'],
    ['absolute on the EHR base', 'BASE/Practitioner/dr1'],
  ])('naming its practitioner by a %s reference alone: the practitioner is read, and named', async (_, reference) => {
    serve([{ reference: 'PractitionerRole/r1' }], [role('r1', { reference: reference.replace('BASE', ehr.base) }), adams('dr1')]);
    expect(await shown()).toEqual({ list: named, details: named });
    const posts = batchPosts(ehr);
    expect(posts.slice(-2).map(batchUrls)).toEqual([['PractitionerRole/r1'], ['Practitioner/dr1']]);
  });

  it('naming only its organization by reference: the organization is named', async () => {
    const org = { resourceType: 'Organization', id: 'o1', name: 'Riverside Family Practice' };
    serve([{ reference: 'PractitionerRole/r1' }], [role('r1', undefined, { organization: { reference: 'Organization/o1' } }), org]);
    expect((await shown()).list).toEqual({ status: 'ok', value: 'Riverside Family Practice' });
  });

  it('holding its practitioner contained, itself read or contained in the Patient: named without another read', async () => {
    serve([{ reference: 'PractitionerRole/r1' }], [role('r1', { reference: '#dr' }, { contained: [adams('dr')] })]);
    expect(await shown()).toEqual({ list: named, details: named });
    ehr.reset();
    serve([{ reference: '#r1' }], [], [role('r1', { reference: '#dr' }), adams('dr')]);
    expect(await shown()).toEqual({ list: named, details: named });
    expect(
      batchPosts(ehr)
        .flatMap(batchUrls)
        .some((url) => url.startsWith('Practitioner')),
    ).toBe(false);
  });

  it('naming a practitioner on another server: that server is never asked, the name reads "not available"', async () => {
    serve([{ reference: 'PractitionerRole/r1' }], [role('r1', { reference: 'https://other.example/fhir/Practitioner/dr1' })]);
    const { list } = await shown();
    expect(list?.status).toBe('unavailable');
    expect(batchPosts(ehr).flatMap(batchUrls)).not.toContain('Practitioner/dr1');
  });
});
