import diagnostics from 'node:diagnostics_channel';
import { describe, expect, it, vi } from 'vitest';
import { createEhrGateway, type ClinicalPart, type EhrGatewayOptions } from '../../../server/ehr/index.js';
import { requestEhr } from '../../../server/ehr/transport.js';
import { outcome, partnerAt, useFakeEhr } from './fake-ehr.js';
import { sampleRecord, writeRecord, type Release } from './clinical-records.js';
import { batchPosts, batchUrls, serveClinical, singleGets, type ClinicalServerOptions } from './clinical-server.js';

const TENANT = 'tenant-1';
const ALL: ClinicalPart[] = ['vitals', 'encounter', 'conditions', 'allergies', 'medications', 'coverage'];

const ehr = useFakeEhr();

const gateway = (options: Partial<EhrGatewayOptions> = {}) =>
  createEhrGateway({ partners: () => [partnerAt(ehr, ['s'], 'app')], onWarnings: () => {}, ...options });

function serve(ids: string[], options: Partial<ClinicalServerOptions> & { release?: Release } = {}) {
  const release = options.release ?? 'R4';
  serveClinical(
    ehr,
    ids.flatMap((id) => writeRecord(sampleRecord(id), release)),
    { ...options, release },
  );
}

describe('clinical batch queries', () => {
  it.each([
    ['DSTU2', 'application/json+fhir', '_sort%3Adesc=date', 'MedicationOrder'],
    ['STU3', 'application/fhir+json', '_sort=-date', 'MedicationRequest'],
    ['R4', 'application/fhir+json', '_sort=-date', 'MedicationRequest'],
  ] as const)('asks %s one entry per patient per part in its own syntax', async (release, mime, sort, medication) => {
    serve(['p1'], { release });
    await gateway().readClinical(ehr.base, TENANT, ['p1'], ALL);
    expect(batchPosts(ehr)).toHaveLength(1);
    expect(batchPosts(ehr)[0].headers['content-type']).toBe(mime);
    const urls = batchUrls(batchPosts(ehr)[0]).map((u) => u.replace('_sort:desc', '_sort%3Adesc'));
    expect(urls).toEqual([
      'Patient/p1',
      `Observation?patient=p1&category=vital-signs&_count=50&${sort}`,
      `Encounter?patient=p1&_count=10&${sort}`,
      'Condition?patient=p1&_count=100',
      'AllergyIntolerance?patient=p1&_count=100',
      `${medication}?patient=p1&_count=100&_include=${medication}%3Amedication`,
      'Coverage?patient=p1&_count=20',
    ]);
    expect(JSON.parse(batchPosts(ehr)[0].body)).toMatchObject({ resourceType: 'Bundle', type: 'batch' });
    expect(singleGets(ehr)).toHaveLength(0);
  });

  it('sends at most ceil(entries / 100) requests by default, at most 4 at a time', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `p${i}`);
    let inFlight = 0;
    let most = 0;
    serve(ids, {
      batch: () => {
        most = Math.max(most, ++inFlight);
        setTimeout(() => inFlight--, 40);
        return undefined;
      },
      batchDelayMs: 40,
    });
    const rows = await gateway().readClinical(ehr.base, TENANT, ids, ALL);
    const entries = ids.length * (1 + ALL.length);
    expect(batchPosts(ehr).length).toBeLessThanOrEqual(Math.ceil(entries / 100));
    expect(
      batchPosts(ehr)
        .map((r) => batchUrls(r).length)
        .sort((a, b) => b - a),
    ).toEqual([100, 100, 100, 100, 100, 100, 100, 100, 40]);
    expect(singleGets(ehr)).toHaveLength(0);
    expect(most).toBeLessThanOrEqual(4);
    expect(most).toBeGreaterThan(1);
    expect(rows.size).toBe(120);
    expect(rows.get('p119')?.vitals).toMatchObject({ status: 'ok', value: { heartRate: { value: { value: 72 } } } });
  });

  it('puts the next batch on the wire the moment an answer is in, before decoding it, then hands on each row of that answer before the next answer', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `p${i}`);
    serve(ids, { batchDelayMs: 30 });
    const events: string[] = [];
    // An answer's bytes become text only once the next batch is on its way (a large answer is
    // decoded entry by entry: the decoding of its first bytes, the Bundle's opening, marks it).
    const decode = TextDecoder.prototype.decode;
    const decoding = vi.spyOn(TextDecoder.prototype, 'decode').mockImplementation(function (this: TextDecoder, input, options) {
      const text = decode.call(this, input, options);
      if (/^\s*\{"resourceType":"Bundle","type":"batch-response"/.test(text)) events.push('answer decoded');
      return text;
    });
    let posts = 0;
    let written = 0;
    // Published by undici right before a request's first byte goes to the socket.
    const onWrite = (message: unknown) => {
      if ((message as { request: { method: string } }).request.method === 'POST') events.push(`batch ${++written} written`);
    };
    diagnostics.subscribe('undici:client:sendHeaders', onWrite);
    const counting: NonNullable<EhrGatewayOptions['fetch']> = (input, init) => {
      if (init?.method === 'POST') events.push(`batch ${++posts} sent`);
      return requestEhr(input, init);
    };
    const handed: Array<{ id: string; row: unknown }> = [];
    try {
      const rows = await gateway({ parallelRequests: 1, fetch: counting }).readClinical(ehr.base, TENANT, ids, ALL, (row) => {
        events.push(row.patient.id);
        handed.push({ id: row.patient.id, row });
      });
      // 140 entries: the first batch holds all of p0 to p13 and part of p14. With one request in
      // flight, the second batch is written to the EHR before the first answer is parsed and read.
      expect(events).toEqual([
        'batch 1 sent',
        'batch 1 written',
        'batch 2 sent',
        'batch 2 written',
        'answer decoded',
        ...ids.slice(0, 14),
        'answer decoded',
        ...ids.slice(14),
      ]);
      for (const h of handed) expect(rows.get(h.id)).toBe(h.row);
      expect(rows.get('p3')?.vitals).toMatchObject({ status: 'ok' });
    } finally {
      diagnostics.unsubscribe('undici:client:sendHeaders', onWrite);
      decoding.mockRestore();
    }
  });

  it('sends no batch that waits for a request slot once another batch of the read has failed', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `p${i}`);
    serve(ids, { batch: () => ({ status: 503, json: outcome('transient') }) });
    await expect(gateway({ parallelRequests: 1 }).readClinical(ehr.base, TENANT, ids, ALL)).rejects.toMatchObject({ name: 'FhirError' });
    // 420 entries are five batches; the first fails (a 503 is retried as the EHR asks), the four waiting are never sent.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(new Set(batchPosts(ehr).map((r) => r.body)).size).toBe(1);
  });

  it('honours a configured batch size', async () => {
    const ids = Array.from({ length: 7 }, (_, i) => `p${i}`);
    serve(ids);
    await gateway({ batchSize: 10 }).readClinical(ehr.base, TENANT, ids, ['vitals', 'conditions']);
    expect(batchPosts(ehr).map((r) => batchUrls(r).length)).toEqual([10, 10, 1]);
  });

  it('reads the Patient alone when no part is asked', async () => {
    serve(['p1']);
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1', 'bad/id'], []);
    expect(batchUrls(batchPosts(ehr)[0])).toEqual(['Patient/p1']);
    expect([...rows.keys()]).toEqual(['p1']);
    expect(rows.get('p1')).toEqual({
      patient: expect.objectContaining({ id: 'p1' }),
      careProvider: { status: 'ok', value: 'Dr. Lee' },
      warnings: [],
    });
  });
});

