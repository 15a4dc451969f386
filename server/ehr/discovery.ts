import { LRUCache } from 'lru-cache';
import { appResourceTypes } from '../../contract/connection.js';
import { FHIR_ACCEPT, type FhirHttp } from './fhir-http.js';
import { isObject, objects, str, strings, type JsonObject } from './json.js';
import { isTooLarge, SINGLE_ANSWER_BYTES } from './read-budget.js';
import { underBase } from './urls.js';
import { FhirError, type FhirVersion } from './types.js';
import { lookupTable } from '../../contract/lookup-table.js';

/** What the app needs to know about one FHIR base. */
export interface ServerInfo {
  base: URL;
  version: FhirVersion;
  /** Of the resource types the app reads (`appResourceTypes`), those the capability statement lists. */
  resources: string[];
  auth: 'none' | 'client_credentials';
  tokenEndpoint?: string;
  /** `token_endpoint_auth_methods_supported` from the SMART well-known file. */
  authMethods?: string[];
  /**
   * Patient name parameters whose modifiers the capability statement lists without `contains`
   * (only a DSTU2 Conformance can list them; STU3 and R4 dropped `searchParam.modifier`).
   */
  containsUnsupported?: string[];
}

export interface Discovery {
  /** Cached per base URL; `fresh` skips (and refreshes) the cache. */
  discover(base: URL, options?: { fresh?: boolean }): Promise<ServerInfo>;
}

const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';
const DEFAULT_TTL_MS = 5 * 60_000;
/**
 * FHIR bases whose discovery is kept at once (each a few hundred bytes now that only what the app
 * uses is kept): past it the least recently used goes, and an expired one is never served.
 */
export const DISCOVERY_CACHE_MAX = 1_000;
/**
 * The largest capability statement read: the single-answer cap of reads (4 MB). Real ones are tens
 * to a few hundred KB; past this a link is refused as "too large" rather than parsed.
 */
export const METADATA_BYTES = SINGLE_ANSWER_BYTES;
/** The largest SMART configuration read (a few KB in practice); a larger one counts as absent. */
const WELL_KNOWN_BYTES = 256 * 1024;
/** The longest token endpoint address kept. */
const MAX_TOKEN_ENDPOINT = 2_000;
/** Token endpoint authentication methods a SMART configuration may name (RFC 8414, OIDC); others are not kept. */
const AUTH_METHODS = new Set([
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
  'tls_client_auth',
  'self_signed_tls_client_auth',
  'none',
]);
const APP_RESOURCE_TYPES: ReadonlySet<string> = new Set(appResourceTypes);

const VERSIONS: Record<string, FhirVersion> = lookupTable({ '1.0': 'DSTU2', '3.0': 'STU3', '4.0': 'R4', '4.3': 'R4B' });

function detectVersion(fhirVersion: unknown): FhirVersion {
  const text = str(fhirVersion);
  const majorMinor = text?.match(/^(\d+\.\d+)(\.|$|-)/)?.[1];
  const version = majorMinor ? VERSIONS[majorMinor] : undefined;
  if (!version) {
    throw new FhirError(
      'unsupported_version',
      text
        ? `This FHIR server speaks FHIR ${text.slice(0, 20).replace(/[^\w.-]/g, '?')}, a version the app does not support (it supports DSTU2, STU3, R4 and R4B).`
        : 'This FHIR server does not say which FHIR version it speaks; the app supports DSTU2, STU3, R4 and R4B.',
    );
  }
  return version;
}

export interface DiscoveryOptions {
  ttlMs?: number;
  /** Bases kept at once (default DISCOVERY_CACHE_MAX). */
  maxEntries?: number;
}

