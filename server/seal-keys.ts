import { DefaultAzureCredential } from '@azure/identity';
import type { Config } from './config.js';
import { keyVaultPartnerSecrets, type PartnerSecretsSettings } from './ehr/partner-secrets.js';
import { logger } from './platform/logger.js';
import { sealKeyBytes, type SealKeys } from './storage/sharepoint/row-seal.js';

/** Key Vault versions kept as seal keys: a row stays verifiable as long as its key's version is enabled and among these. */
const MAX_SEAL_KEY_VERSIONS = 50;

/**
 * The Graph store's seal keys (row-seal.ts): STORE_SEAL_KEYS, first one sealing; or, with
 * KEY_VAULT_URL, the enabled versions of the Key Vault secret STORE_SEAL_KEY_NAME, newest sealing,
 * read at run time as the EHR secrets are (a new key needs no restart), and at once when a seal
 * matches none of the keys held (another instance may have read a newer one first).
 */
export function openSealKeys(
  config: Pick<Config, 'KEY_VAULT_URL' | 'STORE_SEAL_KEYS' | 'STORE_SEAL_KEY_NAME' | 'KEY_VAULT_REFRESH_SECONDS'>,
  keyVault: Pick<PartnerSecretsSettings, 'clientOptions' | 'credential'> = {},
): SealKeys & { close(): void } {
  const given = config.STORE_SEAL_KEYS ?? [];
  if (!config.KEY_VAULT_URL) return { current: () => given, close: () => {} };
  const secretName = config.STORE_SEAL_KEY_NAME;
  const source = keyVaultPartnerSecrets({
    vaultUrl: config.KEY_VAULT_URL,
    secretName,
    credential: keyVault.credential ?? new DefaultAzureCredential(),
    initial: given,
    refreshMs: config.KEY_VAULT_REFRESH_SECONDS * 1000,
    maxVersions: MAX_SEAL_KEY_VERSIONS,
    clientOptions: keyVault.clientOptions,
    onError: (message) => logger.warn({ secretName }, message),
  });
  let warned = false;
  return {
    current() {
      const keys = source.current();
      const usable = keys.filter((k) => sealKeyBytes(k) !== null);
      if (usable.length < keys.length && !warned) {
        warned = true;
        // Never the value: only that a version is not a key.
        logger.warn(
          { secretName },
          `Key Vault secret ${secretName} holds a value that is not base64 of at least 32 bytes; it is not used as a seal key`,
        );
      }
      return usable;
    },
    refresh: () => source.refresh(),
    close: () => source.close(),
  };
}
