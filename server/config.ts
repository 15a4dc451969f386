import { isIP } from 'node:net';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isNeverAllowed } from './ehr/address-class.js';
import { z } from 'zod';
import { guidPattern } from '../contract/id-syntax.js';
import type { EhrPartner } from './ehr/partners.js';
import { LOG_LEVELS, logger } from './platform/logger.js';
import { loopbackHttp, onLoopback } from './platform/loopback.js';
import { TAB_DOMAIN_NAME, TAB_DOMAIN_RULE } from './platform/tab-domain.js';
import { absoluteUri, httpAddress, httpsAddress, wholeNumber } from './setting-values.js';
import { MIN_SEAL_KEY_BYTES, sealKeyBytes } from './storage/sharepoint/row-seal.js';

/** How long after SIGTERM App Service kills the process (see server/platform/shutdown.ts). */
export const SIGTERM_KILL_MS = 30_000;
/**
 * Settings from the environment, checked once at start; every missing or bad value is reported
 * together. Dev mode needs none. Production needs the app's Entra registration (Teams SSO and
 * on-behalf-of Graph access) and its client at the EHR's interop partner.
 */
/** A DNS host name (labels of letters, digits and inner hyphens; RFC 1123): what the server may listen on by name. */
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
/**
 * An http(s) origin as an admin writes it: a scheme, a host and an optional port, with trailing
 * slashes at most. No user name, path, query or fragment: a path would be dropped (widened to the
 * whole origin) or would make addresses no one serves.
 */
const ORIGIN = /^https?:\/\/[^/?#@\s]+\/*$/i;
const webOrigin = (message: string) =>
  z
    .string()
    .trim()
    .refine((u) => ORIGIN.test(u) && URL.canParse(u), message)
    .transform((u) => new URL(u).origin);

/**
 * A value with the spaces and line ends around it dropped (a secret pasted with its newline would
 * otherwise be refused by the party it is sent to): every id, secret and list item is read so.
 */
const trimmed = z.string().trim();
/** A GUID (a tenant or application id), in the lower case Azure AD writes into its tokens. */
const guid = (message?: string) => trimmed.regex(guidPattern, message).toLowerCase();

/**
 * A folder, with the spaces around it dropped: ` /home/data` would otherwise be a folder named
 * ` ` under the working folder, and the data would not be where the admin looks for it.
 */
const folderPath = trimmed.min(1, 'must be a folder path, such as /home/data');

const list = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);
const httpUrl = httpAddress();
const keyVaultSecretName = z.string().regex(/^[0-9a-zA-Z-]{1,127}$/, 'must be a Key Vault secret name');
/** One interop partner in EHR_PARTNERS; never echoes a value in its errors (secrets). */
const partner = z.object({
  tokenEndpoint: httpUrl,
  clientId: trimmed.min(1, 'must be the client id at the partner'),
  /** Its secrets, or none when KEY_VAULT_URL and clientSecretName give them (checked in loadConfig). */
  clientSecrets: z
    .union([list, z.array(trimmed)], { message: 'must be a list of secrets (an array of strings, or comma-separated)' })
    .pipe(z.array(z.string().min(1, 'must not hold an empty secret')))
    .optional(),
  /** With KEY_VAULT_URL: the Key Vault secret whose enabled versions are this client's secrets. */
  clientSecretName: keyVaultSecretName.optional(),
  fhirOrigins: z.array(httpUrl, { message: 'must be an array of http(s) origins' }).min(1, 'must name at least one FHIR origin'),
});
const partnersJson = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {tokenEndpoint, clientId, clientSecrets or clientSecretName, fhirOrigins}' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(partner, { message: 'must be a JSON array of {tokenEndpoint, clientId, clientSecrets or clientSecretName, fhirOrigins}' })
      .min(1, 'must name at least one partner'),
  );
