import { LRUCache } from 'lru-cache';
import { logger } from '../platform/logger.js';
import { adapterFor } from './adapters/index.js';
import { readClinical, readPatientDetails, type ClinicalWarning } from './clinical/index.js';
import { createDiscovery, DISCOVERY_CACHE_MAX, type ServerInfo } from './discovery.js';
import type { EhrContext, SearchQuirks } from './ehr-context.js';
import { createFhirHttp, type TokenSource } from './fhir-http.js';
import { fetchPage, searchPatients } from './patient-search.js';
import { readPatient, readPatients } from './patient-read.js';
import { limitOutbound } from './outbound-limit.js';
import { ReadBudget } from './read-budget.js';
import { partnerFor, type Partners } from './partners.js';
import { createTokenBroker, type TokenBroker, type TokenKey } from './token-broker.js';
import { createTransport, type EhrFetch, type TransportOptions } from './transport.js';
import { parseBaseUrl, underBase } from './urls.js';
import { ClinicalRows, type ConnectionCheck, type EhrGateway } from './types.js';

export * from './types.js';
export * from './clinical/types.js';
export { encounterOver } from './clinical/encounter.js';
export type { EhrPartner } from './partners.js';
export type { EhrFetch, EhrFetchInit } from './transport.js';

export interface EhrGatewayOptions {
  /**
   * The interop partners and the app's client at each. A secured link gets a token only when its
   * FHIR origin is a partner's and the token endpoint it advertises is that partner's; its
   * credentials are that partner's alone. Open servers (no token endpoint) need none.
   */
  partners: Partners;
  /** Replaces the transport's `requestEhr` (benchmarks count calls); it gets the guarded dispatcher in its init. */
  fetch?: EhrFetch;
  /** Per request, default 15000. */
  timeoutMs?: number;
  /** Called with every URL before it is fetched (SSRF guard lives in the caller); throws FhirError('link_not_allowed', …) to refuse. */
  checkUrl?: (url: URL) => Promise<void>;
  /** The undici dispatcher every EHR request goes through: the link guard's, which checks each address connected to. */
  dispatcher?: TransportOptions['dispatcher'];
  /** An extra identifier system that counts as MRN. */
  mrnSystem?: string;
  /** Entries per batch Bundle for clinical reads (default 100: a read of n entries is ceil(n / 100) requests). */
  batchSize?: number;
  /** Requests in flight at once per read (default 4). */
  parallelRequests?: number;
  /** Requests in flight at once per tenant to one EHR (origin), the rest wait (default 8). */
  maxRequestsPerTenant?: number;
  /** EHR answers being read at once by the gateway, i.e. the process (default 32): see outbound-limit.ts. */
  maxRequestsInFlight?: number;
  /** Where the warnings of a read (search, patient, clinical) go: codes and counts only; default: the server log. */
  onWarnings?: (warnings: ClinicalWarning[]) => void;
  /** FHIR bases whose discovery and learned search quirks are kept at once (default DISCOVERY_CACHE_MAX each). */
  maxCachedBases?: number;
}

/** How long what a base taught about its searches (no `_sort`, no `_include`) is kept: it is learned again after. */
const QUIRKS_TTL_MS = 60 * 60_000;

/** The gateway, and how many bases its caches hold now (for tests of their bounds). */
export type EhrGatewayWithCaches = EhrGateway & { readonly cachedBases: { discovery: number; quirks: number } };

function logWarnings(warnings: ClinicalWarning[]): void {
  if (warnings.length > 0) logger.warn({ fhirWarnings: Object.fromEntries(warnings.map((w) => [w.code, w.count])) }, 'EHR data partly skipped');
}

