import { describe, expect, it } from 'vitest';
import { createEhrGateway, type ClinicalPart, type EhrGatewayOptions } from '../../../server/ehr/index.js';
import { outcome, partnerAt, useFakeEhr, type Reply } from './fake-ehr.js';
import { sampleRecord, writeRecord } from './clinical-records.js';
import { batchPosts, batchUrls, serveClinical, singleGets, type ClinicalServerOptions } from './clinical-server.js';

const TENANT = 'tenant-1';
const ALL: ClinicalPart[] = ['vitals', 'encounter', 'conditions', 'allergies', 'medications', 'coverage'];

const ehr = useFakeEhr();

const gateway = (options: Partial<EhrGatewayOptions> = {}) =>
  createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')], onWarnings: () => {}, ...options });
const serve = (options: Partial<ClinicalServerOptions> = {}, extra: Record<string, unknown>[] = []) =>
  serveClinical(ehr, [...writeRecord(sampleRecord('p1'), 'R4'), ...extra], { release: 'R4', ...options });
const read = (options: Partial<EhrGatewayOptions> = {}) =>
  gateway(options)
    .readClinical(ehr.base, TENANT, ['p1'], ALL)
    .then((rows) => rows.get('p1')!);
const rejectBatch = () => ({ status: 400, json: outcome('not-supported') });
const latestPulse = { status: 'ok', value: { heartRate: { value: { value: 72 } } } };