const schema = z.object({
  APP_MODE: z.enum(['dev', 'production']).default('dev'),
  PORT: wholeNumber(0, 65535).default(3978),
  /** Production only; dev mode always binds to loopback. */
  HOST: trimmed
    .refine((h) => isIP(h) !== 0 || DNS_NAME.test(h), 'must be an IP address or a host name of this machine, such as 0.0.0.0 (every address) or ::')
    .default('0.0.0.0'),
  /** Default: `data` in the install folder (installFolder), whatever folder the server is started from. */
  DATA_DIR: folderPath.optional(),
  /** Where team data lives: SQLite (default in dev) or the team's SharePoint site (default in production). */
  STORE: z.enum(['sqlite', 'graph']).optional(),
  /** Default: `dist/client` in the install folder. */
  STATIC_DIR: folderPath.optional(),
  SANDBOX_FHIR_DATA: folderPath.optional(),
  SANDBOX_PATIENTS: wholeNumber(1, 5000).default(200),
  EHR_CLIENT_ID: trimmed.min(1).optional(),
  /** Comma-separated: more than one during secret rotation. */
  EHR_CLIENT_SECRETS: list.optional(),
  /** The partner's token endpoint for EHR_CLIENT_ID: the only place its secrets are sent (exact URL, or an origin for any URL on it). */
  EHR_TOKEN_ENDPOINT: httpUrl.optional(),
  /** Comma-separated origins of that partner's FHIR endpoints. */
  EHR_FHIR_ORIGINS: list.pipe(z.array(httpUrl)).optional(),
  /** More partners, each with its own client: a JSON array of {tokenEndpoint, clientId, clientSecrets or (with KEY_VAULT_URL) clientSecretName, fhirOrigins}. */
  EHR_PARTNERS: partnersJson.optional(),
  EHR_MRN_SYSTEM: absoluteUri(
    'must be an identifier system URI, such as urn:oid:2.16.840.1.113883.19.5 or https://hospital.contoso.org/mrn',
  ).optional(),
  EHR_TIMEOUT_MS: wholeNumber(100, 120_000).default(15_000),
  /** Rate limits per minute (per user; searches and EHR connection checks have their own; per tenant), and failed sign-ins per address per 5 minutes. */
  RATE_LIMIT_USER_PER_MINUTE: wholeNumber(1).default(600),
  RATE_LIMIT_SEARCH_PER_MINUTE: wholeNumber(1).default(120),
  RATE_LIMIT_CONNECTION_CHECK_PER_MINUTE: wholeNumber(1).default(10),
  RATE_LIMIT_TENANT_PER_MINUTE: wholeNumber(1).default(3000),
  RATE_LIMIT_FAILED_AUTH: wholeNumber(1).default(30),
  /**
   * Proxies in front of the app whose X-Forwarded-For is believed. Default (trustProxy below): 1 in
   * production on Azure App Service (its front end), else 0: with no proxy in front, believing one
   * would let any client choose the address its rate limits and audit records are kept under.
   */
  TRUST_PROXY_HOPS: wholeNumber(0, 10).optional(),
  /** Comma-separated origins an owner may link to although they are http or private (an on-premises EHR). */
  EHR_LINK_ALLOW_LIST: list
    .pipe(z.array(webOrigin('must be an http(s) origin, such as https://ehr.contoso.org:8443 (a scheme, a host and an optional port; no path)')))
    .optional(),
  /** The app's Entra (Azure AD) registration, as the Agents Toolkit names it. */
  AAD_APP_CLIENT_ID: guid('must be the application (client) id of the app registration, a GUID').optional(),
  SECRET_AAD_APP_CLIENT_SECRET: trimmed.min(1).optional(),
  /**
   * The tab's host name: the SSO token's audience is `api://{TAB_DOMAIN}/{client id}`. A host name
   * (a port may follow, as a local tunnel's does), never a web address: `https://…/` would make an
   * audience no token carries, and every sign-in would fail while the server reports itself ready.
   */
  TAB_DOMAIN: z.string().regex(TAB_DOMAIN_NAME, TAB_DOMAIN_RULE).optional(),
  /**
   * Who signs the SSO tokens the API accepts: Azure AD (always in production) or the dev
   * identity provider (dev mode only). Dev mode with `azure-ad` keeps the dev directory, sandbox
   * and SQLite, so the tokens' tenants and users must be the dev directory's.
   */
  SSO: z.enum(['dev', 'azure-ad']).optional(),
  /** Comma-separated tenant ids allowed to use the app; empty allows any. */
  AAD_ALLOWED_TENANTS: list.pipe(z.array(guid('must be tenant ids (GUIDs), comma-separated'))).optional(),
  /** Azure AD's sign-in origin; each token's issuer is `{AAD_AUTHORITY}/{its tenant}/v2.0`, so never a tenant path. */
  AAD_AUTHORITY: webOrigin(
    'must be the sign-in origin only, such as https://login.microsoftonline.com (no tenant or other path: the tenant comes from each token)',
  ).default('https://login.microsoftonline.com'),
  AAD_JWKS_URL: httpAddress('must be an http(s) address, such as https://login.microsoftonline.com/common/discovery/v2.0/keys').optional(),
  GRAPH_BASE_URL: httpAddress('must be an http(s) address, such as https://graph.microsoft.com').default('https://graph.microsoft.com'),
  /** Key Vault the EHR client secrets are read from at run time (rotation without a restart), with the app's managed identity. */
  KEY_VAULT_URL: httpsAddress('must be an https address, such as https://kv-patients.vault.azure.net/').optional(),
  /** The Key Vault secret holding EHR_CLIENT_ID's secrets (one enabled version each during rotation). */
  EHR_CLIENT_SECRET_NAME: keyVaultSecretName.default('ehr-client-secret'),
  /**
   * The server's keys that seal what the app vouches for in the team's SharePoint lists (who wrote
   * a note, what an owner set): base64 of at least 32 random bytes each, comma-separated during a
   * rotation (the first seals, every one is accepted). Never echoed in an error.
   */
  STORE_SEAL_KEYS: list
    .pipe(
      z
        .array(z.string().refine((k) => sealKeyBytes(k) !== null, `must be base64 of at least ${MIN_SEAL_KEY_BYTES} random bytes`))
        .min(1, 'must hold at least one key'),
    )
    .optional(),
  /** With KEY_VAULT_URL: the Key Vault secret whose enabled versions are the seal keys (newest seals). */
  STORE_SEAL_KEY_NAME: keyVaultSecretName.default('store-seal-key'),
  /** How often the EHR secrets are read from Key Vault (and at once when the partner refuses them). */
  KEY_VAULT_REFRESH_SECONDS: wholeNumber(1, 86_400).default(60),
  /** How long requests in flight may take to finish after SIGTERM; App Service kills the process 30 s after it (production: below SIGTERM_KILL_MS). */
  SHUTDOWN_GRACE_MS: wholeNumber(0, 120_000).default(20_000),
  /** Application Insights: when set, traces go there through Azure Monitor OpenTelemetry (server/platform/telemetry.ts). */
  APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().min(1).optional(),
  /**
   * Where the audit trail goes: SQLite (embedded, one instance; dev mode's default, never in
   * production) or Azure Table Storage, shared by every instance, at AUDIT_TABLE_ENDPOINT with the
   * app's managed identity (or, for azurite and development, AUDIT_TABLE_CONNECTION_STRING), in
   * the table AUDIT_TABLE_NAME. Production requires azure-table: its audit trail is never a file
   * on the web app's disk (spec: product.md, "Audit").
   */
  AUDIT_STORE: z.enum(['sqlite', 'azure-table']).optional(),
  AUDIT_TABLE_ENDPOINT: httpUrl.optional(),
  AUDIT_TABLE_CONNECTION_STRING: trimmed.min(1).optional(),
  AUDIT_TABLE_NAME: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/, 'must be 3 to 63 letters and digits, starting with a letter')
    .default('PatientsAudit'),
  /**
   * With AUDIT_STORE=azure-table, download links and uploads waiting for their import are held in
   * this table of the same account, so any instance serves them (server/storage/azure-table/table-held-items.ts).
   */
  HELD_ITEMS_TABLE_NAME: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/, 'must be 3 to 63 letters and digits, starting with a letter')
    .default('PatientsHeldItems'),
  /** Read by the logger as it starts (platform/logger.ts, which falls back to info); checked here with every other setting. */
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
});

