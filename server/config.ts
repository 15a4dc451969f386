import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { guidPattern } from '../contract/id-syntax.js';
import type { EhrPartner } from './ehr/partners.js';
import { LOG_LEVELS } from './platform/logger.js';
import { loopbackHttp } from './platform/loopback.js';

/**
 * Settings from the environment, checked once at start; every missing or bad value is reported
 * together. Dev mode needs none. Production needs the app's Entra registration (Teams SSO and
 * on-behalf-of Graph access) and its client at the EHR's interop partner.
 */
const list = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);
const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) address');
const keyVaultSecretName = z.string().regex(/^[0-9a-zA-Z-]{1,127}$/, 'must be a Key Vault secret name');
/** One interop partner in EHR_PARTNERS; never echoes a value in its errors (secrets). */
const partner = z.object({
  tokenEndpoint: httpUrl,
  clientId: z.string().min(1),
  clientSecrets: z.union([list, z.array(z.string().min(1))]).pipe(z.array(z.string()).min(1)),
  /** With KEY_VAULT_URL: the Key Vault secret whose enabled versions are this client's secrets. */
  clientSecretName: keyVaultSecretName.optional(),
  fhirOrigins: z.array(httpUrl).min(1),
});
const partnersJson = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {tokenEndpoint, clientId, clientSecrets, fhirOrigins}' });
      return z.NEVER;
    }
  })
  .pipe(z.array(partner).min(1));
