import { DefaultAzureCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyVaultPartnerSecrets, type PartnerSecretSource } from '../../../server/ehr/partner-secrets';
import { startKeyVaultStandIn, type KeyVaultStandIn } from '../../helpers/key-vault-standin';

/**
 * Which secrets the app holds, read from Key Vault through the real SDK and managed identity
 * code against the stand-in: the enabled versions, newest first; what it held when the vault has
 * nothing usable or cannot be reached.
 */
let vault: KeyVaultStandIn;
const savedEnv = { IDENTITY_ENDPOINT: process.env.IDENTITY_ENDPOINT, IDENTITY_HEADER: process.env.IDENTITY_HEADER };
const sources: PartnerSecretSource[] = [];

beforeAll(async () => {
  vault = await startKeyVaultStandIn();
  Object.assign(process.env, vault.identityEnv);
});
afterAll(async () => {
  sources.forEach((s) => s.close());
  await vault?.stop();
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

function open(secretName: string, initial: string[], errors: string[] = []) {
  const source = keyVaultPartnerSecrets({
    vaultUrl: vault.url,
    secretName,
    credential: new DefaultAzureCredential(),
    initial,
    refreshMs: 3_600_000,
    clientOptions: vault.clientOptions,
    onError: (message) => errors.push(message),
  });
  sources.push(source);
  return source;
}

describe('EHR client secrets from Key Vault', () => {
  it('holds the enabled versions newest first, each version possibly comma-separated, and drops a disabled one', async () => {
    const oldest = vault.setSecret('ehr-a', 'first');
    const middle = vault.setSecret('ehr-a', 'second, third');
    vault.setSecret('ehr-a', 'fourth');
    const source = open('ehr-a', ['from-the-setting']);
    expect(source.current()).toEqual(['from-the-setting']);
    await source.refresh();
    expect(source.current()).toEqual(['fourth', 'second', 'third', 'first']);
    vault.disableVersion('ehr-a', middle);
    vault.disableVersion('ehr-a', oldest);
    await source.refresh();
    expect(source.current()).toEqual(['fourth']);
  });

  it('keeps what it holds when every version is disabled or the vault cannot be reached, and says why without a secret', async () => {
    const only = vault.setSecret('ehr-b', 'kept-secret');
    const errors: string[] = [];
    const source = open('ehr-b', ['from-the-setting'], errors);
    await source.refresh();
    expect(source.current()).toEqual(['kept-secret']);

    vault.disableVersion('ehr-b', only);
    await source.refresh();
    expect(source.current()).toEqual(['kept-secret']);
    expect(errors.at(-1)).toMatch(/ehr-b has no enabled version/);

    const missing = open('ehr-missing', ['from-the-setting'], errors);
    await missing.refresh();
    expect(missing.current()).toEqual(['from-the-setting']);
    expect(errors.at(-1)).toMatch(/Reading Key Vault secret ehr-missing failed/);
    expect(errors.join('\n')).not.toMatch(/kept-secret|from-the-setting/);
  });

  it('reads the vault anew for a caller that arrives while a read is in flight', async () => {
    vault.setSecret('ehr-c', 'before');
    const listed = vault.calls.list;
    const source = open('ehr-c', []); // starts its first read
    // That read has listed the versions and is now fetching 'before': a rotation lands meanwhile.
    while (vault.calls.list === listed) await new Promise((resolve) => setImmediate(resolve));
    vault.setSecret('ehr-c', 'after');
    await source.refresh();
    expect(source.current()[0]).toBe('after');
  });
});
