/** A scripted FHIR server for clinical reads: searches and batches over an in-memory store. */
import { capabilityStatement, outcome, type FakeEhr, type Handler, type ReceivedRequest, type Reply } from './fake-ehr.js';
import { sampleRecord, writeRecord, type LogicalRecord, type Release } from './clinical-records.js';
import type { ListRow } from '../../../server/features/lists/list-view.js';

type R = Record<string, unknown>;

export interface ClinicalServerOptions {
  release: Release;
  resources?: string[];
  /** `_sort` answered with 400. */
  rejectSort?: boolean;
  /** `_sort` accepted but not applied. */
  ignoreSort?: boolean;
  rejectInclude?: boolean;
  /** `_include` accepted but not applied. */
  ignoreInclude?: boolean;
  /** The `status` search parameter accepted but not applied (every status matches). */
  ignoreStatus?: boolean;
  /** A scripted answer for a batch POST; undefined lets the server process it. */
  batch?: (request: ReceivedRequest) => Reply | undefined;
  /** Wait before answering a batch (to watch parallelism). */
  batchDelayMs?: number;
  /** The content type of every JSON answer (default application/fhir+json). */
  contentType?: string;
  /** Makes the server secured: metadata names `{origin}/token`, answered by this. */
  token?: Handler;
  /** A scripted answer for one entry URL (relative, e.g. `Observation?patient=a&…`), used in batches and single GETs. */
  entry?: (url: string, via: 'batch' | 'single') => Reply | undefined;
  /** Extra OperationOutcome entries (search.mode outcome) in every searchset. */
  outcomeEntries?: boolean;
  /** Send `total` (default) or leave it out. */
  total?: boolean;
}

const VERSION: Record<Release, string> = { DSTU2: '1.0.2', STU3: '3.0.2', R4: '4.0.1' };
const ALL_TYPES = [
  'Patient',
  'Observation',
  'Encounter',
  'Condition',
  'AllergyIntolerance',
  'MedicationOrder',
  'MedicationRequest',
  'Coverage',
  'Medication',
];

export function serveClinical(ehr: FakeEhr, store: R[], options: ClinicalServerOptions): void {
  const answer = (url: string): { status: number; json: unknown } => search(ehr, store, url, options);
  const typed = (reply: Reply): Reply =>
    options.contentType && reply.json !== undefined
      ? { ...reply, json: undefined, body: JSON.stringify(reply.json), headers: { 'content-type': options.contentType, ...reply.headers } }
      : reply;
  const handler: Handler = (r) => {
    const path = r.url.pathname;
    if (path === '/fhir/metadata') {
      const tokenUrl = options.token ? `${ehr.origin}/token` : undefined;
      return { json: capabilityStatement({ fhirVersion: VERSION[options.release], resources: options.resources ?? ALL_TYPES, tokenUrl }) };
    }
    if (path === '/token' && options.token) return options.token(r);
    if (r.method === 'POST' && path === '/fhir') {
      const scripted = options.batch?.(r);
      if (scripted) return scripted;
      const urls = (JSON.parse(r.body).entry as Array<{ request: { url: string } }>).map((e) => e.request.url);
      const json = { resourceType: 'Bundle', type: 'batch-response', entry: urls.map((url) => batchEntry(url, options, answer)) };
      return { json, delayMs: options.batchDelayMs };
    }
    if (r.method === 'GET' && path.startsWith('/fhir/')) {
      const relative = `${path.slice('/fhir/'.length)}${r.url.search}`;
      return options.entry?.(relative, 'single') ?? answer(relative);
    }
    return { status: 404, json: outcome('not-found') };
  };
  ehr.handle(async (r) => typed(await handler(r)));
}

function batchEntry(url: string, options: ClinicalServerOptions, answer: (url: string) => { status: number; json: unknown }): R {
  const scripted = options.entry?.(url, 'batch');
  const { status, json } = scripted ? { status: scripted.status ?? 200, json: scripted.json } : answer(url);
  if (status < 300) return { resource: json, response: { status: `${status} OK` } };
  // Where each release puts a failed entry's OperationOutcome: STU3 in response.outcome, DSTU2 and R4 in resource.
  return options.release === 'STU3'
    ? { response: { status: String(status), outcome: json } }
    : { resource: json, response: { status: `${status} Error` } };
}

