import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ManualPatientData } from '../../../contract/manual';
import type { TeamStore } from '../../../server/storage/ports';
import { openGraphStore } from '../../../server/storage/sharepoint/graph-store';
import { openSqliteStore } from '../../../server/storage/sqlite/sqlite-store';
import { startGraphEmulator, type GraphEmulator } from '../../helpers/graph-emulator';

// An import's patients are created in one change of either store: all of them, in file order, or none.
const team = { tenantId: '2b3c4d5e-6f70-4a81-9b2c-3d4e5f607182', teamId: 'ee55ff66-0077-4b88-9c99-aabbccddeeff' };
const data = (name: string, mrn: string | null = null): ManualPatientData => ({ name, mrn, birthDate: null, gender: null, room: null, values: {} });
const batch = ['Ada', 'Bob', 'Cy', 'Di'].map((n, i) => data(n, `M-${i}`));

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('SQLite store: an import', () => {
  const open = () => {
    const dir = mkdtempSync(join(tmpdir(), 'patients-import-'));
    const store = openSqliteStore(join(dir, 'patients.sqlite'));
    cleanups.push(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return store;
  };

  it('creates every patient in file order, each with its audit record', async () => {
    const store = open();
    await store.createManualPatient(team, data('Before'), 'u1');
    const audited: string[][] = [];
    const { value } = await store.createManualPatients(team, batch, 'u1', (created) => {
      audited.push(created.map((p) => p.name));
      return [];
    });
    expect(value.map((p) => ({ name: p.name, version: p.version }))).toEqual(batch.map((b) => ({ name: b.name, version: 1 })));
    expect(audited).toEqual([['Ada', 'Bob', 'Cy', 'Di']]);
    expect((await store.getManualPatients(team)).map((p) => p.name)).toEqual(['Before', 'Ada', 'Bob', 'Cy', 'Di']);
  });

  it('creates none when the change fails (its audit records cannot be made): one transaction', async () => {
    const store = open();
    await expect(
      store.createManualPatients(team, batch, 'u1', () => {
        throw new Error('the audit trail is full');
      }),
    ).rejects.toThrow('the audit trail is full');
    expect(await store.getManualPatients(team)).toEqual([]);
  });
});

describe('SharePoint store: an import', () => {
  const open = async (): Promise<{ graph: GraphEmulator; store: TeamStore }> => {
    const graph = await startGraphEmulator();
    graph.addGroup(team.tenantId, team.teamId);
    const store = openGraphStore({ baseUrl: graph.url, getAccessToken: async (t) => graph.tokenFor(t) });
    cleanups.push(async () => {
      await store.close();
      await graph.close();
    });
    return { graph, store };
  };
  const rows = (graph: GraphEmulator) => {
    const site = graph.state.siteOfGroup(team.tenantId, team.teamId)!;
    const list = [...site.lists.values()].find((l) => l.displayName === 'Patients app – manual patients');
    return list ? [...list.items.values()].map((i) => i.fields.Title) : [];
  };

  it('writes a row per patient, in file order, readable in SharePoint', async () => {
    const { graph, store } = await open();
    const { value } = await store.createManualPatients(team, batch, 'u1');
    expect(value.map((p) => p.name)).toEqual(['Ada', 'Bob', 'Cy', 'Di']);
    expect(rows(graph)).toEqual(['Ada', 'Bob', 'Cy', 'Di']);
    expect((await store.getManualPatients(team)).map((p) => [p.id, p.mrn])).toEqual(value.map((p) => [p.id, p.mrn]));
  });

  it('deletes the rows it wrote when a later one fails, and reports the failure: nothing is half imported', async () => {
    const { graph, store } = await open();
    await store.createManualPatient(team, data('Before'), 'u1');
    let posts = 0;
    graph.beforeNext(
      (method, path) => method === 'POST' && /\/items$/.test(path.split('?')[0]) && ++posts === 3,
      () => {
        throw new Error('SharePoint went away');
      },
    );
    await expect(store.createManualPatients(team, batch, 'u1')).rejects.toThrow();
    expect(rows(graph)).toEqual(['Before']);
    expect((await store.getManualPatients(team)).map((p) => p.name)).toEqual(['Before']);
  });
});
