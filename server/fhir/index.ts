import { logger } from '../http/logger.js';
import { adapterFor } from './adapters/index.js';
import { readClinical, readPatientDetails, type ClinicalWarning } from './clinical/index.js';
import { createDiscovery, type ServerInfo } from './discovery.js';
import type { EhrContext, SearchQuirks } from './ehr-context.js';
import { createFhirHttp, type TokenSource } from './fhir-http.js';
import { fetchPage, searchPatients } from './patient-search.js';
import { readPatient, readPatients } from './patient-read.js';
import { limitOutbound } from './outbound-limit.js';
import { ReadBudget } from './read-budget.js';
import { createTokenBroker, type TokenBroker } from './token-broker.js';
import { createTransport } from './transport.js';
import { parseBaseUrl, underBase } from './urls.js';
import type { ConnectionCheck, EhrGateway } from './types.js';

export * from './types.js';
export * from './clinical/types.js';
export { summariseForComparison, type ComparablePatient, type ComparableVital } from './clinical/compare.js';
export { DEFAULT_BATCH_SIZE, DEFAULT_PARALLEL_REQUESTS } from './clinical/batch.js';
export { adapters, adapterFor } from './adapters/index.js';
export type { VersionAdapter } from './adapters/index.js';

export interface EhrGatewayOptions {
  clientId: string;
  /** Several allowed during rotation: the first is used, the next on invalid_client. Read at each token request. */
  clientSecrets: string[];
  fetch?: typeof fetch;
  /** Per request, default 15000. */
  timeoutMs?: number;
  /** Called with every URL before it is fetched (SSRF guard lives in the caller); throws FhirError('link_not_allowed', …) to refuse. */
  checkUrl?: (url: URL) => Promise<void>;
  /** An extra identifier system that counts as MRN. */
  mrnSystem?: string;
  /** Entries per batch Bundle for clinical reads (default 100: a read of n entries is ceil(n / 100) requests). */
  batchSize?: number;
  /** Requests in flight at once per read (default 4). */
  parallelRequests?: number;
  /** Requests to EHRs in flight at once per tenant, the rest wait (default 8). */
  maxRequestsPerTenant?: number;
  /** Requests to EHRs in flight at once for the gateway, i.e. the process (default 32). */
  maxRequestsInFlight?: number;
  /** Where the warnings of a clinical read go (codes and counts only); default: the server log. */
  onWarnings?: (warnings: ClinicalWarning[]) => void;
}

function logWarnings(warnings: ClinicalWarning[]): void {
  if (warnings.length > 0) logger.warn({ fhirWarnings: Object.fromEntries(warnings.map((w) => [w.code, w.count])) }, 'EHR data partly skipped');
}

/** The one door from the API into the EHR; all state (caches, learned quirks) lives in the instance. */
export function createEhrGateway(options: EhrGatewayOptions): EhrGateway {
  const transport = createTransport({ fetch: options.fetch, timeoutMs: options.timeoutMs, checkUrl: options.checkUrl });
  const http = createFhirHttp({ transport });
  // Reads for a tenant go through its slots and the process's, and each call has a read budget.
  const outbound = limitOutbound(transport, { perTenant: options.maxRequestsPerTenant, perProcess: options.maxRequestsInFlight });
  const discovery = createDiscovery(http);
  const tokens = createTokenBroker({ clientId: options.clientId, clientSecrets: options.clientSecrets, transport });
  const quirksByBase = new Map<string, SearchQuirks>();

  async function context(baseUrl: string, tenantId: string, fresh = false): Promise<EhrContext> {
    const server = await discovery.discover(parseBaseUrl(baseUrl), { fresh });
    const budget = new ReadBudget();
    return {
      server,
      adapter: adapterFor(server.version),
      http: createFhirHttp({ transport: budget.meter(outbound.forTenant(tenantId), server.base) }),
      budget,
      onWarnings: report,
      token: tokenSource(tokens, server, tenantId),
      mrnSystem: options.mrnSystem,
      quirks: quirksFor(server.base.href),
      batchSize: options.batchSize,
      parallelRequests: options.parallelRequests,
    };
  }

  const report = options.onWarnings ?? logWarnings;

  function quirksFor(key: string): SearchQuirks {
    let quirks = quirksByBase.get(key);
    if (!quirks) quirksByBase.set(key, (quirks = {}));
    return quirks;
  }

  function quirksOf(ctx: EhrContext): SearchQuirks {
    return quirksFor(ctx.server.base.href);
  }

  return {
    async check(baseUrl, tenantId): Promise<ConnectionCheck> {
      const ctx = await context(baseUrl, tenantId, true);
      const { server } = ctx;
      if (server.tokenEndpoint) {
        // A check proves the credentials work now, not that a cached token still does.
        tokens.invalidate({ tokenEndpoint: server.tokenEndpoint, tenantId });
      }
      const url = underBase(server.base, 'Patient');
      url.search = '_count=1';
      await http({ method: 'GET', url, token: ctx.token });
      return {
        fhirVersion: server.version,
        auth: server.auth,
        ...(server.tokenEndpoint ? { tokenEndpoint: server.tokenEndpoint } : {}),
        resources: server.resources,
      };
    },
    async searchPatients(baseUrl, tenantId, query, pageUrl) {
      const ctx = await context(baseUrl, tenantId);
      return pageUrl === undefined
        ? searchPatients(ctx, query, quirksOf(ctx))
        : fetchPage(ctx, query, pageUrl, quirksOf(ctx));
    },
    async readPatient(baseUrl, tenantId, id) {
      return readPatient(await context(baseUrl, tenantId), id);
    },
    async readPatients(baseUrl, tenantId, ids) {
      if (ids.length === 0) return [];
      return readPatients(await context(baseUrl, tenantId), ids);
    },
    async readClinical(baseUrl, tenantId, ids, parts, onRow) {
      if (ids.length === 0) return new Map();
      return readClinical(await context(baseUrl, tenantId), ids, parts, report, onRow);
    },
    async readPatientDetails(baseUrl, tenantId, id) {
      return readPatientDetails(await context(baseUrl, tenantId), id, report);
    },
  };
}

function tokenSource(tokens: TokenBroker, server: ServerInfo, tenantId: string): TokenSource | undefined {
  if (server.auth === 'none' || !server.tokenEndpoint) return undefined;
  const key = { tokenEndpoint: server.tokenEndpoint, tenantId };
  return {
    get: () => tokens.getToken(key, server.authMethods),
    renew: (rejected) => {
      tokens.invalidate(key, rejected);
      return tokens.getToken(key, server.authMethods);
    },
  };
}