/** The one door from the API into the EHR; all state (caches, learned quirks) lives in the instance. */
export function createEhrGateway(options: EhrGatewayOptions): EhrGatewayWithCaches {
  const transport = createTransport({
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    checkUrl: options.checkUrl,
    dispatcher: options.dispatcher,
  });
  const http = createFhirHttp({ transport });
  // Reads for a tenant go through its slots and the process's, and each call has a read budget.
  const outbound = limitOutbound(transport, { perTenant: options.maxRequestsPerTenant, perProcess: options.maxRequestsInFlight });
  const maxCachedBases = options.maxCachedBases ?? DISCOVERY_CACHE_MAX;
  const discovery = createDiscovery(http, { maxEntries: maxCachedBases });
  const tokens = createTokenBroker({ transport });
  // Bounded like discovery: any number of links can be tried, and each would otherwise stay for good.
  const quirksByBase = new LRUCache<string, SearchQuirks>({ max: maxCachedBases, ttl: QUIRKS_TTL_MS, ttlAutopurge: false });

  /** The token key of a secured server: bound to its partner, or refused before any credential is sent. */
  function tokenKey(server: ServerInfo, tenantId: string): TokenKey | undefined {
    if (server.auth === 'none' || !server.tokenEndpoint) return undefined;
    const partner = partnerFor(options.partners, server.base, new URL(server.tokenEndpoint));
    return { tokenEndpoint: server.tokenEndpoint, tenantId, partner };
  }

  async function open(baseUrl: string, tenantId: string, fresh = false): Promise<{ ctx: EhrContext; key?: TokenKey }> {
    const server = await discovery.discover(parseBaseUrl(baseUrl), { fresh });
    const key = tokenKey(server, tenantId);
    const budget = new ReadBudget();
    const ctx: EhrContext = {
      server,
      adapter: adapterFor(server.version),
      http: createFhirHttp({
        transport: budget.meter(outbound.forTenant(tenantId), server.base),
        entries: budget,
      }),
      budget,
      onWarnings: report,
      token: key && tokenSource(tokens, key, server.authMethods),
      mrnSystem: options.mrnSystem,
      quirks: quirksFor(server.base.href),
      batchSize: options.batchSize,
      parallelRequests: options.parallelRequests,
    };
    return { ctx, key };
  }

  async function context(baseUrl: string, tenantId: string): Promise<EhrContext> {
    return (await open(baseUrl, tenantId)).ctx;
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
    get cachedBases() {
      quirksByBase.purgeStale();
      return { discovery: discovery.cached, quirks: quirksByBase.size };
    },
    async check(baseUrl, tenantId): Promise<ConnectionCheck> {
      const { ctx, key } = await open(baseUrl, tenantId, true);
      const { server } = ctx;
      // A check proves the credentials work now, not that a cached token still does.
      if (key) tokens.invalidate(key);
      const url = underBase(server.base, 'Patient');
      url.search = '_count=1';
      // Through the tenant's limits and the single-answer byte cap, as every read.
      await ctx.http({ method: 'GET', url, token: ctx.token });
      return {
        fhirVersion: server.version,
        auth: server.auth,
        ...(server.tokenEndpoint ? { tokenEndpoint: server.tokenEndpoint } : {}),
        resources: server.resources,
      };
    },
    async searchPatients(baseUrl, tenantId, query, pageUrl) {
      const ctx = await context(baseUrl, tenantId);
      return pageUrl === undefined ? searchPatients(ctx, query, quirksOf(ctx)) : fetchPage(ctx, query, pageUrl);
    },
    async readPatient(baseUrl, tenantId, id) {
      return readPatient(await context(baseUrl, tenantId), id);
    },
    async readPatients(baseUrl, tenantId, ids) {
      if (ids.length === 0) return [];
      return readPatients(await context(baseUrl, tenantId), ids);
    },
    async readClinical(baseUrl, tenantId, ids, parts, onRow, vitalKinds) {
      if (ids.length === 0) return new ClinicalRows();
      return readClinical(await context(baseUrl, tenantId), ids, parts, report, onRow, vitalKinds);
    },
    async readPatientDetails(baseUrl, tenantId, id) {
      return readPatientDetails(await context(baseUrl, tenantId), id, report);
    },
  };
}

function tokenSource(tokens: TokenBroker, key: TokenKey, authMethods: string[] | undefined): TokenSource {
  return {
    get: () => tokens.getToken(key, authMethods),
    renew: (rejected) => {
      tokens.invalidate(key, rejected);
      return tokens.getToken(key, authMethods);
    },
  };
}