type Parsed = z.infer<typeof schema>;
export type Config = Omit<Parsed, 'STORE' | 'SSO' | 'AUDIT_STORE'> & {
  STORE: 'sqlite' | 'graph';
  AUDIT_STORE: 'sqlite' | 'azure-table';
  SSO: 'dev' | 'azure-ad';
  dataDir: string;
  staticDir: string;
  host: string;
  /** The configured interop partners (EHR_TOKEN_ENDPOINT's and EHR_PARTNERS'); dev mode adds its sandbox at start. */
  ehrPartners: EhrPartner[];
  /** How many proxies' X-Forwarded-For is believed, and why (start logs it). */
  trustProxy: TrustProxy;
};

/** The proxy hops believed for the client's address, and why: TRUST_PROXY_HOPS, or the default for where the app runs. */
export interface TrustProxy {
  hops: number;
  source: 'setting' | 'app-service' | 'no-known-proxy' | 'dev';
  reason: string;
}

/**
 * Variables Azure App Service sets in every app's environment, read-only (Microsoft's "Environment
 * variables and app settings in Azure App Service" reference: WEBSITE_SITE_NAME, the app's name;
 * the Kudu runtime notes: WEBSITE_INSTANCE_ID, the instance). Their presence is how the app knows
 * App Service's front end, one proxy, is in front of it.
 */
export const APP_SERVICE_VARIABLES = ['WEBSITE_SITE_NAME', 'WEBSITE_INSTANCE_ID'] as const;

/**
 * TRUST_PROXY_HOPS when set (0 included); otherwise 1 only where a proxy is known to be in front
 * (production on App Service), else 0. Dev mode binds to loopback and refuses proxied requests.
 */
export function trustProxy(mode: 'dev' | 'production', hopsSetting: number | undefined, env: Record<string, string | undefined>): TrustProxy {
  if (hopsSetting !== undefined)
    return {
      hops: hopsSetting,
      source: 'setting',
      reason: `trusting ${hopsSetting} proxy hop(s) for the client's address (X-Forwarded-For): TRUST_PROXY_HOPS=${hopsSetting}`,
    };
  if (mode === 'dev')
    return {
      hops: 0,
      source: 'dev',
      reason: "trusting no proxy for the client's address: dev mode listens on loopback only and refuses proxied requests",
    };
  const marker = APP_SERVICE_VARIABLES.find((name) => env[name]?.trim());
  if (marker)
    return {
      hops: 1,
      source: 'app-service',
      reason: `trusting 1 proxy hop for the client's address (X-Forwarded-For): running on Azure App Service (${marker} is set), whose front end is in front of the app; set TRUST_PROXY_HOPS to change it`,
    };
  return {
    hops: 0,
    source: 'no-known-proxy',
    reason: `trusting no proxy for the client's address: not on Azure App Service (neither ${APP_SERVICE_VARIABLES.join(' nor ')} is set), so X-Forwarded-For is ignored; behind a reverse proxy or load balancer, set TRUST_PROXY_HOPS to the number of proxies in front of the app`,
  };
}