describe('failures in a batch', () => {
  it.each(['DSTU2', 'STU3', 'R4'] as const)('a failed %s entry makes only its own cell unavailable', async (release) => {
    serve(['p1', 'p2'], {
      release,
      entry: (url) => (url.startsWith('Observation?patient=p1') ? { status: 500, json: outcome('exception') } : undefined),
    });
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1', 'p2'], ALL);
    expect(rows.get('p1')?.vitals).toEqual({ status: 'unavailable', reason: 'failed' });
    expect(rows.get('p1')?.conditions).toMatchObject({ status: 'ok' });
    expect(rows.get('p2')?.vitals).toMatchObject({ status: 'ok' });
    expect(rows.get('p1')?.warnings).toContainEqual({ code: 'entry_failed', count: 1 });
    expect(singleGets(ehr)).toHaveLength(0);
  });

  it('leaves out patients the EHR does not have, and one it answers about another patient', async () => {
    serve(['p1', 'p2'], { entry: (url) => (url === 'Patient/p2' ? { json: writeRecord(sampleRecord('p1'), 'R4')[0] } : undefined) });
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1', 'missing', 'p2'], ['vitals']);
    expect([...rows.keys()]).toEqual(['p1']);
  });

  it.each(['DSTU2', 'STU3', 'R4'] as const)(
    'names in %s the patients the EHR does not have (404, 410, not an id), never one it failed to give',
    async (release) => {
      serve(['p1', 'p2', 'flaky'], {
        release,
        entry: (url) =>
          url === 'Patient/p2'
            ? { status: 410, json: outcome('deleted') }
            : url === 'Patient/flaky'
              ? { status: 503, json: outcome('transient') }
              : undefined,
      });
      const rows = await gateway().readClinical(ehr.base, TENANT, ['p1', 'missing', 'p2', 'flaky', 'bad/id'], ['vitals']);
      expect([...rows.keys()]).toEqual(['p1']);
      expect([...rows.gone].sort()).toEqual(['bad/id', 'missing', 'p2']);
      // Only the batch itself was asked: no patient is read again to find out.
      expect(singleGets(ehr)).toHaveLength(0);
    },
  );

  it('names the patients it does not have when a rejected batch is read one by one', async () => {
    serve(['p1'], { release: 'STU3', batch: () => ({ status: 405, json: outcome('not-supported') }) });
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1', 'missing'], ['vitals']);
    expect([...rows.keys()]).toEqual(['p1']);
    expect([...rows.gone]).toEqual(['missing']);
  });

  it('falls back to single GETs when the whole batch is rejected with a 4xx', async () => {
    serve(['p1', 'p2'], { release: 'STU3', batch: () => ({ status: 405, json: outcome('not-supported') }) });
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1', 'p2', 'missing'], ALL);
    expect(batchPosts(ehr)).toHaveLength(1);
    expect(singleGets(ehr)).toHaveLength(3 * 7);
    expect(singleGets(ehr).map((r) => r.url.pathname)).toContain('/fhir/Observation');
    expect([...rows.keys()]).toEqual(['p1', 'p2']);
    expect(rows.get('p2')?.medications).toMatchObject({ status: 'ok', value: [{ name: 'Amoxicillin 500 MG' }, { name: 'Lisinopril 10 MG' }] });
  });

  it('does not hide a failing EHR (5xx on the batch) behind "not available"', async () => {
    serve(['p1'], { batch: () => ({ status: 500, json: outcome('exception') }) });
    await expect(gateway().readClinical(ehr.base, TENANT, ['p1'], ALL)).rejects.toMatchObject({ code: 'ehr_error', status: 500 });
    expect(singleGets(ehr)).toHaveLength(0);
  });
});