const schema = z.object({
  APP_MODE: z.enum(['dev', 'production']).default('dev'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  /** Production only; dev mode always binds to loopback. */
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Where team data lives: SQLite (default in dev) or the team's SharePoint site (default in production). */
  STORE: z.enum(['sqlite', 'graph']).optional(),
  STATIC_DIR: z.string().min(1).default('./dist/client'),
  SANDBOX_FHIR_DATA: z.string().min(1).optional(),
  SANDBOX_PATIENTS: z.coerce.number().int().min(1).max(5000).default(200),
  EHR_CLIENT_ID: z.string().min(1).optional(),
  /** Comma-separated: more than one during secret rotation. */
  EHR_CLIENT_SECRETS: list.optional(),
  /** The partner's token endpoint for EHR_CLIENT_ID: the only place its secrets are sent (exact URL, or an origin for any URL on it). */
  EHR_TOKEN_ENDPOINT: httpUrl.optional(),
  /** Comma-separated origins of that partner's FHIR endpoints. */
  EHR_FHIR_ORIGINS: list.pipe(z.array(httpUrl)).optional(),
  /** More partners, each with its own client: a JSON array of {tokenEndpoint, clientId, clientSecrets, fhirOrigins}. */
  EHR_PARTNERS: partnersJson.optional(),
  EHR_MRN_SYSTEM: z.string().url().optional(),
  EHR_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** Rate limits per minute (per user; searches and EHR connection checks have their own; per tenant), and failed sign-ins per address per 5 minutes. */
  RATE_LIMIT_USER_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_SEARCH_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  RATE_LIMIT_CONNECTION_CHECK_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_TENANT_PER_MINUTE: z.coerce.number().int().min(1).default(3000),
  RATE_LIMIT_FAILED_AUTH: z.coerce.number().int().min(1).default(30),
  /** Proxies in front of the app whose X-Forwarded-For is believed; default 1 in production (App Service's front end), 0 in dev. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).optional(),
  /** Comma-separated origins an owner may link to although they are http or private (an on-premises EHR). */
  EHR_LINK_ALLOW_LIST: list.pipe(z.array(z.string().url())).optional(),
  /** The app's Entra (Azure AD) registration, as the Agents Toolkit names it. */
  AAD_APP_CLIENT_ID: z.string().uuid().optional(),
  SECRET_AAD_APP_CLIENT_SECRET: z.string().min(1).optional(),
  /** The tab's host name: the SSO token's audience is `api://{TAB_DOMAIN}/{client id}`. */
  TAB_DOMAIN: z.string().min(1).optional(),
  /**
   * Who signs the SSO tokens the API accepts: Azure AD (always in production) or the dev
   * identity provider (dev mode only). Dev mode with `azure-ad` keeps the dev directory, sandbox
   * and SQLite, so the tokens' tenants and users must be the dev directory's.
   */
  SSO: z.enum(['dev', 'azure-ad']).optional(),
  /** Comma-separated tenant ids allowed to use the app; empty allows any. */
  AAD_ALLOWED_TENANTS: list.pipe(z.array(z.string().regex(guidPattern, 'must be tenant ids (GUIDs), comma-separated'))).optional(),
  AAD_AUTHORITY: z.string().url().default('https://login.microsoftonline.com'),
  AAD_JWKS_URL: z.string().url().optional(),
  GRAPH_BASE_URL: z.string().url().default('https://graph.microsoft.com'),
  /** Key Vault the EHR client secrets are read from at run time (rotation without a restart), with the app's managed identity. */
  KEY_VAULT_URL: z.string().url().startsWith('https://', 'must be an https address').optional(),
  /** The Key Vault secret holding EHR_CLIENT_ID's secrets (one enabled version each during rotation). */
  EHR_CLIENT_SECRET_NAME: keyVaultSecretName.default('ehr-client-secret'),
  /** How often the EHR secrets are read from Key Vault (and at once when the partner refuses them). */
  KEY_VAULT_REFRESH_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** How long requests in flight may take to finish after SIGTERM; App Service kills the process 30 s after it. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(20_000),
  /** Application Insights: when set, traces go there through Azure Monitor OpenTelemetry (server/platform/telemetry.ts). */
  APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().min(1).optional(),
  /**
   * Where the audit trail goes: SQLite (embedded, one instance) or Azure Table Storage, shared by
   * every instance, at AUDIT_TABLE_ENDPOINT with the app's managed identity (or, for azurite and
   * development, AUDIT_TABLE_CONNECTION_STRING), in the table AUDIT_TABLE_NAME.
   */
  AUDIT_STORE: z.enum(['sqlite', 'azure-table']).default('sqlite'),
  AUDIT_TABLE_ENDPOINT: httpUrl.optional(),
  AUDIT_TABLE_CONNECTION_STRING: z.string().min(1).optional(),
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
export type Config = Omit<Parsed, 'STORE' | 'SSO'> & {
  STORE: 'sqlite' | 'graph';
  SSO: 'dev' | 'azure-ad';
  dataDir: string;
  staticDir: string;
  host: string;
  /** The configured interop partners (EHR_TOKEN_ENDPOINT's and EHR_PARTNERS'); dev mode adds its sandbox at start. */
  ehrPartners: EhrPartner[];
};

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
  ],
};
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
    ...(c.EHR_PARTNERS ?? []).map((p, i): [string, string[]] => [`EHR_PARTNERS.${i}`, [p.tokenEndpoint, ...p.fhirOrigins]]),
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
  return problems;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(given);
  // App Service hands an unresolved Key Vault reference over as its own text: never use it as a value.
  const unresolved = Object.keys(schema.shape).filter((key) => env[key]?.trimStart().startsWith('@Microsoft.KeyVault('));
  const vaultProblems = unresolved.map(
    (key) => `  ${key}: App Service could not resolve its Key Vault reference (does the secret exist, and may the app's identity read it?)`,
  );
  const missing = (mode: 'dev' | 'production', partners: boolean) =>
    required[mode]
      .filter((key) => given[key] === undefined && !(partners && singlePartner.has(key)))
      .map((key) => `  ${key}: required in ${mode} mode`);
  if (!parsed.success) {
    // Every problem at once, so one restart fixes them all: the values refused, the settings
    // missing, and the Key Vault references App Service could not resolve.
    const lines = parsed.error.issues.filter((i) => !unresolved.includes(String(i.path[0]))).map((i) => `  ${i.path.join('.')}: ${i.message}`);
    const mode = given.APP_MODE === 'production' ? 'production' : 'dev';
    throw new ConfigError(`Invalid configuration:\n${[...lines, ...missing(mode, given.EHR_PARTNERS !== undefined), ...vaultProblems].join('\n')}`);
  }
  const c = parsed.data;
  const problems = [...missing(c.APP_MODE, c.EHR_PARTNERS !== undefined), ...vaultProblems];
  if (Boolean(c.EHR_CLIENT_ID) !== Boolean(c.EHR_CLIENT_SECRETS?.length))
    problems.push('  EHR_CLIENT_ID and EHR_CLIENT_SECRETS must be set together');
  if (Boolean(c.EHR_TOKEN_ENDPOINT) !== Boolean(c.EHR_FHIR_ORIGINS?.length))
    problems.push('  EHR_TOKEN_ENDPOINT and EHR_FHIR_ORIGINS must be set together');
  if (c.EHR_TOKEN_ENDPOINT && !c.EHR_CLIENT_ID)
    problems.push('  EHR_TOKEN_ENDPOINT: needs EHR_CLIENT_ID and EHR_CLIENT_SECRETS, the client it belongs to');
  if (c.STORE === 'graph' && c.APP_MODE === 'dev') {
    problems.push('  STORE: graph needs production mode (APP_MODE=production): Graph is reached on behalf of Teams SSO users');
  }
  if (!c.KEY_VAULT_URL && c.EHR_PARTNERS?.some((p) => p.clientSecretName))
    problems.push('  EHR_PARTNERS: clientSecretName needs KEY_VAULT_URL, the vault the secret is read from');
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
  if (c.SSO === 'dev' && c.APP_MODE === 'production') problems.push('  SSO: dev tokens are for dev mode only; production verifies Azure AD tokens');
  if (c.SSO === 'azure-ad' && c.APP_MODE === 'dev') {
    for (const key of ['AAD_APP_CLIENT_ID', 'TAB_DOMAIN'] as const) if (!c[key]) problems.push(`  ${key}: required with SSO=azure-ad`);
  }
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(p));
  const ehrPartners: EhrPartner[] = [...(c.EHR_PARTNERS ?? [])];
  if (c.EHR_TOKEN_ENDPOINT && c.EHR_FHIR_ORIGINS && c.EHR_CLIENT_ID && c.EHR_CLIENT_SECRETS) {
    ehrPartners.unshift({
      tokenEndpoint: c.EHR_TOKEN_ENDPOINT,
      clientId: c.EHR_CLIENT_ID,
      clientSecrets: c.EHR_CLIENT_SECRETS,
      fhirOrigins: c.EHR_FHIR_ORIGINS,
      ...(c.KEY_VAULT_URL ? { clientSecretName: c.EHR_CLIENT_SECRET_NAME } : {}),
    });
  }
  return {
    ...c,
    ehrPartners: ehrPartners.map((p) => ({ ...p, fhirOrigins: p.fhirOrigins.map((o) => new URL(o).origin) })),
    STORE: c.STORE ?? (c.APP_MODE === 'production' ? 'graph' : 'sqlite'),
    SSO: c.SSO ?? (c.APP_MODE === 'production' ? 'azure-ad' : 'dev'),
    dataDir: abs(c.DATA_DIR),
    staticDir: abs(c.STATIC_DIR),
    // Dev mode binds to loopback only: it has a token endpoint for any dev user.
    host: c.APP_MODE === 'dev' ? '127.0.0.1' : c.HOST,
  };
}