export class ConfigError extends Error {}

const required: Record<'dev' | 'production', (keyof Parsed)[]> = {
  dev: [],
  production: [
    'AAD_APP_CLIENT_ID',
    'SECRET_AAD_APP_CLIENT_SECRET',
    'TAB_DOMAIN',
    'EHR_CLIENT_ID',
    'EHR_CLIENT_SECRETS',
    'EHR_TOKEN_ENDPOINT',
    'EHR_FHIR_ORIGINS',
    'AUDIT_STORE',
  ],
};
/** Why a production setting is required, where the bare name does not say it. */
const requiredBecause: Partial<Record<keyof Parsed, string>> = {
  AUDIT_STORE: " (azure-table: the audit trail is never a file on the web app's disk)",
  EHR_CLIENT_SECRETS: ' (or KEY_VAULT_URL, to read them from the Key Vault secret EHR_CLIENT_SECRET_NAME)',
};
/** The Graph store seals rows with a key of the server's; SQLite, a file only the server reads, needs none. */
const sealKeyMissing = (given: Record<string, unknown>, mode: 'dev' | 'production'): string[] =>
  mode === 'production' && given.STORE !== 'sqlite' && given.STORE_SEAL_KEYS === undefined && given.KEY_VAULT_URL === undefined
    ? [
        `  STORE_SEAL_KEYS: required in production mode with the Graph store (base64 of at least ${MIN_SEAL_KEY_BYTES} random bytes: it seals who wrote each note and what owners set in the team's SharePoint lists, which every team member can edit; or KEY_VAULT_URL, to read it from the Key Vault secret STORE_SEAL_KEY_NAME)`,
      ]
    : [];
/** EHR_PARTNERS stands in for the single partner's settings. */
const singlePartner = new Set<keyof Parsed>(['EHR_CLIENT_ID', 'EHR_CLIENT_SECRETS', 'EHR_TOKEN_ENDPOINT', 'EHR_FHIR_ORIGINS']);

/**
 * In production every address the server sends a credential or a patient's data to is https,
 * checked here so a wrong one stops the start instead of failing each request later. The EHR's
 * addresses go through the link guard, which lets http through only for origins in
 * EHR_LINK_ALLOW_LIST (a partner on the hospital's own network); Microsoft's sign-in, keys and
 * Graph take plain http only on this machine's loopback (a stand-in beside the app).
 */
function productionAddressProblems(c: Parsed): string[] {
  const allowed = new Set((c.EHR_LINK_ALLOW_LIST ?? []).map((o) => new URL(o).origin));
  const ehrNotHttps = (url: string) => !url.toLowerCase().startsWith('https://') && !allowed.has(new URL(url).origin);
  const problems: string[] = [];
  const ehr: [string, string[]][] = [
    ['EHR_TOKEN_ENDPOINT', c.EHR_TOKEN_ENDPOINT ? [c.EHR_TOKEN_ENDPOINT] : []],
    ['EHR_FHIR_ORIGINS', c.EHR_FHIR_ORIGINS ?? []],
    ...(c.EHR_PARTNERS ?? []).map((p, i): [string, string[]] => [partnerEntry(i, p), [p.tokenEndpoint, ...p.fhirOrigins]]),
  ];
  for (const [key, urls] of ehr)
    if (urls.some(ehrNotHttps))
      problems.push(
        `  ${key}: must be https addresses in production mode (or origins listed in EHR_LINK_ALLOW_LIST, for a partner on the hospital's network)`,
      );
  for (const key of ['AAD_AUTHORITY', 'AAD_JWKS_URL', 'GRAPH_BASE_URL'] as const) {
    const url = c[key];
    if (url && !url.toLowerCase().startsWith('https://') && !loopbackHttp(url))
      problems.push(`  ${key}: must be an https address in production mode`);
  }
  if (
    c.AUDIT_TABLE_CONNECTION_STRING &&
    connectionStringEndpoints(c.AUDIT_TABLE_CONNECTION_STRING).some((u) => !u.startsWith('https://') && !loopbackHttp(u))
  )
    problems.push(
      "  AUDIT_TABLE_CONNECTION_STRING: its endpoints must be https in production mode (plain http only to azurite on this machine's loopback): the account's key and the audit records would cross the network in the clear; or use AUDIT_TABLE_ENDPOINT with the app's managed identity",
    );
  return problems;
}

