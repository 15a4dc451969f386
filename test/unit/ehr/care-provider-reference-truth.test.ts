/**
 * Clinical review, finding 1: the care provider cell for every record.
 *
 * FHIR source: Patient.careProvider (DSTU2, hl7.org/fhir/DSTU2/patient.html) and
 * Patient.generalPractitioner (STU3/R4, hl7.org/fhir/R4/patient.html) are References; a
 * Reference.reference is a "relative or absolute URL", and an absolute URL on the server's own base
 * is the same resource as the relative one (hl7.org/fhir/R4/references.html). A URL on another
 * server is not the EHR's to give and is never read.
 *
 * Rules:
 * - a care provider referenced by an absolute URL on the EHR's base is read like a relative one;
 * - a care provider that is recorded but whose name cannot be read is "Not available", never
 *   "None recorded"; "None recorded" only when the Patient records no care provider at all.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createEhrGateway } from '../../../server/ehr/index.js';
import { ownReference } from '../../../server/ehr/clinical/values.js';
import { showCell } from '../../../client/shared/cells';
import { setLanguage } from '../../../client/shared/i18n/t';
import { partnerAt, useFakeEhr } from './fake-ehr.js';
import { sampleRecord, writeRecord, type Release } from './clinical-records.js';
import { batchPosts, batchUrls, serveClinical } from './clinical-server.js';

const TENANT = 'tenant-1';
const TYPES = ['Patient', 'Observation', 'Encounter', 'Condition', 'AllergyIntolerance', 'MedicationOrder', 'MedicationRequest', 'Coverage'];

const ehr = useFakeEhr();
beforeAll(() => setLanguage('en'));

const gateway = () => createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')], onWarnings: () => {} });
const field = (release: Release) => (release === 'DSTU2' ? 'careProvider' : 'generalPractitioner');
const practitioner = (id: string) => ({ resourceType: 'Practitioner', id, name: [{ given: ['Ada'], family: 'Adams' }] });

/** Patient p1 with the given care provider entries (none: the element left out), plus `extra` resources. */
function serve(release: Release, providers: Record<string, unknown>[] | null, extra: Record<string, unknown>[], types = ['Practitioner']) {
  const store = writeRecord(sampleRecord('p1'), release).map((r) => {
    if (r.resourceType !== 'Patient') return r;
    const { careProvider: _c, generalPractitioner: _g, ...rest } = r as Record<string, unknown>;
    return providers ? { ...rest, [field(release)]: providers } : rest;
  });
  serveClinical(ehr, [...store, ...extra], { release, resources: [...TYPES, ...types] });
}

const listCell = async () => (await gateway().readClinical(ehr.base, TENANT, ['p1'], ['careProvider'])).get('p1')?.careProvider;

describe.each(['DSTU2', 'STU3', 'R4'] as const)('%s care provider given as an absolute reference', (release) => {
  it('on the EHR base is read as the relative reference is (list and details)', async () => {
    serve(release, [{ reference: `${ehr.base}/Practitioner/dr7` }], [practitioner('dr7')]);
    expect(await listCell()).toEqual({ status: 'ok', value: 'Ada Adams' });
    expect(batchUrls(batchPosts(ehr)[1])).toEqual(['Practitioner/dr7']);
    const details = await gateway().readPatientDetails(ehr.base, TENANT, 'p1');
    expect(details?.careProvider).toEqual({ status: 'ok', value: 'Ada Adams' });
  });

  it('on another server is never read, and the cell says "Not available", not "None recorded"', async () => {
    serve(release, [{ reference: 'https://elsewhere.example/fhir/Practitioner/dr7' }], [practitioner('dr7')]);
    const cell = await listCell();
    expect(cell).toEqual({ status: 'unavailable', reason: 'not_offered' });
    expect(showCell('careProvider', cell).text).toBe('Not available');
    expect(batchPosts(ehr)).toHaveLength(1);
  });
});

describe.each(['DSTU2', 'STU3', 'R4'] as const)('%s care provider recorded but not named', (release) => {
  it('a failed lookup (no such Practitioner) reads "Not available" (failed), list and details', async () => {
    serve(release, [{ reference: 'Practitioner/gone' }], []);
    const cell = await listCell();
    expect(cell).toEqual({ status: 'unavailable', reason: 'failed' });
    expect(showCell('careProvider', cell).text).toBe('Not available');
    expect((await gateway().readPatientDetails(ehr.base, TENANT, 'p1'))?.careProvider).toEqual({ status: 'unavailable', reason: 'failed' });
  });

  it('a type the EHR does not offer reads "Not available" (not_offered), without a lookup', async () => {
    serve(release, [{ reference: 'Practitioner/dr7' }], [practitioner('dr7')], []);
    expect(await listCell()).toEqual({ status: 'unavailable', reason: 'not_offered' });
    expect(batchPosts(ehr)).toHaveLength(1);
  });

  it('an identifier only is recorded too: "Not available"', async () => {
    serve(release, [{ identifier: { system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' } }], []);
    expect(await listCell()).toEqual({ status: 'unavailable', reason: 'not_offered' });
  });

  it('"None recorded" stays for a patient without any care provider', async () => {
    serve(release, null, []);
    const cell = await listCell();
    expect(cell).toEqual({ status: 'none' });
    expect(showCell('careProvider', cell).text).toBe('None recorded');
  });
});

describe('ownReference (the EHR-base rule shared by references)', () => {
  const base = 'https://ehr.example/fhir/';
  it('gives Type/id for relative and same-base absolute references, null for another server or path', () => {
    expect(ownReference('Practitioner/dr7', base)).toBe('Practitioner/dr7');
    expect(ownReference('https://ehr.example/fhir/Practitioner/dr7', base)).toBe('Practitioner/dr7');
    expect(ownReference('https://EHR.example/fhir/Practitioner/dr7/_history/2', base)).toBe('Practitioner/dr7');
    expect(ownReference('https://ehr.example/other/Practitioner/dr7', base)).toBeNull();
    expect(ownReference('https://ehr.example/fhirx/Practitioner/dr7', base)).toBeNull();
    expect(ownReference('https://elsewhere.example/fhir/Practitioner/dr7', base)).toBeNull();
    expect(ownReference('https://ehr.example/fhir/Practitioner/dr7?x=1', base)).toBeNull();
    expect(ownReference('https://ehr.example/fhir/Practitioner/dr7', undefined)).toBeNull();
  });
});
