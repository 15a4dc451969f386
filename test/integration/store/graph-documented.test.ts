import { afterEach, describe, expect, it } from 'vitest';
import { openGraphStore, type GraphStoreOptions } from '../../../server/storage/sharepoint/graph-store';
import { testSealKeys } from '../../helpers/production-settings';
import type { TeamStore } from '../../../server/storage/ports';
import { startGraphEmulator, type GraphEmulator, type GraphEmulatorOptions } from '../../helpers/graph-emulator';
import type { EmulatedList } from '../../helpers/graph-emulator/model';
import { valueOf } from '../../../server/features/shared/outcomes';

/**
 * The Graph store against SharePoint as Microsoft documents it rather than as a lenient stand-in
 * would be: filters only on indexed columns, list-create not trusted to index, throttling in
 * resource units per app per tenant (429 or 503 with Retry-After), JSON batching, a new team's
 * site that is not there yet, and a list delete that fails.
 */
const tenant = '3f6d1c2a-8b4e-4f7a-9c1d-2e5b7a9c0d11';
const team = { tenantId: tenant, teamId: 'aa11bb22-cc33-4d44-8e55-ff6677889900' };

let graph: GraphEmulator;
const stores: TeamStore[] = [];

const start = async (options: GraphEmulatorOptions = {}) => {
  graph = await startGraphEmulator({ pageSize: 50, ...options });
  graph.addGroup(tenant, team.teamId, 'Ward 7');
};

const open = (options: Partial<GraphStoreOptions> = {}) => {
  const store = openGraphStore({ baseUrl: graph.url, sealKeys: testSealKeys, getAccessToken: async (t) => graph.tokenFor(t), ...options });
  stores.push(store);
  return store;
};

const listNamed = (displayName: string): EmulatedList => {
  const list = [...graph.state.siteOfGroup(tenant, team.teamId)!.lists.values()].find((l) => l.displayName === displayName);
  if (!list) throw new Error(`no list ${displayName}`);
  return list;
};

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await graph?.close();
});

describe('indexed columns', () => {
  it('indexes the filtered columns itself when list-create did not, so that filters work', async () => {
    await start(); // list-create ignores `indexed: true`, as Graph does not document otherwise
    const store = open();
    const list = valueOf(await store.createList(team, 'Rounds', 'u1'));
    expect(listNamed('Patients – Rounds').columns.find((c) => c.name === 'PatientId')?.indexed).toBe(true);
    expect(listNamed('Patients app – lists').columns.find((c) => c.name === 'ListId')?.indexed).toBe(true);
    // The filters the store makes are accepted: the emulator refuses any on an unindexed column (400).
    await store.addPatients(team, list.id, ['p1', 'p2'], 'u1');
    expect(await store.removePatient(team, list.id, 'p1')).toEqual({ ok: true, value: undefined });
    expect(graph.requests.filter((r) => r.status === 400)).toEqual([]);
    expect(graph.requests.filter((r) => r.method === 'PATCH' && /\/columns\/[^/]+$/.test(r.path)).length).toBeGreaterThanOrEqual(2);
  });

  it('indexes a column found unindexed in a list it opens, once per list', async () => {
    await start({ honourIndexedOnCreate: true });
    const list = valueOf(await open().createList(team, 'Rounds', 'u1'));
    // Someone removed the index in SharePoint (or an earlier version never had one).
    listNamed('Patients – Rounds').columns.find((c) => c.name === 'PatientId')!.indexed = false;
    listNamed('Patients app – lists').columns.find((c) => c.name === 'ListId')!.indexed = false;
    const fresh = open();
    graph.requests.length = 0;
    expect(await fresh.addPatients(team, list.id, ['p1'], 'u1')).toMatchObject({ ok: true, value: { patientIds: ['p1'] } });
    expect(await fresh.removePatient(team, list.id, 'p1')).toEqual({ ok: true, value: undefined });
    expect(listNamed('Patients – Rounds').columns.find((c) => c.name === 'PatientId')?.indexed).toBe(true);
    expect(listNamed('Patients app – lists').columns.find((c) => c.name === 'ListId')?.indexed).toBe(true);
    expect(graph.requests.filter((r) => r.status === 400)).toEqual([]);
    // The patient list's columns were read once for the two calls, not on every one.
    expect(graph.requests.filter((r) => r.method === 'GET' && r.path.includes(`/lists/${list.id}/columns`))).toHaveLength(1);
  });

  it('the stand-in refuses a filter on an unindexed column, and the Prefer fallback past 5,000 items', async () => {
    await start();
    const list = valueOf(await open().createList(team, 'Big', 'u1'));
    const rows = listNamed('Patients – Big');
    rows.columns.find((c) => c.name === 'PatientId')!.indexed = false;
    const site = graph.state.siteOfGroup(tenant, team.teamId)!;
    const query = (prefer?: string) =>
      fetch(`${graph.url}/v1.0/sites/${site.id}/lists/${list.id}/items?$filter=${encodeURIComponent("fields/PatientId eq 'p1'")}`, {
        headers: { authorization: `Bearer ${graph.tokenFor(tenant)}`, ...(prefer ? { prefer } : {}) },
      });
    expect((await query()).status).toBe(400);
    expect((await query('HonorNonIndexedQueriesWarningMayFailRandomly')).status).toBe(200);
    for (let i = 0; i <= 5000; i++) graph.state.addItem(rows, { Title: `p${i}`, PatientId: `p${i}` });
    expect((await query('HonorNonIndexedQueriesWarningMayFailRandomly')).status).toBe(500);
  });

  it('stops with a clear error when a column cannot be indexed', async () => {
    await start();
    graph.failNext((method, path) => method === 'PATCH' && /\/columns\/[^/]+$/.test(path), 400, 'invalidRequest');
    const error = await open()
      .createList(team, 'Rounds', 'u1')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'graph_failed', message: expect.stringMatching(/not indexed and could not be indexed.*Indexed columns/) });
  });
});

