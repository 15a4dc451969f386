import { beforeEach, describe, expect, it } from 'vitest';
import { createEhrGateway, type ClinicalPart, type ClinicalWarning, type EhrGatewayOptions } from '../../../server/ehr/index.js';
import { capabilityStatement, outcome, patient, routes, searchset, useFakeEhr } from './fake-ehr.js';
import { sampleRecord, writeRecord } from './clinical-records.js';
import { batchPosts, serveClinical, singleGets, type ClinicalServerOptions } from './clinical-server.js';

// What one answer, and one read, may bring in from an EHR that sends far more than it was asked.
const TENANT = 'tenant-1';
const ALL: ClinicalPart[] = ['vitals', 'encounter', 'conditions', 'allergies', 'medications', 'coverage'];

const ehr = useFakeEhr();

let warnings: ClinicalWarning[] = [];
beforeEach(() => {
  warnings = [];
});
const gateway = (options: Partial<EhrGatewayOptions> = {}) => createEhrGateway({ partners: [], onWarnings: (w) => warnings.push(...w), ...options });
const ids = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`);
const serve = (patients: string[], options: Partial<ClinicalServerOptions> = {}) =>
  serveClinical(
    ehr,
    patients.flatMap((id) => writeRecord(sampleRecord(id), 'R4')),
    { release: 'R4', ...options },
  );
const rejectBatch = () => ({ status: 400, json: outcome('not-supported') });
const warning = (code: string) => warnings.filter((w) => w.code === code).reduce((sum, w) => sum + w.count, 0);

function conditions(patientId: string, n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => ({
    resourceType: 'Condition',
    id: `c${i}`,
    subject: { reference: `Patient/${patientId}` },
    code: { text: `Condition ${i}` },
    clinicalStatus: { coding: [{ code: 'active' }] },
  }));
}

describe('entries per answer', () => {
  it.each(['batch', 'single'] as const)(
    'reads no more of a searchset (%s) than the _count asked plus a margin, and says how many it ignored',
    async (via) => {
      serve(['p1'], {
        batch: via === 'single' ? rejectBatch : undefined,
        entry: (url) => (url.startsWith('Condition?') ? { json: searchset(conditions('p1', 300)) } : undefined),
      });
      const row = (await gateway().readClinical(ehr.base, TENANT, ['p1'], ALL)).get('p1')!;
      // Conditions are asked with _count=100; ten more are allowed for OperationOutcomes and includes.
      expect(row.conditions).toMatchObject({ status: 'ok' });
      expect(row.conditions!.status === 'ok' && row.conditions!.value).toHaveLength(110);
      expect(warning('entries_over_limit')).toBe(190);
      expect(row.vitals).toMatchObject({ status: 'ok' });
    },
  );

  it('keeps at most the page size asked plus a margin of a patient search page, with a warning', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => patient(`x${i}`, 'Rivera', `Ana${i}`));
    ehr.handle(
      routes({
        'GET /fhir/metadata': () => ({ json: capabilityStatement({ fhirVersion: '4.0.1' }) }),
        'POST /fhir/Patient/_search': () => ({ json: searchset(many) }),
      }),
    );
    const result = await gateway().searchPatients(ehr.base, TENANT, { family: 'Rivera', count: 20 });
    expect(result.patients).toHaveLength(30);
    expect(warnings).toEqual([{ code: 'entries_over_limit', count: 4970 }]);
    const unasked = await gateway().searchPatients(ehr.base, TENANT, { family: 'Rivera' });
    expect(unasked.patients).toHaveLength(110);
  });

  it('does not use a batch answer with more entries than asked: each entry is read on its own, with a warning', async () => {
    serve(['p1', 'p2'], {
      batch: (r) => {
        const asked = (JSON.parse(r.body).entry as unknown[]).length;
        const extra = { resource: { resourceType: 'Patient', id: 'p2' }, response: { status: '200 OK' } };
        return { json: { resourceType: 'Bundle', type: 'batch-response', entry: Array.from({ length: asked + 3 }, () => extra) } };
      },
    });
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1', 'p2'], ALL);
    expect(batchPosts(ehr)).toHaveLength(1);
    expect(singleGets(ehr)).toHaveLength(14);
    expect([...rows.keys()]).toEqual(['p1', 'p2']);
    expect(rows.get('p1')?.vitals).toMatchObject({ status: 'ok', value: { heartRate: { value: { value: 72 } } } });
    expect(warning('batch_mismatch')).toBe(1);
  });

  it('caps the bytes of an answer that should be small (a search page) well below the batch limit', async () => {
    const padded = { ...(searchset([patient('x1', 'Rivera', 'Ana')]) as object), padding: 'x'.repeat(5 * 1024 * 1024) };
    ehr.handle(
      routes({
        'GET /fhir/metadata': () => ({ json: capabilityStatement({ fhirVersion: '4.0.1' }) }),
        'POST /fhir/Patient/_search': () => ({ json: padded }),
      }),
    );
    await expect(gateway().searchPatients(ehr.base, TENANT, { family: 'Rivera' })).rejects.toMatchObject({
      code: 'ehr_error',
      message: expect.stringContaining('4 MB limit'),
    });
  });
});

describe('what one read may bring in', () => {
  it('fails a list read with ehr_error when a batch answer holds far more entries than the read can need, without asking more', async () => {
    serve(['p1'], {
      batch: () => ({ json: { resourceType: 'Bundle', type: 'batch-response', entry: Array.from({ length: 100_000 }, () => ({})) } }),
    });
    const error = await gateway()
      .readClinical(ehr.base, TENANT, ['p1'], ALL)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ehr_error', message: expect.stringContaining('far more than was asked for') });
    expect(singleGets(ehr)).toHaveLength(0);
  });

  it('refuses a batch answer of far too many entries before parsing them: entries that are not even JSON get the same refusal', async () => {
    // 100,000 entries laid out plainly, each `{x}`: parsed, the answer would be malformed JSON (and
    // its entries read one by one); counted first, it is far more than one patient's read can need.
    const text = `{"resourceType":"Bundle","type":"batch-response","entry":[${Array.from({ length: 100_000 }, () => '{x}').join(',')}]}`;
    serve(['p1'], { batch: () => ({ body: text, headers: { 'content-type': 'application/fhir+json' } }) });
    const error = await gateway()
      .readClinical(ehr.base, TENANT, ['p1'], ALL)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ehr_error', message: expect.stringContaining('far more than was asked for') });
    expect(singleGets(ehr)).toHaveLength(0);
  });

  it('stops a list read once its bytes are spent instead of reading every answer', async () => {
    // Each single answer is 3 MB: under the per-answer cap, but 21 of them are far over what 3 patients need.
    const padded = { ...(searchset([]) as object), padding: 'x'.repeat(3 * 1024 * 1024) };
    serve(ids(3), { batch: rejectBatch, entry: (url, via) => (via === 'single' && !url.startsWith('Patient/') ? { json: padded } : undefined) });
    const error = await gateway()
      .readClinical(ehr.base, TENANT, ids(3), ALL)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ehr_error', message: expect.stringContaining('32 MB') });
    // 32 MB is ten or eleven such answers; at most the four in flight are read beyond that.
    expect(singleGets(ehr).length).toBeLessThanOrEqual(16);
    // Nothing more goes out after the read failed, only what was in flight ends.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const asked = singleGets(ehr).length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(singleGets(ehr).length).toBe(asked);
  });
});

describe('the one-by-one fallback', () => {
  it('keeps the read to its requests in flight, however many batches fall back at once', async () => {
    let inFlight = 0;
    let most = 0;
    serve(ids(6), {
      batch: rejectBatch,
      entry: (url, via) => {
        if (via !== 'single') return undefined;
        most = Math.max(most, ++inFlight);
        setTimeout(() => inFlight--, 20);
        const json = url.startsWith('Patient/') ? { resourceType: 'Patient', id: url.slice('Patient/'.length) } : searchset([]);
        return { json, delayMs: 20 };
      },
    });
    // 42 entries in batches of 10: five batches, all refused, four of them at once.
    const rows = await gateway({ batchSize: 10 }).readClinical(ehr.base, TENANT, ids(6), ALL);
    expect(rows.size).toBe(6);
    expect(batchPosts(ehr)).toHaveLength(5);
    expect(singleGets(ehr)).toHaveLength(42);
    expect(most).toBeLessThanOrEqual(4);
    expect(most).toBeGreaterThan(1);
  });

  it('reads each answer into its row as it arrives, not when the last one is in', async () => {
    serve(['p1', 'p2'], { batch: rejectBatch });
    const askedWhenDone = new Map<string, number>();
    await gateway().readClinical(ehr.base, TENANT, ['p1', 'p2'], ALL, (row) => askedWhenDone.set(row.patient.id, singleGets(ehr).length));
    // p1's seven answers are in after at most 7 + 4 requests; keeping every answer to the end would make it 14.
    expect(askedWhenDone.get('p1')).toBeLessThanOrEqual(11);
    expect(askedWhenDone.get('p2')).toBe(14);
  });
});
