import { DefaultAzureCredential } from '@azure/identity';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { valueOf } from '../../../server/features/shared/outcomes';
import { openSealKeys } from '../../../server/seal-keys';
import { openGraphStore } from '../../../server/storage/sharepoint/graph-store';
import { startGraphEmulator, type GraphEmulator } from '../../helpers/graph-emulator';
import { startKeyVaultStandIn, type KeyVaultStandIn } from '../../helpers/key-vault-standin';

/**
 * The Graph store's seal keys from Key Vault (KEY_VAULT_URL, STORE_SEAL_KEY_NAME), read through the
 * real SDK and managed identity code against the stand-in: the enabled versions, newest sealing,
 * so a new key needs no restart and what older keys sealed stays verified.
 */
let vault: KeyVaultStandIn;
let graph: GraphEmulator;
const savedEnv = { IDENTITY_ENDPOINT: process.env.IDENTITY_ENDPOINT, IDENTITY_HEADER: process.env.IDENTITY_HEADER };
const team = { tenantId: '5d2e3f40-6a7b-4c8d-9e0f-1a2b3c4d5e66', teamId: 'dd44ee55-ff66-4a77-8b88-99aabbccdd00' };
const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');

beforeAll(async () => {
  vault = await startKeyVaultStandIn();
  graph = await startGraphEmulator();
  graph.addGroup(team.tenantId, team.teamId);
  Object.assign(process.env, vault.identityEnv);
});
afterAll(async () => {
  await vault?.stop();
  await graph?.close();
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

it('seals with the newest enabled version, accepts the older ones, and skips a value that is not a key', async () => {
  vault.setSecret('store-seal-key', key(1));
  const keys = openSealKeys(
    { KEY_VAULT_URL: vault.url, STORE_SEAL_KEY_NAME: 'store-seal-key', STORE_SEAL_KEYS: undefined, KEY_VAULT_REFRESH_SECONDS: 3600 },
    { credential: new DefaultAzureCredential(), clientOptions: vault.clientOptions },
  );
  const store = openGraphStore({ baseUrl: graph.url, sealKeys: keys, getAccessToken: async (t) => graph.tokenFor(t) });
  // The first request waits for the vault's first answer.
  const old = valueOf(await store.addNote(team, 'pat-1', { id: 'u1', name: 'Dr Avery' }, 'Sealed with the first key'));
  expect(keys.current()).toEqual([key(1)]);

  vault.setSecret('store-seal-key', 'too short');
  vault.setSecret('store-seal-key', key(2));
  await keys.refresh!();
  expect(keys.current()).toEqual([key(2), key(1)]);
  const fresh = valueOf(await store.addNote(team, 'pat-1', { id: 'u2', name: 'Dr Blake' }, 'Sealed with the second key'));
  expect(await store.listNotes(team, 'pat-1')).toEqual([old, fresh]);
  keys.close();
  await store.close();
});
