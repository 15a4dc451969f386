import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../../server/storage/sqlite/sqlite-store';
import { storeContract } from './store-contract';

storeContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'patients-contract-'));
  const store = openSqliteStore(join(dir, 'patients.sqlite'));
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
