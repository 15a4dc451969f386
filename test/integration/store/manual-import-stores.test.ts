import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ManualPatientData } from '../../../contract/manual';
import type { TeamStore } from '../../../server/storage/ports';
import { openGraphStore } from '../../../server/storage/sharepoint/graph-store';
import { testSealKeys } from '../../helpers/production-settings';
import { openSqliteStore } from '../../../server/storage/sqlite/sqlite-store';
import { startGraphEmulator, type GraphEmulator } from '../../helpers/graph-emulator';

// An import's patients are created in one change of either store: all of them, in file order, or none.
const team = { tenantId: '2b3c4d5e-6f70-4a81-9b2c-3d4e5f607182', teamId: 'ee55ff66-0077-4b88-9c99-aabbccddeeff' };
const data = (name: string, mrn: string | null = null): ManualPatientData => ({ name, mrn, birthDate: null, gender: null, room: null, values: {} });
const batch = ['Ada', 'Bob', 'Cy', 'Di'].map((n, i) => data(n, `M-${i}`));

/** The patients of an import that happened (a refusal fails the test here). */
const created = <T>(outcome: { ok: true; value: T } | { ok: false; reason: string }): T => {
  if (!outcome.ok) throw new Error(`the import was refused: ${outcome.reason}`);
  return outcome.value;
};
/** The batch again, its MRNs as another file might write them. */
const again = batch.map((p) => ({ ...p, mrn: ` ${p.mrn!.toLowerCase()} ` }));

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
    const value = created(
      await store.createManualPatients(team, batch, 'u1', (patients) => {
        audited.push(patients.map((p) => p.name));
        return [];
      }),
    );
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

  it('adds the same rows imported twice at once only once: the MRNs are checked in the transaction', async () => {
    const store = open();
    const audited: string[][] = [];
    const audit = (patients: { name: string }[]) => (audited.push(patients.map((p) => p.name)), []);
    const [first, second] = await Promise.all([
      store.createManualPatients(team, batch, 'u1', audit),
      store.createManualPatients(team, again, 'u2', audit),
    ]);
    expect([first.ok, second.ok]).toEqual([true, false]);
    expect(second).toEqual({ ok: false, reason: 'mrn_taken' });
    expect((await store.getManualPatients(team)).map((p) => p.mrn)).toEqual(['M-0', 'M-1', 'M-2', 'M-3']);
    expect(audited).toEqual([['Ada', 'Bob', 'Cy', 'Di']]);
  });

  it('refuses, creating none, a batch one of whose MRNs a discharged patient holds', async () => {
    const store = open();
    const gone = created(await store.createManualPatients(team, [data('Old', 'M-3')], 'u1'))[0];
    await store.dischargeManualPatient(team, gone.id, { at: new Date().toISOString(), byId: 'u1', byName: 'Avery' }, 1);
    expect(await store.createManualPatients(team, batch, 'u1')).toEqual({ ok: false, reason: 'mrn_taken' });
    expect(await store.getManualPatients(team)).toEqual([]);
  });
});

describe('SharePoint store: an import', () => {
  const open = async (): Promise<{ graph: GraphEmulator; store: TeamStore }> => {
    const graph = await startGraphEmulator();
    graph.addGroup(team.tenantId, team.teamId);
    const store = openGraphStore({ baseUrl: graph.url, sealKeys: testSealKeys, getAccessToken: async (t) => graph.tokenFor(t) });
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
    const value = created(await store.createManualPatients(team, batch, 'u1'));
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

  it('keeps no MRN twice when the same rows are imported twice at once: the later writer deletes its rows again', async () => {
    const { graph, store } = await open();
    const outcomes = await Promise.all([store.createManualPatients(team, batch, 'u1'), store.createManualPatients(team, again, 'u2')]);
    // At most one stays (both may back out when their rows interleave), and nothing is half imported.
    expect(outcomes.filter((o) => o.ok).length).toBeLessThanOrEqual(1);
    for (const o of outcomes) if (!o.ok) expect(o.reason).toBe('mrn_taken');
    const names = rows(graph);
    expect(names).toEqual(outcomes.some((o) => o.ok) ? ['Ada', 'Bob', 'Cy', 'Di'] : []);
    // A second import of the same rows later is refused before anything is written.
    expect(await store.createManualPatients(team, again, 'u2')).toEqual(
      names.length ? { ok: false, reason: 'mrn_taken' } : expect.objectContaining({ ok: true }),
    );
  });

  it('deletes its rows again when another import wrote one of its MRNs while it was writing', async () => {
    const { graph, store } = await open();
    let posts = 0;
    // Just before our second row, a colleague's import writes a row with our last MRN.
    graph.beforeNext(
      (method, path) => method === 'POST' && /\/items$/.test(path.split('?')[0]) && ++posts === 2,
      () => {
        const site = graph.state.siteOfGroup(team.tenantId, team.teamId)!;
        const list = [...site.lists.values()].find((l) => l.displayName === 'Patients app – manual patients')!;
        graph.state.addItem(list, { Title: 'Other Di', Mrn: 'm-3', PatientId: 'other-di', Version: 1, Values: '{}' });
      },
    );
    expect(await store.createManualPatients(team, batch, 'u1')).toEqual({ ok: false, reason: 'mrn_taken' });
    expect(rows(graph)).toEqual(['Other Di']);
  });
});