/**
 * The addresses an Azure Storage connection string sends its key to: each `…Endpoint=`, and the
 * account's own (DefaultEndpointsProtocol, https when unset) unless TableEndpoint names the table
 * service; `UseDevelopmentStorage=true` is azurite on loopback. Lower case; never the key.
 */
export function connectionStringEndpoints(connectionString: string): string[] {
  const parts = connectionStringParts(connectionString);
  if (parts.get('usedevelopmentstorage')?.toLowerCase() === 'true') return ['http://127.0.0.1:10002'];
  const endpoints = [...parts].filter(([key]) => key.endsWith('endpoint')).map(([, value]) => value.toLowerCase());
  if (!parts.has('tableendpoint')) endpoints.push(`${(parts.get('defaultendpointsprotocol') ?? 'https').toLowerCase()}://`);
  return endpoints;
}

/** `Key=value` pairs of a connection string, keys in lower case. */
function connectionStringParts(connectionString: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) parts.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  return parts;
}

/**
 * What the Azure Tables client takes as an account's connection string, checked before it does:
 * its own refusals are stack traces that name no setting (and may quote the value).
 */
function readableConnectionString(connectionString: string): boolean {
  const parts = connectionStringParts(connectionString);
  if (parts.get('usedevelopmentstorage')?.toLowerCase() === 'true') return true;
  if (!parts.get('accountname') || !(parts.get('accountkey') || parts.get('sharedaccesssignature'))) return false;
  const table = parts.get('tableendpoint');
  if (table !== undefined) return URL.canParse(table) && /^https?:\/\//i.test(table);
  const protocol = parts.get('defaultendpointsprotocol')?.toLowerCase();
  const suffix = parts.get('endpointsuffix');
  return (protocol === 'http' || protocol === 'https') && (suffix === undefined || /^[a-z0-9.-]+$/i.test(suffix));
}

/** How a message names an EHR_PARTNERS entry: by its place (from 1) and its client, never a path like `EHR_PARTNERS.0`. */
function partnerEntry(index: number, p?: { clientId?: unknown }): string {
  return `EHR_PARTNERS entry ${index + 1}${typeof p?.clientId === 'string' && p.clientId ? ` (client ${p.clientId})` : ''}`;
}

/**
 * One refused value, in the setting's own words: `KEY: message`, an item of a list setting by its
 * place (`EHR_FHIR_ORIGINS item 2`), a field of an EHR_PARTNERS entry by the entry and its client.
 */
function issueLine(issue: z.core.$ZodIssue, given: Record<string, unknown>): string {
  const [key, ...rest] = issue.path.map(String);
  if (key === 'EHR_PARTNERS' && rest.length > 0 && /^\d+$/.test(rest[0])) {
    let entries: unknown;
    try {
      entries = JSON.parse(String(given.EHR_PARTNERS));
    } catch {
      entries = undefined;
    }
    const index = Number(rest[0]);
    const entry = Array.isArray(entries) ? (entries[index] as { clientId?: unknown } | undefined) : undefined;
    const field = rest.slice(1).map((p, i) => (i > 0 && /^\d+$/.test(p) ? `item ${Number(p) + 1}` : p));
    return `  ${partnerEntry(index, entry)}: ${field.length ? `${field.join(' ')} ` : ''}${issue.message}`;
  }
  const item = rest.length && /^\d+$/.test(rest[0]) ? ` item ${Number(rest[0]) + 1}` : rest.length ? ` ${rest.join(' ')}` : '';
  return `  ${key}${item}: ${issue.message}`;
}

/** The default partner's secrets: EHR_CLIENT_SECRETS, or (with KEY_VAULT_URL) the vault secret EHR_CLIENT_SECRET_NAME. */
function hasDefaultSecrets(c: Parsed): boolean {
  return Boolean(c.EHR_CLIENT_SECRETS?.length) || Boolean(c.KEY_VAULT_URL && c.EHR_TOKEN_ENDPOINT);
}

