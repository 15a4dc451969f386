/**
 * Clinical review, finding 2: whose Coverage it is, for every record.
 *
 * FHIR source: DSTU2 Coverage has no patient or beneficiary element; only `subscriber`
 * (Reference(Patient)) ties it to a person (hl7.org/fhir/DSTU2/coverage.html), and a server that
 * ignores the unknown `patient` search parameter may answer with every patient's coverages. STU3 and
 * R4 Coverage name the covered person in `beneficiary` (Reference(Patient)); `subscriber` is the
 * policy holder, who may be another person, e.g. a parent (hl7.org/fhir/STU3/coverage.html,
 * hl7.org/fhir/R4/coverage.html).
 *
 * Rule: a resource whose only patient link (for Coverage: beneficiary, else subscriber) names
 * another patient is another patient's entry: left out, with the warning other_patient_entry.
 */
import { describe, expect, it } from 'vitest';
import { createEhrGateway } from '../../../server/ehr/index.js';
import { readSearchset } from '../../../server/ehr/clinical/searchset.js';
import { belongsTo } from '../../../server/ehr/clinical/values.js';
import { Warnings } from '../../../server/ehr/clinical/warnings.js';
import { partnerAt, useFakeEhr } from './fake-ehr.js';
import { sampleRecord, writeRecord } from './clinical-records.js';
import { serveClinical } from './clinical-server.js';

const bundle = (...resources: Record<string, unknown>[]) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
});
const dstu2 = (id: string, subscriber: string) => ({
  resourceType: 'Coverage',
  id,
  issuer: { display: 'Acme' },
  plan: 'Gold',
  subscriber: { reference: subscriber },
});

describe('DSTU2 Coverage is the subscriber’s', () => {
  it('one whose subscriber is another patient is left out with other_patient_entry', () => {
    const warnings = new Warnings();
    const set = readSearchset(bundle(dstu2('mine', 'Patient/p1'), dstu2('theirs', 'Patient/other')), 'p1', warnings);
    expect(set?.resources.map((r) => r.id)).toEqual(['mine']);
    expect(warnings.list()).toEqual([{ code: 'other_patient_entry', count: 1 }]);
  });

  it('an absolute subscriber reference counts too; no subscriber, or a non-patient one, does not exclude', () => {
    expect(belongsTo(dstu2('c', 'https://ehr.example/fhir/Patient/other'), 'p1')).toBe(false);
    expect(belongsTo(dstu2('c', 'https://ehr.example/fhir/Patient/p1/_history/3'), 'p1')).toBe(true);
    expect(belongsTo({ resourceType: 'Coverage', id: 'c', plan: 'Gold' }, 'p1')).toBe(true);
    expect(belongsTo(dstu2('c', 'RelatedPerson/mum'), 'p1')).toBe(true);
  });
});

describe.each(['STU3', 'R4'] as const)('%s Coverage is the beneficiary’s', (release) => {
  const coverage = (beneficiary: string, subscriber: string) => ({
    resourceType: 'Coverage',
    id: 'c',
    status: 'active',
    beneficiary: { reference: beneficiary },
    subscriber: { reference: subscriber },
    payor: [{ display: 'Acme' }],
  });

  it(`a child's coverage with a parent as subscriber stays on the child's row (${release})`, () => {
    expect(belongsTo(coverage('Patient/child', 'Patient/parent'), 'child')).toBe(true);
    // …and is not the parent's, though the parent subscribes.
    expect(belongsTo(coverage('Patient/child', 'Patient/parent'), 'parent')).toBe(false);
  });
});

describe('a DSTU2 server ignoring `patient` on Coverage', () => {
  const ehr = useFakeEhr();

  it("does not put another patient's coverage on the row", async () => {
    const store = writeRecord(sampleRecord('p1'), 'DSTU2').filter((r) => r.resourceType !== 'Coverage');
    const foreign = { ...dstu2('theirs', 'Patient/other'), issuer: { display: 'Other Payer' } };
    serveClinical(ehr, store, {
      release: 'DSTU2',
      entry: (url) => (url.startsWith('Coverage?') ? { json: bundle(dstu2('mine', 'Patient/p1'), foreign) } : undefined),
    });
    const gateway = createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')], onWarnings: () => {} });
    const row = (await gateway.readClinical(ehr.base, 'tenant-1', ['p1'], ['coverage'])).get('p1');
    expect(row?.coverage?.status).toBe('ok');
    const payers = row?.coverage?.status === 'ok' ? row.coverage.value.map((c) => c.payer) : [];
    expect(payers).toEqual(['Acme']);
    expect(row?.warnings).toContainEqual({ code: 'other_patient_entry', count: 1 });
  });
});
