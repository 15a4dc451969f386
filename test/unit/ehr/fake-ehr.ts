import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { EhrPartner } from '../../../server/ehr/partners.js';

/** A scripted EHR over real HTTP on 127.0.0.1: each test sets a handler and reads what arrived. */
export interface ReceivedRequest {
  method: string;
  /** Path and query as sent. */
  path: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body read as a form (empty for other bodies). */
  form: URLSearchParams;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as application/fhir+json unless headers say otherwise. */
  json?: unknown;
  body?: string | Buffer;
  delayMs?: number;
}

export type Handler = (request: ReceivedRequest) => Reply | Promise<Reply>;

export interface FakeEhr {
  origin: string;
  /** The FHIR base, `{origin}/fhir`. */
  base: string;
  requests: ReceivedRequest[];
  /** Requests whose path starts with `{base path}{suffix}`. */
  requestsTo(suffix: string, method?: string): ReceivedRequest[];
  handle(handler: Handler): void;
  reset(): void;
  close(): Promise<void>;
}

const notFound: Handler = () => ({ status: 404, json: outcome('not-found') });

export async function startFakeEhr(): Promise<FakeEhr> {
  let handler: Handler = notFound;
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      const received: ReceivedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        url: new URL(req.url ?? '/', fake.origin),
        headers: req.headers,
        body,
        form: new URLSearchParams(isForm ? body : ''),
      };
      requests.push(received);
      try {
        const reply = await handler(received);
        if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        const headers = { ...(reply.json !== undefined ? { 'content-type': 'application/fhir+json' } : {}), ...reply.headers };
        res.writeHead(reply.status ?? 200, headers);
        res.end(reply.json !== undefined ? JSON.stringify(reply.json) : (reply.body ?? ''));
      } catch (error) {
        res.writeHead(599, { 'content-type': 'text/plain' });
        res.end(`fake EHR handler failed: ${String(error)}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake: FakeEhr = {
    origin,
    base: `${origin}/fhir`,
    requests,
    requestsTo: (suffix, method) => requests.filter((r) => r.url.pathname.startsWith(`/fhir${suffix}`) && (!method || r.method === method)),
    handle: (h) => {
      handler = h;
    },
    reset: () => {
      handler = notFound;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

/**
 * The file's fake EHR: started before its tests, emptied (handler and requests) before each, closed
 * after all. What it returns stands for the started one, so it can be held at the top of the file.
 */
export function useFakeEhr(): FakeEhr {
  let started: FakeEhr | undefined;
  beforeAll(async () => {
    started = await startFakeEhr();
  });
  afterAll(() => started?.close());
  beforeEach(() => current().reset());
  const current = () => {
    if (!started) throw new Error('The fake EHR starts before the tests: use it inside a test or hook.');
    return started;
  };
  return {
    get origin() {
      return current().origin;
    },
    get base() {
      return current().base;
    },
    get requests() {
      return current().requests;
    },
    requestsTo: (suffix, method) => current().requestsTo(suffix, method),
    handle: (handler) => current().handle(handler),
    reset: () => current().reset(),
    close: () => current().close(),
  };
}

/** Routes by `METHOD /path` (path without query); unknown routes answer 404. */
export function routes(table: Record<string, Handler>): Handler {
  return (request) => (table[`${request.method} ${request.url.pathname}`] ?? notFound)(request);
}

export function outcome(code: string, diagnostics?: string): unknown {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, ...(diagnostics ? { diagnostics } : {}) }],
  };
}

export interface CapabilityOptions {
  fhirVersion?: string;
  resourceType?: 'Conformance' | 'CapabilityStatement';
  resources?: string[];
  tokenUrl?: string;
}

export function capabilityStatement(options: CapabilityOptions = {}): unknown {
  const fhirVersion = options.fhirVersion ?? '4.0.1';
  const resourceType = options.resourceType ?? (fhirVersion.startsWith('1.') ? 'Conformance' : 'CapabilityStatement');
  const security = options.tokenUrl
    ? {
        security: {
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'authorize', valueUri: `${options.tokenUrl}/authorize` },
                { url: 'token', valueUri: options.tokenUrl },
              ],
            },
          ],
        },
      }
    : {};
  return {
    resourceType,
    status: 'active',
    fhirVersion,
    rest: [
      {
        mode: 'server',
        ...security,
        resource: (options.resources ?? ['Patient', 'Observation']).map((type) => ({ type, interaction: [{ code: 'read' }] })),
      },
    ],
  };
}

export function searchset(resources: unknown[], extra: Record<string, unknown> = {}): unknown {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
    ...extra,
  };
}

/** A Patient in R4/STU3 shape (DSTU2 when `dstu2`: family as an array). */
export function patient(id: string, family: string, given: string, dstu2 = false): unknown {
  return {
    resourceType: 'Patient',
    id,
    name: [{ use: 'official', family: dstu2 ? [family] : family, given: [given] }],
    gender: 'female',
    birthDate: '1960-01-02',
  };
}

/** The fake EHR as the app's configured partner: its origin serves FHIR and tokens. */
export function partnerAt(ehr: Pick<FakeEhr, 'origin'>, clientSecrets = ['s3cret'], clientId = 'patients-app'): EhrPartner {
  return { tokenEndpoint: ehr.origin, clientId, clientSecrets, fhirOrigins: [ehr.origin] };
}
