import { describe, expect, it } from 'vitest';
import { createEhrGateway } from '../../../server/ehr/index.js';
import { partnerAt, useFakeEhr } from './fake-ehr.js';
import { sampleRecord, writeRecord, type Release } from './clinical-records.js';
import { batchPosts, batchUrls, serveClinical } from './clinical-server.js';

const TENANT = 'tenant-1';
const TYPES = ['Patient', 'Observation', 'Encounter', 'Condition', 'AllergyIntolerance', 'MedicationOrder', 'MedicationRequest', 'Coverage'];

const ehr = useFakeEhr();

const gateway = () => createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')], onWarnings: () => {} });

/** The sample patients with their coverage's payer (DSTU2 issuer) as a bare `Organization/acme` reference (or the one given). */
function serve(release: Release, ids: string[], types = ['Organization'], reference = 'Organization/acme') {
  const store = ids.flatMap((id) =>
    writeRecord(sampleRecord(id), release).map((r) => {
      if (r.resourceType !== 'Coverage') return r;
      const payer = { reference };
      return release === 'DSTU2' ? { ...r, issuer: payer } : { ...r, payor: [payer] };
    }),
  );
  serveClinical(ehr, [...store, { resourceType: 'Organization', id: 'acme', name: 'Acme Insurance' }], { release, resources: [...TYPES, ...types] });
}

const payers = (cell: unknown) =>
  (cell as { status: string; value?: Array<{ payer: string | null }> }).value?.map((c) => c.payer) ?? (cell as { status: string }).status;

describe.each(['DSTU2', 'STU3', 'R4'] as const)('%s coverage payor given by reference only', (release) => {
  it('is named in the list from one more batch after the first, each Organization once', async () => {
    serve(release, ['p1', 'p2']);
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1', 'p2'], ['coverage']);
    expect(payers(rows.get('p1')?.coverage)).toContain('Acme Insurance');
    expect(payers(rows.get('p2')?.coverage)).toContain('Acme Insurance');
    expect(batchPosts(ehr)).toHaveLength(2);
    expect(batchUrls(batchPosts(ehr)[1])).toEqual(['Organization/acme']);
  });

  it('is named in the details', async () => {
    serve(release, ['p1']);
    const details = await gateway().readPatientDetails(ehr.base, TENANT, 'p1');
    expect(payers(details?.coverage)).toContain('Acme Insurance');
  });

  it("is named when given as an absolute URL on the EHR's own base, in the list and the details; one on another server is never read", async () => {
    // Reference.reference is a relative or absolute URL in every release; on the EHR's base it is the same Organization.
    serve(release, ['p1'], ['Organization'], `${ehr.base.replace(/\/+$/, '')}/Organization/acme`);
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], ['coverage']);
    expect(payers(rows.get('p1')?.coverage)).toContain('Acme Insurance');
    expect(batchUrls(batchPosts(ehr)[1])).toEqual(['Organization/acme']);
    expect(payers((await gateway().readPatientDetails(ehr.base, TENANT, 'p1'))?.coverage)).toContain('Acme Insurance');
    ehr.reset();
    serve(release, ['p1'], ['Organization'], 'https://elsewhere.example.org/fhir/Organization/acme');
    const elsewhere = await gateway().readClinical(ehr.base, TENANT, ['p1'], ['coverage']);
    expect(payers(elsewhere.get('p1')?.coverage)).not.toContain('Acme Insurance');
    expect(batchPosts(ehr)).toHaveLength(1);
  });

  it('stays "payer not stated" when the EHR does not offer Organization, without another read', async () => {
    serve(release, ['p1'], []);
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], ['coverage']);
    expect(payers(rows.get('p1')?.coverage)).not.toContain('Acme Insurance');
    expect(batchPosts(ehr)).toHaveLength(1);
  });
});