describe('throttling and the units the store spends', () => {
  it('waits out a 503 with Retry-After as it does a 429', async () => {
    await start();
    const store = open();
    graph.throttle(1, 1, 503);
    const started = Date.now();
    expect(await store.listLists(team)).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(graph.requests.slice(0, 2).map((r) => r.status)).toEqual([503, 200]);
  });

  it('adds many patients in ordered batches of 20 and reads them back 5,000 a page', async () => {
    await start({ pageSize: 5000 });
    const store = open();
    const list = valueOf(await store.createList(team, 'Ward', 'u1'));
    const ids = Array.from({ length: 120 }, (_, i) => `p${String(i).padStart(3, '0')}`);
    graph.requests.length = 0;
    const added = await store.addPatients(team, list.id, ids, 'u1');
    expect(added).toMatchObject({ ok: true, value: { patientIds: ids } });
    const direct = graph.requests.filter((r) => !r.batched && r.method === 'POST' && r.path.includes(`/lists/${list.id}/items`));
    expect(direct).toEqual([]);
    expect(graph.requests.filter((r) => r.path === '/v1.0/$batch')).toHaveLength(6);
    // Each batched request was charged by itself, 2 units per create.
    expect(graph.requests.filter((r) => r.batched).reduce((sum, r) => sum + r.units, 0)).toBe(240);
    // The rows are in the order given (the batches chain their requests with dependsOn).
    expect([...listNamed('Patients – Ward').items.values()].map((i) => i.fields.PatientId)).toEqual(ids);
    graph.requests.length = 0;
    expect((await store.getList(team, list.id))!.patientIds).toEqual(ids);
    const reads = graph.requests.filter((r) => r.method === 'GET' && r.path.includes(`/lists/${list.id}/items`));
    expect(reads).toHaveLength(1);
    expect(decodeURIComponent(reads[0].path)).toContain('$top=5000');
  });

  it('imports Manual-mode patients in ordered batches, in file order', async () => {
    await start();
    const store = open();
    const names = Array.from({ length: 45 }, (_, i) => `Patient ${String(i).padStart(2, '0')}`);
    graph.requests.length = 0;
    const created = await store.createManualPatients(
      team,
      names.map((name) => ({ name, mrn: null, birthDate: null, gender: null, room: null, values: {} })),
      'u1',
    );
    expect(created.ok).toBe(true);
    expect(graph.requests.filter((r) => r.path === '/v1.0/$batch')).toHaveLength(3);
    expect(graph.requests.filter((r) => !r.batched && r.method === 'POST' && r.path.includes('/items'))).toEqual([]);
    expect((await store.getManualPatients(team)).map((p) => p.name)).toEqual(names);
  });

  it('retries the throttled requests of a batch after their Retry-After', async () => {
    await start({ throttling: { unitsPerWindow: 60, windowMs: 1500 } });
    const store = open();
    const list = valueOf(await store.createList(team, 'Ward', 'u1'));
    const ids = Array.from({ length: 30 }, (_, i) => `p${i}`);
    const added = await store.addPatients(team, list.id, ids, 'u1');
    expect(added).toMatchObject({ ok: true, value: { patientIds: ids } });
    expect(graph.requests.some((r) => r.batched && r.status === 429)).toBe(true);
  });

  it("keeps one busy user from getting the rest of the tenant throttled: each user has a share of the app's budget", async () => {
    // SharePoint's budget for the app in this tenant: 300 units a minute.
    await start({ throttling: { unitsPerWindow: 300, windowMs: 60_000 } });
    let who = { user: `${tenant}/busy`, request: '' };
    let request = 0;
    const as = (user: string) => (who = { user: `${tenant}/${user}`, request: `r${++request}` });
    const store = open({ currentUser: () => who, userUnitsPerMinute: 100, maxRetries: 0 });
    as('owner');
    const list = valueOf(await store.createList(team, 'Ward', 'owner'));

    // The busy user reloads the list as fast as the app answers, until the app itself refuses.
    let refused: unknown;
    for (let i = 0; i < 200 && !refused; i++) {
      as('busy');
      await store.getList(team, list.id).catch((e: unknown) => (refused = e));
    }
    expect(refused).toMatchObject({ code: 'throttled', status: 429, message: expect.stringMatching(/try again in \d+ seconds/) });
    // SharePoint never throttled the app, so a colleague in the same tenant is served.
    expect(graph.requests.filter((r) => r.status === 429)).toEqual([]);
    as('colleague');
    expect(await store.listLists(team)).toEqual([{ id: list.id, name: 'Ward', patientCount: 0 }]);
    as('colleague');
    expect(await store.addPatients(team, list.id, ['p1'], 'colleague')).toMatchObject({ ok: true });
  });
});

