import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config';
import { configProblems, productionSettings } from '../../helpers/production-settings';

const { STORE_SEAL_KEYS: _key, ...withoutKey } = productionSettings;
const key = (fill: number, bytes = 32) => Buffer.alloc(bytes, fill).toString('base64');

describe("the Graph store's seal key", () => {
  it('is required in production with the Graph store, named with what it is for, also among the other missing settings', () => {
    const problems = configProblems(withoutKey);
    expect(problems).toMatch(/^ {2}STORE_SEAL_KEYS: required in production mode with the Graph store \(base64 of at least 32 random bytes/m);
    expect(problems).toContain('or KEY_VAULT_URL, to read it from the Key Vault secret STORE_SEAL_KEY_NAME');
    expect(configProblems({ ...withoutKey, STORE: 'graph' })).toContain('STORE_SEAL_KEYS: required');
    const all = configProblems({ APP_MODE: 'production' });
    expect(all).toContain('AAD_APP_CLIENT_ID: required in production mode');
    expect(all).toContain('STORE_SEAL_KEYS: required in production mode with the Graph store');
  });

  it('is not needed by SQLite, a file only the server reads, nor in dev mode', () => {
    expect(configProblems({ ...withoutKey, STORE: 'sqlite' })).toBe('started');
    expect(configProblems({})).toBe('started');
  });

  it('refuses a key that is not base64 of at least 32 bytes, by its place, never echoing it', () => {
    const short = key(5, 16);
    const problems = configProblems({ ...withoutKey, STORE_SEAL_KEYS: `${key(1)},${short},not a key!` });
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
    expect(configProblems({ ...withoutKey, KEY_VAULT_URL: 'https://kvpatients.vault.azure.net/', STORE_SEAL_KEY_NAME: 'seal_key!' })).toMatch(
      /STORE_SEAL_KEY_NAME: must be a Key Vault secret name/,
    );
    // A Key Vault reference App Service could not resolve is named, as every setting's is.
    const unresolved = '@Microsoft.KeyVault(SecretUri=https://kvpatients.vault.azure.net/secrets/store-seal-key)';
    expect(configProblems({ ...productionSettings, KEY_VAULT_URL: 'https://kvpatients.vault.azure.net/', STORE_SEAL_KEYS: unresolved })).toMatch(
      /STORE_SEAL_KEYS: App Service could not resolve its Key Vault reference/,
    );
  });
});
