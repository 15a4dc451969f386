import { beforeEach, describe, expect, it } from 'vitest';
import { createEhrGateway, type EhrGateway } from '../../../server/ehr/index.js';
import { capabilityStatement, outcome, partnerAt, patient, routes, useFakeEhr, type Handler, type ReceivedRequest } from './fake-ehr.js';

const TENANT = 'tenant-1';

const ehr = useFakeEhr();

let gateway: EhrGateway;
beforeEach(() => {
  gateway = createEhrGateway({ partners: () => [partnerAt(ehr)], mrnSystem: 'urn:hospital:mrn' });
});

const store = new Map(['a', 'b', 'c'].map((id) => [id, patient(id, `Family-${id}`, 'Pat')]));

/** A single read from the store: 404 for unknown ids, 410 for "gone". */
const readOne: Handler = (r) => {
  const id = r.url.pathname.split('/').at(-1)!;
  if (id === 'gone') return { status: 410, json: outcome('deleted') };
  const found = store.get(id);
  return found ? { json: found } : { status: 404, json: outcome('not-found') };
};

function serve(fhirVersion: string, batch: Handler): void {
  ehr.handle((r) => {
    if (r.url.pathname === '/fhir/metadata') return { json: capabilityStatement({ fhirVersion }) };
    if (r.method === 'POST' && r.url.pathname === '/fhir') return batch(r);
    if (r.method === 'GET' && r.url.pathname.startsWith('/fhir/Patient/')) return readOne(r);
    return { status: 404 };
  });
}

/** A batch-response in the given release's style: failed entries carry their outcome where that release puts it. */
function answerBatch(style: 'DSTU2' | 'R4'): Handler {
  return (r) => {
    const urls = (JSON.parse(r.body).entry as { request: { url: string } }[]).map((e) => e.request.url);
    return {
      json: {
        resourceType: 'Bundle',
        type: 'batch-response',
        entry: urls.map((url) => {
          const found = store.get(url.replace('Patient/', ''));
          if (found) return { resource: found, response: { status: '200 OK' } };
          return style === 'DSTU2'
            ? { resource: outcome('not-found'), response: { status: '404 Not Found' } }
            : { response: { status: '404', outcome: outcome('not-found') } };
        }),
      },
    };
  };
}

const batches = () => ehr.requests.filter((r: ReceivedRequest) => r.method === 'POST' && r.url.pathname === '/fhir');
const singles = () => ehr.requests.filter((r) => r.method === 'GET' && r.url.pathname.startsWith('/fhir/Patient/'));

describe('patient read', () => {
  it('reads one patient', async () => {
    serve('4.0.1', answerBatch('R4'));
    expect(await gateway.readPatient(ehr.base, TENANT, 'a')).toMatchObject({ id: 'a', displayName: 'Pat Family-a' });
  });

  it.each(['missing', 'gone'])('gives null for a %s patient', async (id) => {
    serve('4.0.1', answerBatch('R4'));
    expect(await gateway.readPatient(ehr.base, TENANT, id)).toBeNull();
  });

  it.each(['../Observation', 'a/b', 'x'.repeat(65), '', 'a?b=c'])('never sends an id that is not FHIR id syntax: %s', async (id) => {
    serve('4.0.1', answerBatch('R4'));
    expect(await gateway.readPatient(ehr.base, TENANT, id)).toBeNull();
    expect(singles()).toHaveLength(0);
  });

  it('refuses an answer about another patient than the one asked (a server matching ids without regard to case)', async () => {
    ehr.handle(routes({ 'GET /fhir/metadata': () => ({ json: capabilityStatement() }), 'GET /fhir/Patient/A': () => ({ json: store.get('a') }) }));
    await expect(gateway.readPatient(ehr.base, TENANT, 'A')).rejects.toMatchObject({ code: 'ehr_error' });
  });

  it('reports an EHR failure rather than calling the patient missing', async () => {
    ehr.handle(routes({ 'GET /fhir/metadata': () => ({ json: capabilityStatement() }), 'GET /fhir/Patient/a': () => ({ status: 500 }) }));
    await expect(gateway.readPatient(ehr.base, TENANT, 'a')).rejects.toMatchObject({ code: 'ehr_error', status: 500 });
  });
});

describe('reading many patients', () => {
  it.each([
    ['DSTU2', '1.0.2', 'application/json+fhir'],
    ['R4', '4.0.1', 'application/fhir+json'],
  ] as const)('sends one %s batch, keeps the order asked and leaves failed entries out', async (style, fhirVersion, mime) => {
    serve(fhirVersion, answerBatch(style));
    const found = await gateway.readPatients(ehr.base, TENANT, ['c', 'missing', 'a', 'c', 'bad/id']);
    expect(found.map((p) => p.id)).toEqual(['c', 'a']);
    expect(batches()).toHaveLength(1);
    expect(batches()[0].headers['content-type']).toBe(mime);
    expect(JSON.parse(batches()[0].body)).toEqual({
      resourceType: 'Bundle',
      type: 'batch',
      entry: ['c', 'missing', 'a'].map((id) => ({ request: { method: 'GET', url: `Patient/${id}` } })),
    });
  });

  it('splits large lists into batches of 100 with at most 4 in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const sizes: number[] = [];
    serve('4.0.1', async (r) => {
      inFlight++;
      most = Math.max(most, inFlight);
      const entries = JSON.parse(r.body).entry;
      sizes.push(entries.length);
      await new Promise((resolve) => setTimeout(resolve, 50));
      inFlight--;
      return { json: { resourceType: 'Bundle', type: 'batch-response', entry: entries.map(() => ({ response: { status: '404 Not Found' } })) } };
    });
    const ids = Array.from({ length: 301 }, (_, i) => `p${i}`);
    expect(await gateway.readPatients(ehr.base, TENANT, ids)).toEqual([]);
    expect(sizes.sort((x, y) => y - x)).toEqual([100, 100, 100, 1]);
    expect(most).toBe(4);
  });

  it('falls back to single reads when the whole batch is rejected, leaving out the missing', async () => {
    serve('3.0.1', () => ({ status: 400, json: outcome('not-supported') }));
    const found = await gateway.readPatients(ehr.base, TENANT, ['b', 'missing', 'a']);
    expect(found.map((p) => p.id)).toEqual(['b', 'a']);
    expect(
      singles()
        .map((r) => r.url.pathname)
        .sort(),
    ).toEqual(['/fhir/Patient/a', '/fhir/Patient/b', '/fhir/Patient/missing']);
  });

  it('does not hide a failing EHR behind an empty list', async () => {
    serve('4.0.1', () => ({ status: 500, json: outcome('exception') }));
    await expect(gateway.readPatients(ehr.base, TENANT, ['a'])).rejects.toMatchObject({ code: 'ehr_error', status: 500 });
    expect(singles()).toHaveLength(0);
  });

  it('counts the owner-configured identifier system as MRN', async () => {
    store.set('m', { resourceType: 'Patient', id: 'm', identifier: [{ system: 'urn:hospital:mrn', value: 'H-77' }] });
    serve('4.0.1', answerBatch('R4'));
    expect(await gateway.readPatients(ehr.base, TENANT, ['m'])).toEqual([expect.objectContaining({ id: 'm', mrn: 'H-77' })]);
  });

  it('asks nothing for an empty list', async () => {
    serve('4.0.1', answerBatch('R4'));
    expect(await gateway.readPatients(ehr.base, TENANT, [])).toEqual([]);
    expect(ehr.requests).toHaveLength(0);
  });
});