describe("a new team's site", () => {
  it('says the site is being set up while the group has none yet, and works once it is there', async () => {
    await start();
    const fresh = { tenantId: tenant, teamId: 'cc33dd44-ee55-4f66-8a77-889900aabbcc' };
    graph.state.addGroupBeingSetUp(tenant, fresh.teamId, 'New team');
    const store = open();
    await expect(store.listLists(fresh)).rejects.toMatchObject({
      code: 'team_site_provisioning',
      message: "The team's SharePoint site is being set up; try again shortly.",
    });
    // A team that does not exist at all is still no site.
    await expect(store.listLists({ tenantId: tenant, teamId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({
      code: 'team_site_not_found',
    });
    graph.state.finishSite(tenant, fresh.teamId);
    expect(await store.listLists(fresh)).toEqual([]);
  });
});

describe('a list SharePoint would not delete', () => {
  const catalogRowOf = (listId: string) => [...listNamed('Patients app – lists').items.values()].find((i) => i.fields.ListId === listId);
  const deleteOf = (listId: string) => (method: string, path: string) => method === 'DELETE' && path.split('?')[0].endsWith(`/lists/${listId}`);
  /** The catalog row's own delete (`…/lists/{catalog}/items/{id}`); a delete takes no patient's row off. */
  const rowDelete = (method: string, path: string) => method === 'DELETE' && /\/items\/\d+$/.test(path.split('?')[0]);
  /** Ages a delete's mark past the grace a delete under way is given. */
  const markedLongAgo = (listId: string) =>
    graph.state.updateItem(catalogRowOf(listId)!, { DeletePendingAt: new Date(Date.now() - 2 * 60_000).toISOString() });

  /** A started store with an empty list "Keep" and a list "Gone" of two patients, and the team's site. */
  async function keepAndGone() {
    await start();
    const store = open();
    const keep = valueOf(await store.createList(team, 'Keep', 'u1'));
    const gone = valueOf(await store.createList(team, 'Gone', 'u1'));
    await store.addPatients(team, gone.id, ['p1', 'p2'], 'u1');
    return { store, keep, gone, site: graph.state.siteOfGroup(tenant, team.teamId)! };
  }

  it('fails the delete, deleting nothing, and shows the list again as it was; trying again deletes it', async () => {
    await start();
    const store = open();
    const gone = valueOf(await store.createList(team, 'Gone', 'u1'));
    await store.addPatients(team, gone.id, ['p1', 'p2'], 'u1');
    const site = graph.state.siteOfGroup(tenant, team.teamId)!;
    graph.failNext(deleteOf(gone.id), 500);

    await expect(store.deleteList(team, gone.id)).rejects.toMatchObject({
      code: 'graph_failed',
      message: expect.stringMatching(/^The list was not deleted: SharePoint did not delete it .*It is still there; try again\.$/),
    });
    // Whole: its SharePoint list with the patients' rows, and shown in the app as before.
    expect(site.lists.get(gone.id)?.items.size).toBe(2);
    expect(catalogRowOf(gone.id)?.fields.DeletePendingAt).toBeNull();
    expect((await store.getList(team, gone.id))?.patientIds).toEqual(['p1', 'p2']);
    expect(await open().listLists(team)).toEqual([{ id: gone.id, name: 'Gone', patientCount: 2 }]);

    expect(await store.deleteList(team, gone.id)).toEqual({ ok: true, value: { patientIds: ['p1', 'p2'] } });
    expect(site.lists.has(gone.id)).toBe(false);
    expect(catalogRowOf(gone.id)).toBeUndefined();
  });

  it('when the list cannot be shown again either, a later catalog read shows it again, never deletes it', async () => {
    const { store, keep, gone, site } = await keepAndGone();
    graph.failNext(deleteOf(gone.id), 500);
    // Taking the mark off (the catalog row's second write, after the mark) fails too: Graph failing at that moment.
    let patches = 0;
    graph.failNext((method, path) => method === 'PATCH' && path.includes('/fields') && ++patches === 2, 500);

    await expect(store.deleteList(team, gone.id)).rejects.toMatchObject({
      code: 'graph_failed',
      message: expect.stringContaining('It is still there, and shows again in a minute or two; then try again.'),
    });
    expect(site.lists.get(gone.id)?.items.size).toBe(2);
    // A fresh mark is left to the delete that made it.
    expect(await open().listLists(team)).toEqual([{ id: keep.id, name: 'Keep', patientCount: 0 }]);
    markedLongAgo(gone.id);

    expect(await open().listLists(team)).toEqual([
      { id: keep.id, name: 'Keep', patientCount: 0 },
      { id: gone.id, name: 'Gone', patientCount: 2 },
    ]);
    expect(site.lists.get(gone.id)?.items.size).toBe(2);
    expect(await store.deleteList(team, gone.id)).toEqual({ ok: true, value: { patientIds: ['p1', 'p2'] } });
    expect(site.lists.has(gone.id)).toBe(false);
  });

  it('succeeds once the list is gone though its catalog row cannot be removed, which a later catalog read removes', async () => {
    const { store, keep, gone, site } = await keepAndGone();
    graph.failNext(rowDelete, 500);

    expect(await store.deleteList(team, gone.id)).toEqual({ ok: true, value: { patientIds: ['p1', 'p2'] } });
    expect(site.lists.has(gone.id)).toBe(false);
    expect(catalogRowOf(gone.id)?.fields.DeletePendingAt).toEqual(expect.any(String));
    expect(await store.getList(team, gone.id)).toBeNull();
    expect(await store.deleteList(team, gone.id)).toEqual({ ok: false, reason: 'no_list' });
    expect(await open().listLists(team)).toEqual([{ id: keep.id, name: 'Keep', patientCount: 0 }]);
    markedLongAgo(gone.id);

    expect(await open().listLists(team)).toEqual([{ id: keep.id, name: 'Keep', patientCount: 0 }]);
    expect([...listNamed('Patients app – lists').items.values()].map((i) => i.fields.ListId)).toEqual([keep.id]);
  });
});