describe('what the EHR offers', () => {
  it('marks parts the capability statement does not list as not available, without asking', async () => {
    serve(['p1'], { resources: ['Patient', 'Observation'] });
    const row = (await gateway().readClinical(ehr.base, TENANT, ['p1'], ALL)).get('p1')!;
    expect(row.vitals).toMatchObject({ status: 'ok' });
    for (const part of ['encounter', 'conditions', 'allergies', 'medications', 'coverage'] as const) {
      expect(row[part]).toEqual({ status: 'unavailable', reason: 'not_offered' });
    }
    expect(batchUrls(batchPosts(ehr)[0]).map((u) => u.split('?')[0])).toEqual(['Patient/p1', 'Observation']);
  });

  it('reads MedicationStatement when that is all the EHR offers', async () => {
    const statement = {
      resourceType: 'MedicationStatement',
      id: 's1',
      subject: { reference: 'Patient/p1' },
      medicationCodeableConcept: { text: 'Aspirin' },
      dosage: [{ text: 'daily' }],
      effectiveDateTime: '2024-01-01',
    };
    serveClinical(ehr, [...writeRecord(sampleRecord('p1'), 'R4'), statement], { release: 'R4', resources: ['Patient', 'MedicationStatement'] });
    const row = (await gateway().readClinical(ehr.base, TENANT, ['p1'], ['medications'])).get('p1')!;
    expect(row.medications).toEqual({
      status: 'ok',
      value: [
        {
          kind: 'statement',
          name: 'Aspirin',
          code: null,
          // A statement without a status is kept for the details, not counted as current.
          current: false,
          status: null,
          dosage: 'daily',
          date: { text: '2024-01-01', epochMs: Date.UTC(2024, 0, 1) },
          prescriber: null,
        },
      ],
    });
  });

  it('reads unnamed referenced Medications in one more batch when _include is ignored', async () => {
    serve(['p1', 'p2'], { release: 'STU3', ignoreInclude: true });
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1', 'p2'], ['medications']);
    expect(batchPosts(ehr)).toHaveLength(2);
    expect(batchUrls(batchPosts(ehr)[1])).toEqual(['Medication/p1-med-1', 'Medication/p2-med-1']);
    expect(rows.get('p2')?.medications).toMatchObject({ value: [{ name: 'Amoxicillin 500 MG' }, { name: 'Lisinopril 10 MG' }] });
  });

  it('needs no second request when _include brings the Medications', async () => {
    serve(['p1'], { release: 'STU3' });
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], ['medications']);
    expect(batchPosts(ehr)).toHaveLength(1);
    expect(rows.get('p1')?.medications).toMatchObject({ value: [{ name: 'Amoxicillin 500 MG' }, { name: 'Lisinopril 10 MG' }] });
  });
});

