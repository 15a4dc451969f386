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

const VERSIONS: Record<string, FhirVersion> = { '1.0': 'DSTU2', '3.0': 'STU3', '4.0': 'R4', '4.3': 'R4B' };

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

/**
 * The capability statement, with what went wrong told apart for the owner: nothing answers (the
 * transport's `ehr_unreachable`, `ehr_timeout`), something answers but is not a FHIR server
 * (`not_fhir`: a web page, other JSON, no /metadata), or a FHIR server that refuses the app
 * (`token_refused`: a 401 or 403 stated as an OperationOutcome). The version is judged after.
 */
async function fetchMetadata(http: FhirHttp, base: URL): Promise<JsonObject> {
  let body: unknown;
  try {
    ({ body } = await http({ method: 'GET', url: underBase(base, 'metadata'), accept: FHIR_ACCEPT }));
  } catch (error) {
    if (!(error instanceof FhirError)) throw error;
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
    throw new FhirError('no_patient_support', 'This FHIR server offers no patient records (its capability statement lists no Patient resource).');
  }
  const stated = containsUnsupported(serverRests);
  const searchInfo = stated.length > 0 ? { containsUnsupported: stated } : {};
  const tokenEndpoint = str(wellKnown?.token_endpoint) ?? oauthUrisToken(serverRests);
  if (!tokenEndpoint) return { base, version, resources, auth: 'none', ...searchInfo };
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
    ...searchInfo,
  };
}

/** Patient `name`, `family`, `given` listed with modifiers that leave out `contains`. */
function containsUnsupported(rests: JsonObject[]): string[] {
  const params = rests.flatMap((rest) => objects(rest.resource).filter((r) => r.type === 'Patient')).flatMap((r) => objects(r.searchParam));
  return params
    .filter((p) => ['name', 'family', 'given'].includes(str(p.name) ?? '') && Array.isArray(p.modifier) && !strings(p.modifier).includes('contains'))
    .map((p) => str(p.name) as string);
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
