import { FHIR_ACCEPT, type FhirHttp } from './fhir-http.js';
import { isObject, objects, str, strings, type JsonObject } from './json.js';
import { underBase } from './urls.js';
import { FhirError, type FhirVersion } from './types.js';

/** What the app needs to know about one FHIR base. */
export interface ServerInfo {
  base: URL;
  version: FhirVersion;
  resources: string[];
  auth: 'none' | 'client_credentials';
  tokenEndpoint?: string;
  /** `token_endpoint_auth_methods_supported` from the SMART well-known file. */
  authMethods?: string[];
}

export interface Discovery {
  /** Cached per base URL; `fresh` skips (and refreshes) the cache. */
  discover(base: URL, options?: { fresh?: boolean }): Promise<ServerInfo>;
}

const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';
const DEFAULT_TTL_MS = 5 * 60_000;

const VERSIONS: Record<string, FhirVersion> = { '1.0': 'DSTU2', '3.0': 'STU3', '4.0': 'R4', '4.3': 'R4B' };

function detectVersion(fhirVersion: unknown): FhirVersion {
  const text = str(fhirVersion);
  const majorMinor = text?.match(/^(\d+\.\d+)(\.|$|-)/)?.[1];
  const version = majorMinor ? VERSIONS[majorMinor] : undefined;
  if (!version) {
    throw new FhirError(
      'unsupported_version',
      text ? `The EHR speaks FHIR ${text.slice(0, 20)}; the app supports DSTU2, STU3, R4 and R4B.` : 'The EHR does not state its FHIR version.',
    );
  }
  return version;
}

export function createDiscovery(http: FhirHttp, options: { ttlMs?: number; now?: () => number } = {}): Discovery {
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { info: ServerInfo; expiresAt: number }>();
  const inFlight = new Map<string, Promise<ServerInfo>>();

  async function load(base: URL): Promise<ServerInfo> {
    const [metadata, wellKnown] = await Promise.all([fetchMetadata(http, base), fetchWellKnown(http, base)]);
    return readServerInfo(base, metadata, wellKnown);
  }

  return {
    discover(base, { fresh = false } = {}) {
      const key = base.href;
      const cached = cache.get(key);
      if (!fresh && cached && now() < cached.expiresAt) return Promise.resolve(cached.info);
      const pending = inFlight.get(key);
      if (pending) return pending;
      const request = load(base)
        .then((info) => {
          cache.set(key, { info, expiresAt: now() + ttlMs });
          return info;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, request);
      return request;
    },
  };
}

async function fetchMetadata(http: FhirHttp, base: URL): Promise<JsonObject> {
  let body: unknown;
  try {
    ({ body } = await http({ method: 'GET', url: underBase(base, 'metadata'), accept: FHIR_ACCEPT }));
  } catch (error) {
    if (error instanceof FhirError && (error.status === 401 || error.status === 403)) {
      throw new FhirError('not_fhir', `The EHR's /metadata must be open to all, but it answered HTTP ${error.status}.`, error.status);
    }
    if (error instanceof FhirError && error.code === 'ehr_error' && error.status !== undefined && error.status < 500 && error.status !== 429) {
      throw new FhirError('not_fhir', `No FHIR capability statement at this address (HTTP ${error.status} for /metadata).`, error.status);
    }
    throw error;
  }
  if (!isObject(body) || (body.resourceType !== 'CapabilityStatement' && body.resourceType !== 'Conformance')) {
    throw new FhirError('not_fhir', 'The address answered /metadata, but not with a FHIR capability statement.');
  }
  return body;
}

/** The SMART well-known file is optional: any failure means "not there". */
async function fetchWellKnown(http: FhirHttp, base: URL): Promise<JsonObject | undefined> {
  try {
    const { body } = await http({
      method: 'GET',
      url: underBase(base, '.well-known/smart-configuration'),
      accept: 'application/json',
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
  const resources = [...new Set(serverRests.flatMap((r) => objects(r.resource).map((res) => str(res.type))))].filter(
    (t): t is string => t !== undefined,
  );
  if (!resources.includes('Patient')) {
    throw new FhirError('no_patient_support', 'The EHR does not offer the Patient resource.');
  }
  const tokenEndpoint = str(wellKnown?.token_endpoint) ?? oauthUrisToken(serverRests);
  if (!tokenEndpoint) return { base, version, resources, auth: 'none' };
  let tokenUrl: URL;
  try {
    tokenUrl = new URL(tokenEndpoint, `${base.href}/`);
  } catch {
    throw new FhirError('token_refused', 'The EHR advertises a token endpoint that is not a valid address.');
  }
  const authMethods = wellKnown ? strings(wellKnown.token_endpoint_auth_methods_supported) : [];
  return {
    base,
    version,
    resources,
    auth: 'client_credentials',
    tokenEndpoint: tokenUrl.href,
    ...(authMethods.length > 0 ? { authMethods } : {}),
  };
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