describe('the details panel', () => {
  it('never asks the EHR about an id of dots alone, which a URL path would read as a step up (Patient/.. is the base)', async () => {
    serve(['p1']);
    const client = gateway();
    for (const id of ['.', '..', '...']) {
      expect(await client.readPatientDetails(ehr.base, TENANT, id)).toBeNull();
      expect(await client.readPatient(ehr.base, TENANT, id)).toBeNull();
    }
    const rows = await client.readClinical(ehr.base, TENANT, ['p1', '..'], ['vitals']);
    expect([...rows.keys()]).toEqual(['p1']);
    expect([...rows.gone]).toEqual(['..']);
    // Only the list's batch and the discovery the client needs went out: no unfiltered search, no read of the base.
    const discovery = /\/(metadata|\.well-known\/smart-configuration)$/;
    expect(ehr.requests.filter((r) => r.method === 'GET' && !discovery.test(r.url.pathname))).toEqual([]);
    expect(batchUrls(batchPosts(ehr)[0])).not.toContain('Patient/..');
  });

  it('is null for a patient the EHR does not have, and an error when the EHR fails on the Patient', async () => {
    serve(['p1'], { entry: (url) => (url === 'Patient/p1' ? { status: 500, json: outcome('exception', 'Ana Rivera') } : undefined) });
    expect(await gateway().readPatientDetails(ehr.base, TENANT, 'nobody')).toBeNull();
    const error = await gateway()
      .readPatientDetails(ehr.base, TENANT, 'p1')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ehr_error', status: 500 });
    expect(String((error as Error).message)).not.toContain('Rivera');
  });

  it('follows next links for the full history, sorted oldest first', async () => {
    const record = { ...sampleRecord('p1'), vitals: [] };
    const pulses = Array.from({ length: 250 }, (_, i) => ({
      resourceType: 'Observation',
      id: `hr-${i}`,
      status: 'final',
      category: [{ coding: [{ code: 'vital-signs' }] }],
      code: { coding: [{ code: '8867-4' }] },
      subject: { reference: 'Patient/p1' },
      effectiveDateTime: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
      valueQuantity: { value: 60 + (i % 40), unit: '/min' },
    }));
    serveClinical(ehr, [...writeRecord(record, 'R4'), ...pulses], { release: 'R4' });
    const details = (await gateway().readPatientDetails(ehr.base, TENANT, 'p1'))!;
    const history = details.vitalHistory.status === 'ok' ? details.vitalHistory.value.heartRate! : [];
    expect(history).toHaveLength(250);
    const times = history.map((r) => r.time!.epochMs!);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(details.vitals).toMatchObject({ value: { heartRate: { time: { text: pulses[249].effectiveDateTime } } } });
    expect(singleGets(ehr).filter((r) => r.url.pathname === '/fhir/Observation')).toHaveLength(2);
  });

  it('reads one page only for a list cell', async () => {
    const record = { ...sampleRecord('p1') };
    record.vitals = Array.from({ length: 60 }, (_, i) => ({
      code: '9279-1',
      value: 12 + (i % 5),
      unit: '/min',
      ucum: '/min',
      time: `2024-02-${String(1 + (i % 28)).padStart(2, '0')}`,
    }));
    serveClinical(ehr, writeRecord(record, 'R4'), { release: 'R4' });
    const rows = await gateway().readClinical(ehr.base, TENANT, ['p1'], ['vitals']);
    expect(rows.get('p1')?.vitals).toMatchObject({ status: 'ok' });
    expect(singleGets(ehr)).toHaveLength(0);
  });
});
