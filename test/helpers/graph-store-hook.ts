import { afterEach, beforeEach } from 'vitest';
import { openGraphStore } from '../../server/storage/sharepoint/graph-store';
import type { TeamKey, TeamStore } from '../../server/storage/ports';
import { startGraphEmulator, type GraphEmulator, type GraphEmulatorOptions } from './graph-emulator';
import { testSealKeys } from './production-settings';

/**
 * A Graph store over a fresh Graph emulator for each test, the team's group (and its site) in it,
 * both closed after the test. What it returns stands for the current test's emulator and store,
 * so the file holds them at its top: `const { graph, store } = useGraphStore(team, 'Ward 7')`.
 */
export function useGraphStore(team: TeamKey, groupName?: string, options: GraphEmulatorOptions = {}): { graph: GraphEmulator; store: TeamStore } {
  let started: { graph: GraphEmulator; store: TeamStore } | undefined;
  beforeEach(async () => {
    const graph = await startGraphEmulator(options);
    graph.addGroup(team.tenantId, team.teamId, groupName);
    started = { graph, store: openGraphStore({ baseUrl: graph.url, sealKeys: testSealKeys, getAccessToken: async (t) => graph.tokenFor(t) }) };
  });
  afterEach(async () => {
    await started?.store.close();
    await started?.graph.close();
    started = undefined;
  });
  const current = () => {
    if (!started) throw new Error('The Graph store starts before each test: use it inside a test or hook.');
    return started;
  };
  return { graph: forwardTo(() => current().graph), store: forwardTo(() => current().store) };
}

/** An object that reads every property of what `target` gives at the time (methods bound to it). */
function forwardTo<T extends object>(target: () => T): T {
  return new Proxy({} as T, {
    get(_, key) {
      const now = target();
      const value: unknown = Reflect.get(now, key);
      return typeof value === 'function' ? value.bind(now) : value;
    },
  });
}
