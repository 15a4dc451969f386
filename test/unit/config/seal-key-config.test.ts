import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config';
import { productionSettings } from '../../helpers/production-settings';

/** The ConfigError's message, or 'started'. */
const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return 'started';
};
const { STORE_SEAL_KEYS: _key, ...withoutKey } = productionSettings;
const key = (fill: number, bytes = 32) => Buffer.alloc(bytes, fill).toString('base64');

describe("the Graph store's seal key", () => {
  it('is required in production with the Graph store, named with what it is for, also among the other missing settings', () => {
    const problems = problemsOf(withoutKey);
    expect(problems).toMatch(/^ {2}STORE_SEAL_KEYS: required in production mode with the Graph store \(base64 of at least 32 random bytes/m);
    expect(problems).toContain('or KEY_VAULT_URL, to read it from the Key Vault secret STORE_SEAL_KEY_NAME');
    expect(problemsOf({ ...withoutKey, STORE: 'graph' })).toContain('STORE_SEAL_KEYS: required');
    const all = problemsOf({ APP_MODE: 'production' });
    expect(all).toContain('AAD_APP_CLIENT_ID: required in production mode');
    expect(all).toContain('STORE_SEAL_KEYS: required in production mode with the Graph store');
  });

  it('is not needed by SQLite, a file only the server reads, nor in dev mode', () => {
    expect(problemsOf({ ...withoutKey, STORE: 'sqlite' })).toBe('started');
    expect(problemsOf({})).toBe('started');
  });

  it('refuses a key that is not base64 of at least 32 bytes, by its place, never echoing it', () => {
    const short = key(5, 16);
    const problems = problemsOf({ ...withoutKey, STORE_SEAL_KEYS: `${key(1)},${short},not a key!` });
    expect(problems).toContain('STORE_SEAL_KEYS item 2: must be base64 of at least 32 random bytes');
    expect(problems).toContain('STORE_SEAL_KEYS item 3: must be base64 of at least 32 random bytes');
    expect(problems).not.toContain('item 1');
    expect(problems).not.toContain(short);
    expect(problems).not.toContain('not a key!');
    expect(problems).not.toContain(key(1));
  });

  it('takes several keys during a rotation, the first one sealing', () => {
    expect(loadConfig({ ...withoutKey, STORE_SEAL_KEYS: `${key(2)}, ${key(1)}` }).STORE_SEAL_KEYS).toEqual([key(2), key(1)]);
  });

  it('may come from Key Vault instead: KEY_VAULT_URL and the secret STORE_SEAL_KEY_NAME (default store-seal-key)', () => {
    const config = loadConfig({ ...withoutKey, KEY_VAULT_URL: 'https://kvpatients.vault.azure.net/' });
    expect(config.STORE_SEAL_KEY_NAME).toBe('store-seal-key');
    expect(config.STORE_SEAL_KEYS).toBeUndefined();
    expect(problemsOf({ ...withoutKey, KEY_VAULT_URL: 'https://kvpatients.vault.azure.net/', STORE_SEAL_KEY_NAME: 'seal_key!' })).toMatch(
      /STORE_SEAL_KEY_NAME: must be a Key Vault secret name/,
    );
    // A Key Vault reference App Service could not resolve is named, as every setting's is.
    const unresolved = '@Microsoft.KeyVault(SecretUri=https://kvpatients.vault.azure.net/secrets/store-seal-key)';
    expect(problemsOf({ ...productionSettings, KEY_VAULT_URL: 'https://kvpatients.vault.azure.net/', STORE_SEAL_KEYS: unresolved })).toMatch(
      /STORE_SEAL_KEYS: App Service could not resolve its Key Vault reference/,
    );
  });
});
