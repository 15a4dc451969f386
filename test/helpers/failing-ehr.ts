import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request to the EHR's FHIR base, as its script sees it. */
export interface EhrRequest {
  method: string;
  url: URL;
  body: string;
}

/** Status and body: a body of bytes or text is sent as it is, any other as JSON. */
export type EhrAnswer = [status: number, body: unknown];

export interface ScriptedEhr {
  /** The FHIR base a team connects to. */
  url: string;
  /** How many requests have arrived, metadata reads included. */
  requests: number;
  close(): Promise<void>;
}

/**
 * An open FHIR server (no token endpoint) on 127.0.0.1 that a test makes fail: it states
 * `resources` in its metadata, has nothing outside its base (nor a `.well-known`), and every
 * other request is answered by `answer`.
 */
export async function startScriptedEhr(resources: string[], answer: (request: EhrRequest) => EhrAnswer): Promise<ScriptedEhr> {
  const send = (res: http.ServerResponse, [status, body]: EhrAnswer) => {
    res.writeHead(status, { 'content-type': 'application/fhir+json' });
    res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      ehr.requests++;
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path = url.pathname;
      if (path === '/fhir/metadata')
        return send(res, [
          200,
          {
            resourceType: 'CapabilityStatement',
            status: 'active',
            fhirVersion: '4.0.1',
            rest: [{ mode: 'server', resource: resources.map((type) => ({ type })) }],
          },
        ]);
      if (!path.startsWith('/fhir') || path.startsWith('/fhir/.well-known')) return send(res, [404, { resourceType: 'OperationOutcome', issue: [] }]);
      send(res, answer({ method: req.method ?? 'GET', url, body: Buffer.concat(chunks).toString() }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const ehr: ScriptedEhr = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`,
    requests: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return ehr;
}

/** A Patient of the family `family` whose given name is its id. */
export const patientOf = (family: string) => (id: string) => ({
  resourceType: 'Patient',
  id,
  name: [{ family, given: [id] }],
  gender: 'female',
  birthDate: '1970-01-01',
});

export const searchset = (resources: unknown[]) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  entry: resources.map((resource) => ({ resource })),
});

/** The URLs a batch (`POST /fhir`) asks, in order. */
export const batchUrls = (request: EhrRequest) => (JSON.parse(request.body).entry as { request: { url: string } }[]).map((e) => e.request.url);

export const batchResponse = (entry: unknown[]) => ({ resourceType: 'Bundle', type: 'batch-response', entry });

/**
 * A ward's open FHIR server (Patient and Observation): `down` answers 503 to all but its metadata;
 * in a batch or read alone, `deleted` patients are 404 and `flaky` ones 503, each on its own.
 */
export async function startWardEhr() {
  const state = { down: false, deleted: new Set<string>(), flaky: new Set<string>() };
  const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] };
  const patient = patientOf('Ward');
  /** Status and body of `Patient/{id}`. */
  const read = (id: string): EhrAnswer =>
    state.deleted.has(id)
      ? [404, { ...outcome, issue: [{ severity: 'error', code: 'not-found' }] }]
      : state.flaky.has(id)
        ? [503, outcome]
        : [200, patient(id)];
  const ehr = await startScriptedEhr(['Patient', 'Observation'], (request) => {
    const path = request.url.pathname;
    if (state.down) return [503, outcome];
    if (request.method === 'POST' && path === '/fhir') {
      const entry = batchUrls(request).map((u) => {
        if (!u.startsWith('Patient/')) return { resource: searchset([]), response: { status: '200 OK' } };
        const [status, resource] = read(u.slice(8));
        return { resource, response: { status: `${status} ${status === 200 ? 'OK' : status === 404 ? 'Not Found' : 'Service Unavailable'}` } };
      });
      return [200, batchResponse(entry)];
    }
    if (path.startsWith('/fhir/Patient/')) return read(path.slice('/fhir/Patient/'.length));
    if (path === '/fhir/Patient') {
      const ids = request.url.searchParams.get('_id');
      return [200, searchset((ids ? ids.split(',') : ['w1']).map(patient))];
    }
    return [200, searchset([])];
  });
  return Object.assign(ehr, { state });
}
