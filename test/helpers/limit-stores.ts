import { randomUUID } from 'node:crypto';
import { AUDIT_READER_ROLE } from '../../contract/audit-operations';
import { devDirectory } from '../../server/identity/dev-directory';
import { bothStores, callWith, type StoreHarness } from './both-stores';
import type { GraphEmulator } from './graph-emulator';
import { startProductionHarness } from './production-server';

/**
 * The app on both stores for tests that fill something to its limit (a roster of thousands, a
 * patient's notes): `seed` writes rows straight into the Graph emulator's team site, as the
 * store would, since filling it through the API would spend the caller's share of SharePoint's
 * budget many times over; with SQLite `seed` is left to the API. Graph serves pages of 5,000
 * items, as it does for the store's reads, so a roster of thousands is one request.
 */
export interface LimitHarness extends StoreHarness {
  /** Writes rows into an app list of the team's site on Graph; false with SQLite (the test uses the API). */
  seed(tenantId: string, teamId: string, list: 'notes' | 'manualPatients', rows: Record<string, unknown>[]): boolean;
}

const listTitles = { notes: 'Patients app – notes', manualPatients: 'Patients app – manual patients' };

function seedGraph(graph: GraphEmulator, tenantId: string, teamId: string, list: keyof typeof listTitles, rows: Record<string, unknown>[]) {
  const site = graph.state.siteOfGroup(tenantId, teamId)!;
  const target = [...site.lists.values()].find((l) => l.displayName === listTitles[list]);
  if (!target) throw new Error(`the team's site has no list ${listTitles[list]} yet: write one row through the API first`);
  for (const row of rows) graph.state.addItem(target, row);
}

/** A Manual-mode patient's row as the store writes it. */
export const patientRow = (name: string) => ({
  Title: name,
  PatientId: randomUUID(),
  Values: '{}',
  Version: 1,
  CreatedBy: 'seed',
  CreatedAt: new Date().toISOString(),
});

/** A note's row as the store writes it. */
export const noteRow = (patientId: string, text: string) => ({
  Title: patientId,
  NoteId: randomUUID(),
  PatientId: patientId,
  AuthorId: 'seed',
  AuthorName: 'Seed',
  NoteText: text,
  Version: 1,
  CreatedAt: new Date().toISOString(),
});

export const limitStores: [string, () => Promise<LimitHarness>][] = [
  [bothStores[0][0], async () => ({ ...(await bothStores[0][1]()), seed: () => false })],
  [
    'Graph store, production mode',
    async () => {
      const harness = await startProductionHarness(devDirectory, { graphPageSize: 5000 });
      const tokens = new Map<string, Promise<string>>();
      const tokenFor = (userId: string) => {
        const roles = devDirectory.auditReaders?.includes(userId) ? { roles: [AUDIT_READER_ROLE] } : {};
        if (!tokens.has(userId)) tokens.set(userId, harness.tokenFor(userId, 'v2', roles));
        return tokens.get(userId)!;
      };
      const url = harness.server.url;
      const reader = harness.info.users.find((u) => u.name === 'Casey Lindqvist')!.id;
      return {
        info: harness.info,
        store: { kind: 'graph', graph: harness.graph },
        call: async (userId, method, path, body, headers) => callWith(url, await tokenFor(userId), method, path, body, headers),
        async open(path) {
          const res = await fetch(`${url}${path}`);
          return { status: res.status, headers: res.headers, text: await res.text(), requestId: res.headers.get('x-request-id') ?? '' };
        },
        trail: async () => (await callWith(url, await tokenFor(reader), 'GET', '/api/audit?limit=50000')).body.events as never,
        stop: () => harness.stop(),
        seed: (tenantId, teamId, list, rows) => (seedGraph(harness.graph, tenantId, teamId, list, rows), true),
      };
    },
  ],
];