/** What settings whose values were each taken break between them, or in production: one line each. */
function settingProblems(c: Parsed, env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const defaultSecrets = hasDefaultSecrets(c);
  if (c.EHR_CLIENT_SECRETS?.length && !c.EHR_CLIENT_ID) problems.push('  EHR_CLIENT_ID and EHR_CLIENT_SECRETS must be set together');
  else if (c.EHR_CLIENT_ID && !defaultSecrets)
    problems.push(
      c.EHR_TOKEN_ENDPOINT
        ? '  EHR_CLIENT_SECRETS: required with EHR_CLIENT_ID (or KEY_VAULT_URL, to read them from the Key Vault secret EHR_CLIENT_SECRET_NAME)'
        : '  EHR_CLIENT_ID and EHR_CLIENT_SECRETS must be set together',
    );
  if (Boolean(c.EHR_TOKEN_ENDPOINT) !== Boolean(c.EHR_FHIR_ORIGINS?.length))
    problems.push('  EHR_TOKEN_ENDPOINT and EHR_FHIR_ORIGINS must be set together');
  if (c.EHR_TOKEN_ENDPOINT && !c.EHR_CLIENT_ID)
    problems.push('  EHR_TOKEN_ENDPOINT: needs EHR_CLIENT_ID and EHR_CLIENT_SECRETS, the client it belongs to');
  if (c.STORE === 'graph' && c.APP_MODE === 'dev') {
    problems.push('  STORE: graph needs production mode (APP_MODE=production): Graph is reached on behalf of Teams SSO users');
  }
  (c.EHR_PARTNERS ?? []).forEach((p, i) => {
    if (p.clientSecretName && !c.KEY_VAULT_URL)
      problems.push(`  ${partnerEntry(i, p)}: clientSecretName needs KEY_VAULT_URL, the vault the secret is read from`);
    else if (!p.clientSecrets?.length && !p.clientSecretName)
      problems.push(`  ${partnerEntry(i, p)}: needs clientSecrets or clientSecretName (with KEY_VAULT_URL)`);
  });
  if (c.APP_MODE === 'production' && c.AUDIT_STORE === 'sqlite')
    problems.push(
      "  AUDIT_STORE: sqlite is not allowed in production mode; set AUDIT_STORE=azure-table (the audit trail is never a file on the web app's disk)",
    );
  if (c.AUDIT_TABLE_CONNECTION_STRING && !readableConnectionString(c.AUDIT_TABLE_CONNECTION_STRING))
    problems.push(
      "  AUDIT_TABLE_CONNECTION_STRING: not a storage account connection string: it needs AccountName, AccountKey (or SharedAccessSignature) and TableEndpoint (an http or https address) or DefaultEndpointsProtocol, as Key=value pairs separated by ';' (or UseDevelopmentStorage=true for azurite)",
    );
  if (c.AUDIT_STORE === 'azure-table' && !c.AUDIT_TABLE_ENDPOINT && !c.AUDIT_TABLE_CONNECTION_STRING)
    problems.push('  AUDIT_TABLE_ENDPOINT: required with AUDIT_STORE=azure-table (or AUDIT_TABLE_CONNECTION_STRING for azurite)');
  if (c.APP_MODE === 'production' && c.AUDIT_TABLE_ENDPOINT && !c.AUDIT_TABLE_ENDPOINT.startsWith('https://'))
    problems.push('  AUDIT_TABLE_ENDPOINT: must be an https address in production mode');
  // Table names compare without regard to case: held items are deleted as they are used, the audit trail never.
  if (c.HELD_ITEMS_TABLE_NAME.toLowerCase() === c.AUDIT_TABLE_NAME.toLowerCase())
    problems.push(
      '  HELD_ITEMS_TABLE_NAME: must differ from AUDIT_TABLE_NAME (held items are deleted as they are used; the audit trail is append-only)',
    );
  if (c.AUDIT_TABLE_ENDPOINT && c.AUDIT_TABLE_CONNECTION_STRING)
    problems.push('  AUDIT_TABLE_ENDPOINT and AUDIT_TABLE_CONNECTION_STRING: set one, not both');
  if (c.APP_MODE === 'production') problems.push(...productionAddressProblems(c));
  // A partner's origin, not a way around the link guard: it never reaches link-local or metadata addresses (link-guard.ts).
  const unreachable = (c.EHR_LINK_ALLOW_LIST ?? []).filter((origin) => {
    const host = new URL(origin).hostname.replace(/^\[|\]$/g, '');
    return isIP(host) !== 0 && isNeverAllowed(host);
  });
  if (unreachable.length)
    problems.push(
      `  EHR_LINK_ALLOW_LIST: ${unreachable.length === 1 ? 'an origin is' : `${unreachable.length} origins are`} link-local or cloud metadata addresses (169.254.0.0/16, fe80::/10, 168.63.129.16), which no EHR link may reach`,
    );
  // App Service's only lasting disk is the network share /home (Azure Files), which SQLite's write-ahead
  // log does not support (its shared memory needs one machine's file locks: sqlite.org/wal.html), and
  // instances of a scaled-out app would each write their own team data: the team data goes to the team's site.
  const appService = APP_SERVICE_VARIABLES.find((name) => env[name]?.trim());
  if (c.APP_MODE === 'production' && c.STORE === 'sqlite' && appService)
    problems.push(
      `  STORE: sqlite is not allowed on Azure App Service (${appService} is set): its lasting disk is a network share, where SQLite's write-ahead log is not safe, and instances would not share the data; use STORE=graph (the team's SharePoint site)`,
    );
  // App Service ends the process 30 s after SIGTERM: a longer grace would be cut by a kill, between a change and its audit record.
  if (c.APP_MODE === 'production' && c.SHUTDOWN_GRACE_MS >= SIGTERM_KILL_MS)
    problems.push(
      `  SHUTDOWN_GRACE_MS: must be below ${SIGTERM_KILL_MS} in production mode (App Service kills the process ${SIGTERM_KILL_MS / 1000} s after SIGTERM)`,
    );
  if (c.SSO === 'dev' && c.APP_MODE === 'production') problems.push('  SSO: dev tokens are for dev mode only; production verifies Azure AD tokens');
  if (c.SSO === 'azure-ad' && c.APP_MODE === 'dev') {
    for (const key of ['AAD_APP_CLIENT_ID', 'TAB_DOMAIN'] as const) if (!c[key]) problems.push(`  ${key}: required with SSO=azure-ad`);
  }
  return problems;
}

