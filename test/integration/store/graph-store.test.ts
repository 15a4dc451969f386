import { openGraphStore } from '../../../server/storage/sharepoint/graph-store';
import { testSealKeys } from '../../helpers/production-settings';
import { startGraphEmulator } from '../../helpers/graph-emulator';
import { storeContract } from './store-contract';

// The same contract as SQLite, against the Graph store talking HTTP to the local Graph emulator.
storeContract('Graph', async () => {
  const graph = await startGraphEmulator({ groupsOnDemand: true });
  const tokens = new Map<string, string>();
  const store = openGraphStore({
    baseUrl: graph.url,
    sealKeys: testSealKeys,
    getAccessToken: async (tenantId) => {
      if (!tokens.has(tenantId)) tokens.set(tenantId, graph.tokenFor(tenantId));
      return tokens.get(tenantId)!;
    },
  });
  return {
    store,
    dispose: async () => {
      await store.close();
      await graph.close();
    },
  };
});
