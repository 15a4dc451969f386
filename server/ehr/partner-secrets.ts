import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';
import { logger } from '../platform/logger.js';
import type { EhrPartner } from './partners.js';

/**
 * A partner's client secrets, read from Azure Key Vault at run time. App Service resolves Key
 * Vault references in app settings only on restart (and about once a day), so a rotated EHR secret
 * would wait for a restart; this reads the secret's enabled versions itself, newest first, on a
 * short interval and at once when the partner refuses every secret the app holds (invalid_client).
 */
export interface PartnerSecretSource {
  /** The secrets to try, newest first; the last good read (or the initial secrets) while the vault is unreachable. */
  current(): string[];
  /** Reads the vault now; concurrent callers share one read. Never throws: a failed read keeps the secrets held. */
  refresh(): Promise<void>;
  /** Stops the interval. */
  close(): void;
}

export interface KeyVaultSecretsOptions {
  /** `https://{vault}.vault.azure.net` */
  vaultUrl: string;
  /** The Key Vault secret whose enabled versions are the client's secrets during a rotation. */
  secretName: string;
  credential: TokenCredential;
  /** Held until the first read succeeds (the app setting, e.g. a Key Vault reference resolved at start). */
  initial: readonly string[];
  refreshMs: number;
  /** At most this many enabled versions are used (newest first); older ones are left out. */
  maxVersions?: number;
  clientOptions?: SecretClientOptions;
  /** Told why a read failed: never a secret value, the SDK's error text has none. */
  onError?: (message: string) => void;
  now?: () => number;
}

export function keyVaultPartnerSecrets(options: KeyVaultSecretsOptions): PartnerSecretSource {
  const client = new SecretClient(options.vaultUrl, options.credential, options.clientOptions);
  const now = options.now ?? Date.now;
  const maxVersions = options.maxVersions ?? 5;
  let secrets = [...options.initial];
  let reading: Promise<void> | undefined;
  /** A read that starts when the one in flight ends: a caller must see the vault as it is after its call. */
  let next: Promise<void> | undefined;

  async function read(): Promise<string[]> {
    const at = new Date(now());
    const usable = [];
    for await (const version of client.listPropertiesOfSecretVersions(options.secretName)) {
      if (!version.enabled || !version.version) continue;
      if (version.notBefore && version.notBefore > at) continue;
      if (version.expiresOn && version.expiresOn <= at) continue;
      usable.push(version);
    }
    usable.sort((a, b) => (b.createdOn?.getTime() ?? 0) - (a.createdOn?.getTime() ?? 0));
    const values = await Promise.all(
      usable.slice(0, maxVersions).map(async (v) => (await client.getSecret(options.secretName, { version: v.version })).value),
    );
    // A version may hold several secrets, comma-separated as in EHR_CLIENT_SECRETS (a provision writes the setting's value).
    const split = values.flatMap((v) => (v ?? '').split(',').map((s) => s.trim()));
    return [...new Set(split.filter((s) => s !== ''))];
  }

  function startRead(): Promise<void> {
    reading ??= read()
      .then((values) => {
        // An empty answer (every version disabled) would lock the app out: keep what works until a version is enabled.
        if (values.length > 0) secrets = values;
        else options.onError?.(`Key Vault secret ${options.secretName} has no enabled version; the app keeps its current secrets.`);
      })
      .catch((err: unknown) => {
        const reason = err instanceof Error ? err.message : String(err);
        options.onError?.(`Reading Key Vault secret ${options.secretName} failed: ${reason}`);
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  }

  function refresh(): Promise<void> {
    if (!reading) return startRead();
    next ??= reading.then(() => {
      next = undefined;
      return startRead();
    });
    return next;
  }

  const timer = setInterval(() => void startRead(), options.refreshMs);
  timer.unref();
  void startRead();

  return {
    current: () => secrets,
    refresh,
    close: () => clearInterval(timer),
  };
}

/** The partner with its secrets from the source: read at every token request, reloaded when all are refused. */
export function withSecretSource(partner: EhrPartner, source: PartnerSecretSource): EhrPartner {
  return {
    tokenEndpoint: partner.tokenEndpoint,
    clientId: partner.clientId,
    fhirOrigins: partner.fhirOrigins,
    clientSecretName: partner.clientSecretName,
    get clientSecrets() {
      return source.current();
    },
    reloadSecrets: () => source.refresh(),
  };
}

export interface PartnerSecretsSettings {
  /** KEY_VAULT_URL; without it the partners keep the secrets of their settings. */
  vaultUrl?: string;
  refreshMs: number;
  /** Default: DefaultAzureCredential, i.e. the web app's managed identity (AZURE_CLIENT_ID names a user-assigned one). */
  credential?: TokenCredential;
  clientOptions?: SecretClientOptions;
}

/**
 * The partners, those with a Key Vault secret name (`clientSecretName`) reading their secrets from
 * the vault at run time; `close` stops the refreshes.
 */
export function openPartnerSecrets(partners: readonly EhrPartner[], settings: PartnerSecretsSettings): { partners: EhrPartner[]; close(): void } {
  const { vaultUrl } = settings;
  if (!vaultUrl || !partners.some((p) => p.clientSecretName)) return { partners: [...partners], close: () => {} };
  const credential = settings.credential ?? new DefaultAzureCredential();
  const sources: PartnerSecretSource[] = [];
  const opened = partners.map((partner) => {
    if (!partner.clientSecretName) return partner;
    const source = keyVaultPartnerSecrets({
      vaultUrl,
      secretName: partner.clientSecretName,
      credential,
      initial: partner.clientSecrets,
      refreshMs: settings.refreshMs,
      clientOptions: settings.clientOptions,
      onError: (message) => logger.warn({ secretName: partner.clientSecretName }, message),
    });
    sources.push(source);
    return withSecretSource(partner, source);
  });
  return { partners: opened, close: () => sources.forEach((s) => s.close()) };
}