/**
 * The checks between settings when some values were refused: on the others, each refused one as
 * if unset, leaving out every line that names a refused setting (its own line already says what
 * is wrong with it).
 */
function problemsBesideRefused(issues: z.core.$ZodIssue[], given: Record<string, unknown>, env: Record<string, string | undefined>): string[] {
  const refused = [...new Set(issues.map((i) => String(i.path[0])))];
  const rest = schema.safeParse(Object.fromEntries(Object.entries(given).filter(([key]) => !refused.includes(key))));
  if (!rest.success) return [];
  return settingProblems(rest.data, env).filter((line) => !refused.some((key) => new RegExp(`\\b${key}\\b`).test(line)));
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(given);
  // App Service hands an unresolved Key Vault reference over as its own text: never use it as a value.
  const unresolved = Object.keys(schema.shape).filter((key) => env[key]?.trimStart().startsWith('@Microsoft.KeyVault('));
  const vaultProblems = unresolved.map(
    (key) => `  ${key}: App Service could not resolve its Key Vault reference (does the secret exist, and may the app's identity read it?)`,
  );
  // With KEY_VAULT_URL the default partner's secrets come from the vault (EHR_CLIENT_SECRET_NAME).
  const missing = (mode: 'dev' | 'production', partners: boolean) => [
    ...required[mode]
      .filter((key) => given[key] === undefined && !(partners && singlePartner.has(key)))
      .filter((key) => !(key === 'EHR_CLIENT_SECRETS' && given.KEY_VAULT_URL !== undefined))
      .map((key) => `  ${key}: required in ${mode} mode${requiredBecause[key] ?? ''}`),
    ...sealKeyMissing(given, mode),
  ];
  if (!parsed.success) {
    // Every problem at once, so one restart fixes them all: the values refused, the settings
    // missing, the Key Vault references App Service could not resolve, and what the other
    // settings break between them (SHUTDOWN_GRACE_MS too long beside a PORT that is no number).
    const lines = parsed.error.issues.filter((i) => !unresolved.includes(String(i.path[0]))).map((i) => issueLine(i, given));
    const mode = given.APP_MODE === 'production' ? 'production' : 'dev';
    throw new ConfigError(
      `Invalid configuration:\n${[
        ...lines,
        ...missing(mode, given.EHR_PARTNERS !== undefined),
        ...vaultProblems,
        ...problemsBesideRefused(parsed.error.issues, given, env),
      ].join('\n')}`,
    );
  }
  const c = parsed.data;
  const problems = [...missing(c.APP_MODE, c.EHR_PARTNERS !== undefined), ...vaultProblems, ...settingProblems(c, env)];
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  const defaultSecrets = hasDefaultSecrets(c);
  const warning = devModeWithPartner(c);
  if (warning) logger.warn({ settings: warning.settings }, warning.message);
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(p));
  // A partner whose secrets are only in Key Vault holds none until the first read.
  const ehrPartners: EhrPartner[] = (c.EHR_PARTNERS ?? []).map((p) => ({ ...p, clientSecrets: p.clientSecrets ?? [] }));
  if (c.EHR_TOKEN_ENDPOINT && c.EHR_FHIR_ORIGINS && c.EHR_CLIENT_ID && defaultSecrets) {
    ehrPartners.unshift({
      tokenEndpoint: c.EHR_TOKEN_ENDPOINT,
      clientId: c.EHR_CLIENT_ID,
      clientSecrets: c.EHR_CLIENT_SECRETS ?? [],
      fhirOrigins: c.EHR_FHIR_ORIGINS,
      ...(c.KEY_VAULT_URL ? { clientSecretName: c.EHR_CLIENT_SECRET_NAME } : {}),
    });
  }
  return {
    ...c,
    ehrPartners: ehrPartners.map((p) => ({ ...p, fhirOrigins: p.fhirOrigins.map((o) => new URL(o).origin) })),
    STORE: c.STORE ?? (c.APP_MODE === 'production' ? 'graph' : 'sqlite'),
    AUDIT_STORE: c.AUDIT_STORE ?? 'sqlite',
    SSO: c.SSO ?? (c.APP_MODE === 'production' ? 'azure-ad' : 'dev'),
    dataDir: c.DATA_DIR ? abs(c.DATA_DIR) : join(installFolder(), 'data'),
    staticDir: c.STATIC_DIR ? abs(c.STATIC_DIR) : join(installFolder(), 'dist', 'client'),
    // Dev mode binds to loopback only: it has a token endpoint for any dev user.
    host: c.APP_MODE === 'dev' ? '127.0.0.1' : c.HOST,
    trustProxy: trustProxy(c.APP_MODE, c.TRUST_PROXY_HOPS, env),
  };
}