function search(ehr: FakeEhr, store: R[], relative: string, options: ClinicalServerOptions): { status: number; json: unknown } {
  const url = new URL(relative, `${ehr.base}/`);
  const [type, id] = url.pathname.slice('/fhir/'.length).split('/');
  if (id !== undefined) {
    const found = store.find((r) => r.resourceType === type && r.id === id);
    return found ? { status: 200, json: found } : { status: 404, json: outcome('not-found') };
  }
  const params = url.searchParams;
  const sorted = params.has('_sort') || params.has('_sort:desc');
  if (sorted && options.rejectSort) return { status: 400, json: outcome('not-supported') };
  if (params.has('_include') && options.rejectInclude) return { status: 400, json: outcome('not-supported') };
  const patientRef = `Patient/${params.get('patient')}`;
  let matches = store.filter(
    (r) =>
      r.resourceType === type &&
      ['subject', 'patient', 'beneficiary', 'subscriber'].some((f) => (r[f] as R | undefined)?.reference === patientRef) &&
      (!params.has('category') || String(JSON.stringify(r.category)).includes(`"${params.get('category')}"`)) &&
      (!params.has('code') || matchesCode(r.code, params.get('code')!)) &&
      // A token search on `status`: comma-separated alternatives.
      (!params.has('status') || options.ignoreStatus || params.get('status')!.split(',').includes(String(r.status))),
  );
  if (sorted && !options.ignoreSort) matches = [...matches].sort((a, b) => dateOf(b).localeCompare(dateOf(a)));
  const offset = Number(params.get('_offset') ?? 0);
  const count = Number(params.get('_count') ?? 1000);
  const page = matches.slice(offset, offset + count);
  const included =
    params.has('_include') && !options.ignoreInclude
      ? page.flatMap((r) => {
          const ref = (r.medicationReference as R | undefined)?.reference;
          return store.filter((m) => `Medication/${m.id}` === ref);
        })
      : [];
  const next = new URL(url);
  next.searchParams.set('_offset', String(offset + count));
  return {
    status: 200,
    json: {
      resourceType: 'Bundle',
      type: 'searchset',
      ...(options.total === false ? {} : { total: matches.length }),
      ...(offset + count < matches.length ? { link: [{ relation: 'next', url: next.href }] } : {}),
      entry: [
        ...(options.outcomeEntries
          ? [
              {
                resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational' }] },
                search: { mode: 'outcome' },
              },
            ]
          : []),
        ...page.map((resource) => ({ resource, search: { mode: 'match' } })),
        ...included.map((resource) => ({ resource, search: { mode: 'include' } })),
      ],
    },
  };
}

/** A token search on `code`: comma-separated alternatives, each `code` or `system|code`. */
function matchesCode(concept: unknown, wanted: string): boolean {
  const codings = ((concept as R | undefined)?.coding ?? []) as R[];
  return wanted.split(',').some((token) => {
    const bar = token.indexOf('|');
    const [system, code] = bar < 0 ? [undefined, token] : [token.slice(0, bar), token.slice(bar + 1)];
    return codings.some((c) => c.code === code && (system === undefined || c.system === system));
  });
}

/** Comparable text of the date a server sorts on (ISO strings of one zone compare as text). */
function dateOf(r: R): string {
  const period = (r.period ?? r.effectivePeriod) as R | undefined;
  return String(r.effectiveDateTime ?? period?.start ?? '');
}

export const batchPosts = (ehr: FakeEhr) => ehr.requests.filter((r) => r.method === 'POST' && r.url.pathname === '/fhir');
export const singleGets = (ehr: FakeEhr) =>
  ehr.requests.filter((r) => r.method === 'GET' && r.url.pathname !== '/fhir/metadata' && !r.url.pathname.startsWith('/fhir/.well-known'));
export const batchUrls = (request: ReceivedRequest): string[] =>
  (JSON.parse(request.body).entry as Array<{ request: { url: string } }>).map((e) => e.request.url);

/**
 * Serves one patient, p1, with only these vital signs and nothing else of a clinical record; the
 * Patient resource gets `patient`'s elements on top (a death, say).
 */
export function serveVitalsOnly(ehr: FakeEhr, release: Release, vitals: LogicalRecord['vitals'], patient: R = {}): void {
  const record: LogicalRecord = { ...sampleRecord('p1'), vitals, encounters: [], conditions: [], allergies: [], medications: [], coverage: [] };
  const store = writeRecord(record, release).map((r) => (r.resourceType === 'Patient' ? { ...r, ...patient } : r));
  serveClinical(ehr, store, { release });
}

/** A list row of p1 with these cells, as the CSV export reads it. */
export const csvRowOf = (cells: Record<string, unknown>): ListRow => ({
  patientId: 'p1',
  displayName: 'A',
  mrn: null,
  birthDate: '1951-08',
  gender: null,
  available: true,
  cells: cells as never,
});