/** Discovery, and how many bases it keeps (for tests of the bound). */
export function createDiscovery(http: FhirHttp, options: DiscoveryOptions = {}): Discovery & { readonly cached: number } {
  const ttl = options.ttlMs ?? DEFAULT_TTL_MS;
  // Bounded: a team owner can try any number of links, each of which would otherwise stay for good.
  const cache = new LRUCache<string, ServerInfo>({ max: options.maxEntries ?? DISCOVERY_CACHE_MAX, ttl, ttlAutopurge: false });
  // One per base being discovered right now: as many as discoveries in flight.
  const inFlight = new Map<string, Promise<ServerInfo>>();

  async function load(base: URL): Promise<ServerInfo> {
    const [metadata, wellKnown] = await Promise.all([fetchMetadata(http, base), fetchWellKnown(http, base)]);
    return readServerInfo(base, metadata, wellKnown);
  }

  return {
    discover(base, { fresh = false } = {}) {
      const key = base.href;
      const cached = fresh ? undefined : cache.get(key);
      if (cached) return Promise.resolve(cached);
      const pending = inFlight.get(key);
      if (pending) return pending;
      const request = load(base)
        .then((info) => {
          cache.set(key, info);
          return info;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, request);
      return request;
    },
    get cached() {
      // Expired entries are dropped first: what is counted is what could still be served.
      cache.purgeStale();
      return cache.size;
    },
  };
}

/**
 * The capability statement, with what went wrong told apart for the owner: nothing answers (the
 * transport's `ehr_unreachable`, `ehr_timeout`), something answers but is not a FHIR server
 * (`not_fhir`: a web page, other JSON, no /metadata), or a FHIR server that refuses the app
 * (`token_refused`: a 401 or 403 stated as an OperationOutcome). The version is judged after.
 */
async function fetchMetadata(http: FhirHttp, base: URL): Promise<JsonObject> {
  let body: unknown;
  try {
    ({ body } = await http({ method: 'GET', url: underBase(base, 'metadata'), accept: FHIR_ACCEPT, maxResponseBytes: METADATA_BYTES }));
  } catch (error) {
    if (!(error instanceof FhirError)) throw error;
    if (isTooLarge(error)) {
      throw new FhirError(
        'ehr_error',
        `The EHR's description of itself (its capability statement at /metadata) is too large: over ${METADATA_BYTES / 1024 / 1024} MB, where real ones are far smaller. The app cannot use this link.`,
        error.status,
      );
    }
    const status = error.status;
    if (error.code === 'not_fhir') throw notFhir('it answered with something other than FHIR JSON', status);
    if (error.code !== 'ehr_error' || status === undefined || status >= 500 || status === 429) throw error;
    if ((status === 401 || status === 403) && error.fromFhir) {
      throw new FhirError(
        'token_refused',
        `This FHIR server refuses the app (HTTP ${status} for its capability statement, which FHIR servers open to all). Ask the EHR's administrators to let the app in.`,
        status,
      );
    }
    throw notFhir(`it has no FHIR capability statement: HTTP ${status} for /metadata`, status);
  }
  if (!isObject(body) || (body.resourceType !== 'CapabilityStatement' && body.resourceType !== 'Conformance')) {
    throw notFhir('it answered /metadata, but not with a FHIR capability statement');
  }
  return body;
}

function notFhir(why: string, status?: number): FhirError {
  return new FhirError('not_fhir', `This address is not a FHIR server (${why}). Check the link: it is the FHIR address of the EHR.`, status);
}

/** The SMART well-known file is optional: any failure means "not there". */
async function fetchWellKnown(http: FhirHttp, base: URL): Promise<JsonObject | undefined> {
  try {
    const { body } = await http({
      method: 'GET',
      url: underBase(base, '.well-known/smart-configuration'),
      accept: 'application/json',
      maxResponseBytes: WELL_KNOWN_BYTES,
    });
    return isObject(body) && str(body.token_endpoint) ? body : undefined;
  } catch (error) {
    if (error instanceof FhirError && error.code === 'link_not_allowed') throw error;
    return undefined;
  }
}

function readServerInfo(base: URL, metadata: JsonObject, wellKnown: JsonObject | undefined): ServerInfo {
  const version = detectVersion(metadata.fhirVersion);
  const rests = objects(metadata.rest);
  const serverRests = rests.filter((r) => r.mode === undefined || r.mode === 'server');
  const resources = offeredTypes(serverRests);
  if (!resources.includes('Patient')) {
    throw new FhirError('no_patient_support', 'This FHIR server offers no patient records (its capability statement lists no Patient resource).');
  }
  const stated = containsUnsupported(serverRests);
  const searchInfo = stated.length > 0 ? { containsUnsupported: stated } : {};
  const tokenEndpoint = str(wellKnown?.token_endpoint) ?? oauthUrisToken(serverRests);
  if (!tokenEndpoint) return { base, version, resources, auth: 'none', ...searchInfo };
  let tokenUrl: URL;
  try {
    if (tokenEndpoint.length > MAX_TOKEN_ENDPOINT) throw new Error('too long');
    tokenUrl = new URL(tokenEndpoint, `${base.href}/`);
  } catch {
    throw new FhirError('token_refused', 'The EHR advertises a token endpoint that is not a valid address.');
  }
  const authMethods = wellKnown ? [...new Set(strings(wellKnown.token_endpoint_auth_methods_supported))].filter((m) => AUTH_METHODS.has(m)) : [];
  return {
    base,
    version,
    resources,
    auth: 'client_credentials',
    tokenEndpoint: tokenUrl.href,
    ...(authMethods.length > 0 ? { authMethods } : {}),
    ...searchInfo,
  };
}

/**
 * The resource types the app reads that the server rests list, in the order listed, each once.
 * Whatever else a statement lists (a real one ~150 types, a hostile one a million made-up ones)
 * is looked at once and not kept.
 */
function offeredTypes(rests: JsonObject[]): string[] {
  const offered = new Set<string>();
  for (const rest of rests) {
    for (const resource of objects(rest.resource)) {
      const type = str(resource.type);
      if (type !== undefined && APP_RESOURCE_TYPES.has(type)) offered.add(type);
    }
  }
  return [...offered];
}

/** Patient `name`, `family`, `given` listed with modifiers that leave out `contains`, each once. */
function containsUnsupported(rests: JsonObject[]): string[] {
  const params = rests.flatMap((rest) => objects(rest.resource).filter((r) => r.type === 'Patient')).flatMap((r) => objects(r.searchParam));
  const names = params
    .filter((p) => ['name', 'family', 'given'].includes(str(p.name) ?? '') && Array.isArray(p.modifier) && !strings(p.modifier).includes('contains'))
    .map((p) => str(p.name) as string);
  return [...new Set(names)];
}

function oauthUrisToken(rests: JsonObject[]): string | undefined {
  for (const rest of rests) {
    const security = isObject(rest.security) ? rest.security : undefined;
    for (const extension of objects(security?.extension)) {
      if (extension.url !== OAUTH_URIS) continue;
      const token = objects(extension.extension).find((sub) => sub.url === 'token');
      const uri = str(token?.valueUri) ?? str(token?.valueUrl);
      if (uri) return uri;
    }
  }
  return undefined;
}