/**
 * Dev mode signs anyone on this machine in as any dev user, so the EHR credentials it holds are
 * anyone's there. Pointing it at a partner's test server is fine; a hospital's credentials are not.
 * The warning start logs when a partner off this machine's loopback is configured in dev mode
 * (EHR_TOKEN_ENDPOINT, EHR_FHIR_ORIGINS or an EHR_PARTNERS entry); never a refusal.
 */
export function devModeWithPartner(
  c: Pick<Parsed, 'APP_MODE' | 'EHR_TOKEN_ENDPOINT' | 'EHR_FHIR_ORIGINS' | 'EHR_PARTNERS'>,
): { settings: string[]; message: string } | undefined {
  if (c.APP_MODE !== 'dev') return undefined;
  const offMachine = (urls: string[]) => urls.some((url) => !onLoopback(url));
  const settings = [
    ...(offMachine(c.EHR_TOKEN_ENDPOINT ? [c.EHR_TOKEN_ENDPOINT] : []) ? ['EHR_TOKEN_ENDPOINT'] : []),
    ...(offMachine(c.EHR_FHIR_ORIGINS ?? []) ? ['EHR_FHIR_ORIGINS'] : []),
    ...(offMachine((c.EHR_PARTNERS ?? []).flatMap((p) => [p.tokenEndpoint, ...p.fhirOrigins])) ? ['EHR_PARTNERS'] : []),
  ];
  if (!settings.length) return undefined;
  return {
    settings,
    message: `dev mode signs anyone in on this machine as any dev user, yet ${settings.join(' and ')} name an EHR partner off it: dev mode must not hold a hospital's credentials (a partner's test server only); use APP_MODE=production for real ones`,
  };
}

/**
 * Names the app's own deployment files set beside its settings that the server does not read
 * (m365agents.local.yml writes them for the Agents Toolkit): not typos.
 */
const notSettingsOfOurs = new Set(['AAD_APP_TENANT_ID', 'TAB_ENDPOINT']);
/** Families that belong to a library, not to the app, although a setting of ours starts the same way. */
const foreignPrefixes = ['APPLICATIONINSIGHTS_'];

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/**
 * Environment variables that look like settings of this app but are none (a misspelling such as
 * AUDIT_STOR is otherwise ignored, and its default used): each name that starts as a setting's
 * family does (the first word and `_` of a setting's name: AUDIT_, EHR_, KEY_, RATE_, STORE_, …),
 * or is one letter off a setting's name, with the closest setting where one is near. Start logs
 * them as a warning; they never stop it.
 */
export function unknownSettings(env: Record<string, string | undefined>): { name: string; closest?: string }[] {
  const known = Object.keys(schema.shape);
  const prefixes = [...new Set(known.map((key) => `${key.split('_')[0]}_`))].filter((p) => !foreignPrefixes.includes(p));
  return Object.keys(env)
    .filter((name) => env[name] !== undefined && !known.includes(name) && !notSettingsOfOurs.has(name))
    .filter((name) => !foreignPrefixes.some((p) => name.startsWith(p)))
    .filter((name) => prefixes.some((p) => name.startsWith(p)) || known.some((key) => editDistance(name, key) === 1))
    .sort()
    .map((name) => {
      const [closest, distance] = known
        .map((key) => [key, editDistance(name, key)] as const)
        .reduce((best, next) => (next[1] < best[1] ? next : best));
      // Near enough to be the setting meant: a few letters off, or the setting with a word added (SSO_MODE).
      if (distance <= Math.max(2, Math.floor(closest.length / 4))) return { name, closest };
      const extended = known.filter((key) => name.startsWith(`${key}_`)).sort((a, b) => b.length - a.length)[0];
      return extended ? { name, closest: extended } : { name };
    });
}

/** The warning for one unknown setting: `AUDIT_STOR is not a setting; did you mean AUDIT_STORE?` */
export function unknownSettingMessage(unknown: { name: string; closest?: string }): string {
  return `${unknown.name} is not a setting${unknown.closest ? `; did you mean ${unknown.closest}?` : ' of this app: it is ignored'}`;
}

/**
 * The folder the server was installed in: the nearest one above this module with a package.json
 * (server/ when run from source, dist/server/ when built), else the working folder. Relative
 * settings are read from the working folder; the defaults belong to the install, so a service
 * started from another folder finds its tab and keeps its data in one place. Looked up once.
 */
let installed: string | undefined;
function installFolder(): string {
  return (installed ??= findInstallFolder());
}
function findInstallFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return resolve('.');
}