describe('real-server tolerance in clinical reads', () => {
  it('never needs Bundle.total', async () => {
    serve({ total: false });
    expect((await read()).vitals).toMatchObject(latestPulse);
  });

  it('asks again without _sort when it is rejected with 400, sorts itself, and remembers', async () => {
    serve({ rejectSort: true });
    const ehrGateway = gateway();
    const row = (await ehrGateway.readClinical(ehr.base, TENANT, ['p1'], ALL)).get('p1')!;
    expect(row.vitals).toMatchObject(latestPulse);
    expect(row.encounter).toMatchObject({ status: 'ok', value: { type: 'Admission' } });
    expect(batchPosts(ehr)).toHaveLength(2);
    // Without a server-side sort the window widens, so the newest items are among those read.
    expect(batchUrls(batchPosts(ehr)[1])).toEqual(['Observation?patient=p1&category=vital-signs&_count=100', 'Encounter?patient=p1&_count=50']);
    ehr.requests.length = 0;
    await ehrGateway.readClinical(ehr.base, TENANT, ['p1'], ['vitals', 'encounter']);
    expect(batchPosts(ehr)).toHaveLength(1);
    expect(batchUrls(batchPosts(ehr)[0]).slice(1)).toEqual([
      'Observation?patient=p1&category=vital-signs&_count=100',
      'Encounter?patient=p1&_count=50',
    ]);
  });

  it('sorts itself when _sort is ignored, and widens the window next time', async () => {
    serve({ ignoreSort: true });
    const ehrGateway = gateway();
    const details = (await ehrGateway.readPatientDetails(ehr.base, TENANT, 'p1'))!;
    expect(details.vitals).toMatchObject(latestPulse);
    expect(details.encounter).toMatchObject({ value: { type: 'Admission' } });
    expect(details.warnings).toContainEqual({ code: 'sort_ignored', count: 2 });
    ehr.requests.length = 0;
    await ehrGateway.readClinical(ehr.base, TENANT, ['p1'], ['encounter']);
    expect(batchUrls(batchPosts(ehr)[0])[1]).toBe('Encounter?patient=p1&_count=50');
  });

  it('notices an ignored _sort in a list read too', async () => {
    serve({ ignoreSort: true });
    const ehrGateway = gateway();
    const row = (await ehrGateway.readClinical(ehr.base, TENANT, ['p1'], ['vitals'])).get('p1')!;
    expect(row.vitals).toMatchObject(latestPulse);
    expect(row.warnings).toEqual([{ code: 'sort_ignored', count: 1 }]);
    await ehrGateway.readClinical(ehr.base, TENANT, ['p1'], ['vitals']);
    expect(batchUrls(batchPosts(ehr)[1])[1]).toBe('Observation?patient=p1&category=vital-signs&_count=100');
  });

  it('drops OperationOutcome entries from the data and counts them as warnings', async () => {
    serve({ outcomeEntries: true });
    const row = await read();
    expect(row.conditions).toMatchObject({ status: 'ok', value: [{ display: 'Pneumonia' }, { display: 'Hypertension' }] });
    expect(row.warnings).toContainEqual({ code: 'outcome_entry', count: 6 });
  });

  it('drops entries about another patient (a server that ignores the patient parameter)', async () => {
    const stranger = writeRecord(sampleRecord('p9'), 'R4').filter((r) => r.resourceType === 'Condition');
    serve({
      entry: (url) =>
        url.startsWith('Condition?')
          ? { json: { resourceType: 'Bundle', type: 'searchset', entry: stranger.map((resource) => ({ resource })) } }
          : undefined,
    });
    const row = await read();
    expect(row.conditions).toEqual({ status: 'none' });
    expect(row.warnings).toContainEqual({ code: 'other_patient_entry', count: 2 });
  });

  it('orders partial dates and times without zone, keeping the text as given', async () => {
    const pulse = (id: string, effectiveDateTime: string, value: number) => ({
      resourceType: 'Observation',
      id,
      subject: { reference: 'Patient/p1' },
      category: [{ coding: [{ code: 'vital-signs' }] }],
      code: { coding: [{ code: '8867-4' }] },
      effectiveDateTime,
      valueQuantity: { value, unit: '/min' },
    });
    const weight = (id: string, effectiveDateTime: string, value: number) => ({
      ...pulse(id, effectiveDateTime, value),
      code: { coding: [{ code: '29463-7' }] },
      valueQuantity: { value, unit: 'kg' },
    });
    serve({}, [
      pulse('a', '2025-01-01T09:00:00', 61),
      pulse('b', '2025-01-01T08:30:00Z', 62),
      pulse('c', '2025-01-01T10:00:00+02:00', 63),
      weight('w1', '2026', 80),
      weight('w2', '2025-12-31', 79),
    ]);
    const details = (await gateway().readPatientDetails(ehr.base, TENANT, 'p1'))!;
    expect(details.vitals).toMatchObject({
      value: {
        heartRate: { time: { text: '2025-01-01T09:00:00' }, value: { value: 61 } },
        weight: { time: { text: '2026', epochMs: Date.UTC(2026, 0, 1) } },
      },
    });
    const history = details.vitalHistory.status === 'ok' ? details.vitalHistory.value.heartRate!.slice(-3) : [];
    expect(history.map((r) => r.time?.text)).toEqual(['2025-01-01T10:00:00+02:00', '2025-01-01T08:30:00Z', '2025-01-01T09:00:00']);
  });

  it.each(['application/fhir+json', 'application/json+fhir', 'application/json; charset=utf-8'])(
    'reads answers served as %s',
    async (contentType) => {
      serve({ contentType });
      expect((await read()).vitals).toMatchObject(latestPulse);
    },
  );

  it.each([
    [429, '1', 900],
    [503, '0', 0],
  ])('waits and retries a batch answered %i with Retry-After %s', async (status, retryAfter, minWaitMs) => {
    let calls = 0;
    serve({ batch: () => (++calls === 1 ? { status, headers: { 'retry-after': retryAfter }, json: outcome('throttled') } : undefined) });
    const started = Date.now();
    expect((await read()).vitals).toMatchObject(latestPulse);
    expect(batchPosts(ehr)).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(minWaitMs);
  });

  it('times out a slow batch with a clear error', async () => {
    serve({ batchDelayMs: 2_000 });
    const started = Date.now();
    await expect(read({ timeoutMs: 300 })).rejects.toMatchObject({ code: 'ehr_timeout' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('marks only the slow part unavailable when single reads time out', async () => {
    serve({
      batch: rejectBatch,
      entry: (url, via): Reply | undefined => (via === 'single' && url.startsWith('Observation') ? { delayMs: 1_500, json: {} } : undefined),
    });
    const row = await read({ timeoutMs: 300 });
    expect(row.vitals).toEqual({ status: 'unavailable', reason: 'failed' });
    expect(row.conditions).toMatchObject({ status: 'ok' });
  });

  it('renews the token once on a 401 mid-way and retries that request once', async () => {
    let issued = 0;
    let refused = false;
    serveClinical(ehr, [...writeRecord(sampleRecord('p1'), 'R4'), ...writeRecord(sampleRecord('p2'), 'R4')], {
      release: 'R4',
      token: () => ({
        headers: { 'content-type': 'application/json' },
        json: { access_token: `tok-${++issued}`, token_type: 'bearer', expires_in: 3600 },
      }),
      batch: (r) => {
        // The second batch finds the first token revoked.
        if (batchPosts(ehr).length === 2 && !refused) {
          refused = true;
          return { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' }, json: outcome('login') };
        }
        return r.headers.authorization?.startsWith('Bearer tok-') ? undefined : { status: 401 };
      },
    });
    const rows = await gateway({ batchSize: 2, parallelRequests: 1 }).readClinical(ehr.base, TENANT, ['p1', 'p2'], ['vitals']);
    expect([...rows.keys()]).toEqual(['p1', 'p2']);
    expect(rows.get('p2')?.vitals).toMatchObject(latestPulse);
    expect(issued).toBe(2);
    expect(batchPosts(ehr).map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
  });

  it('gives up after one renewal when the EHR keeps refusing', async () => {
    let issued = 0;
    serve({
      token: () => ({
        headers: { 'content-type': 'application/json' },
        json: { access_token: `tok-${++issued}`, token_type: 'Bearer', expires_in: 3600 },
      }),
      batch: () => ({ status: 401, json: outcome('login') }),
    });
    await expect(read()).rejects.toMatchObject({ code: 'token_refused', status: 401 });
    expect(batchPosts(ehr)).toHaveLength(2);
    expect(singleGets(ehr)).toHaveLength(0);
  });

  it('falls back to single reads when the batch is answered in XML', async () => {
    serve({ batch: () => ({ headers: { 'content-type': 'application/fhir+xml' }, body: '<Bundle xmlns="http://hl7.org/fhir"/>' }) });
    const row = await read();
    expect(row.vitals).toMatchObject(latestPulse);
    expect(singleGets(ehr)).toHaveLength(7);
  });

  it('marks a part answered in XML as malformed, the others still shown', async () => {
    serve({
      batch: rejectBatch,
      entry: (url, via) =>
        via === 'single' && url.startsWith('Encounter') ? { headers: { 'content-type': 'application/xml' }, body: '<Bundle/>' } : undefined,
    });
    const row = await read();
    expect(row.encounter).toEqual({ status: 'unavailable', reason: 'malformed' });
    expect(row.vitals).toMatchObject(latestPulse);
  });

  it('fails a 20 MB answer cleanly: only that part is not available', async () => {
    const huge = { resourceType: 'Bundle', type: 'searchset', entry: [], padding: 'x'.repeat(20 * 1024 * 1024 + 10) };
    serve({ entry: (url) => (url.startsWith('Observation') ? { json: huge } : undefined) });
    const row = await read();
    expect(row.vitals).toEqual({ status: 'unavailable', reason: 'failed' });
    expect(row.conditions).toMatchObject({ status: 'ok' });
    expect(row.patient.id).toBe('p1');
    // The whole batch was too large, then the single Observation read.
    expect(batchPosts(ehr)).toHaveLength(1);
    expect(singleGets(ehr)).toHaveLength(7);
  });

  it('survives wrongly typed and malformed fields without throwing', async () => {
    const me = { reference: 'Patient/p1' };
    // A lone category object (DSTU2 style) where an array is due, on every Observation here.
    const vs = { category: { coding: [{ code: 'vital-signs' }] } };
    const odd = [
      {
        resourceType: 'Observation',
        id: 'o1',
        subject: me,
        ...vs,
        code: { coding: [{ code: '8867-4' }] },
        effectiveDateTime: '2040-01-01T00:00:00Z',
        valueQuantity: { value: '75', unit: '/min' },
      },
      {
        resourceType: 'Observation',
        id: 'o2',
        subject: me,
        ...vs,
        code: { coding: [{ code: '8867-4' }] },
        // Older than o1: a newer value that cannot be read would be the latest (vitals.ts latestRank).
        effectiveDateTime: '2039-01-01T00:00:00Z',
        valueQuantity: { value: 'fast' },
      },
      { resourceType: 'Observation', id: 'o3', subject: me, ...vs, code: '8867-4', effectiveDateTime: 2042, valueQuantity: 75 },
      {
        resourceType: 'Observation',
        id: 'o4',
        subject: me,
        ...vs,
        code: { coding: [{ code: '85354-9' }] },
        effectiveDateTime: 'yesterday',
        component: { code: { coding: [{ code: '8480-6' }] }, valueQuantity: { value: 140 } },
      },
      { resourceType: 'Condition', id: 'c1', subject: me, code: 'Asthma', clinicalStatus: 42, recordedDate: ['2020'], severity: [] },
      { resourceType: 'Encounter', id: 'e1', subject: me, class: 7, type: 'visit', period: '2050', location: { location: 'Room 1' } },
      { resourceType: 'AllergyIntolerance', id: 'a1', patient: me, substance: 'Latex', reaction: { manifestation: 'Hives' }, note: 'plain' },
      {
        resourceType: 'MedicationRequest',
        id: 'm1',
        subject: me,
        medicationReference: 'Medication/x',
        dosageInstruction: 'daily',
        requester: 'Dr. X',
      },
      { resourceType: 'Coverage', id: 'v1', beneficiary: me, payor: 'Contoso', class: 'gold', subscriberId: 12, period: [] },
    ];
    serveClinical(ehr, [...writeRecord({ ...sampleRecord('p1'), vitals: [] }, 'R4'), ...odd], { release: 'R4' });
    const details = (await gateway().readPatientDetails(ehr.base, TENANT, 'p1'))!;
    expect(details.vitals).toMatchObject({
      value: {
        heartRate: { value: { value: 75 } },
        bloodPressure: { time: { text: 'yesterday', epochMs: null }, systolic: { value: 140 }, diastolic: null },
      },
    });
    expect(details.warnings).toContainEqual({ code: 'observation_without_value', count: 1 });
    expect(details.conditions).toMatchObject({
      status: 'ok',
      value: expect.arrayContaining([
        { display: 'Asthma', code: null, severity: null, date: null, onset: null, clinicalStatus: null, verificationStatus: null, current: true },
      ]),
    });
    expect(details.encounters).toMatchObject({ status: 'ok' });
    expect(details.allergies).toMatchObject({
      value: expect.arrayContaining([
        expect.objectContaining({ substance: 'Latex', note: 'plain', reactions: [expect.objectContaining({ manifestations: [] })] }),
      ]),
    });
    expect(details.medications).toMatchObject({
      value: expect.arrayContaining([expect.objectContaining({ name: null, dosage: null, prescriber: null })]),
    });
    expect(details.coverage).toMatchObject({
      value: expect.arrayContaining([expect.objectContaining({ payer: null, plan: null, subscriberId: null })]),
    });
  });

  it('reads a batch-response with numeric statuses, and calls a non-Bundle search answer malformed', async () => {
    serve({
      batch: (r) => ({
        json: {
          resourceType: 'Bundle',
          type: 'batch-response',
          entry: batchUrls(r).map((url) =>
            url.startsWith('Patient/')
              ? { resource: writeRecord(sampleRecord('p1'), 'R4')[0], response: { status: 200 } }
              : url.startsWith('Condition')
                ? { resource: { resourceType: 'Patient', id: 'p1' }, response: { status: '200 OK' } }
                : { response: { status: 404 }, resource: outcome('not-found') },
          ),
        },
      }),
    });
    const row = await read();
    expect(row.patient.id).toBe('p1');
    expect(row.conditions).toEqual({ status: 'unavailable', reason: 'malformed' });
    expect(row.vitals).toEqual({ status: 'unavailable', reason: 'failed' });
  });
});
