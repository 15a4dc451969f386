import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GraphAccessError } from '../../../server/platform/graph/graph-errors';
import { openGraphStore, type GraphStoreOptions } from '../../../server/storage/sharepoint/graph-store';
import { testSealKeys } from '../../helpers/production-settings';
import type { ListColumn } from '../../../contract/columns';
import type { TeamStore } from '../../../server/storage/ports';
import { startGraphEmulator, type GraphEmulator } from '../../helpers/graph-emulator';
import type { EmulatedList } from '../../helpers/graph-emulator/model';
import { valueOf } from '../../../server/features/shared/outcomes';
import { rowSealer, SEAL_COLUMN } from '../../../server/storage/sharepoint/row-seal';
import { rowOf, sealedFields } from '../../../server/storage/sharepoint/sealed-lists';

const tenant = '3f6d1c2a-8b4e-4f7a-9c1d-2e5b7a9c0d11';
const otherTenant = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c22';
const team = { tenantId: tenant, teamId: 'aa11bb22-cc33-4d44-8e55-ff6677889900' };

let graph: GraphEmulator;
let store: TeamStore;

const open = (options: Partial<GraphStoreOptions> = {}) =>
  openGraphStore({ baseUrl: graph.url, sealKeys: testSealKeys, getAccessToken: async (t) => graph.tokenFor(t), ...options });

const listNamed = (displayName: string): EmulatedList => {
  const site = graph.state.siteOfGroup(tenant, team.teamId)!;
  const list = [...site.lists.values()].find((l) => l.displayName === displayName);
  if (!list) throw new Error(`no list ${displayName}`);
  return list;
};

const catalogRow = () => [...listNamed('Patients app – lists').items.values()][0];

beforeEach(async () => {
  graph = await startGraphEmulator({ pageSize: 20 });
  graph.addGroup(tenant, team.teamId, 'Ward 7');
  store = open();
});

afterEach(async () => {
  await store.close();
  await graph.close();
});

describe('Graph store in the team site', () => {
  it('keeps its data in SharePoint lists with readable names and columns', async () => {
    expect(await store.listLists(team)).toEqual([]);
    expect(graph.state.siteOfGroup(tenant, team.teamId)!.lists.size).toBe(0); // reading creates nothing

    const list = valueOf(await store.createList(team, 'Rounds', 'user-1'));
    await store.addPatients(team, list.id, ['pat-1'], 'user-1');
    await store.setConnection(team, { mode: 'manual' }, 'owner-1');
    await store.addNote(team, 'pat-1', { id: 'user-1', name: 'Avery' }, 'Needs a chest X-ray');
    await store.setDefaultList(team, 'user-1', list.id);

    const site = graph.state.siteOfGroup(tenant, team.teamId)!;
    expect([...site.lists.values()].map((l) => l.displayName).sort()).toEqual([
      'Patients app – default lists',
      'Patients app – lists',
      'Patients app – notes',
      'Patients app – settings',
      'Patients – Rounds',
    ]);
    const rounds = listNamed('Patients – Rounds');
    expect(rounds.id).toBe(list.id);
    expect(rounds.template).toBe('genericList');
    expect(rounds.columns.find((c) => c.name === 'PatientId')).toMatchObject({ displayName: 'Patient id', indexed: true });
    expect([...rounds.items.values()][0].fields).toMatchObject({ Title: 'pat-1', PatientId: 'pat-1', AddedBy: 'user-1' });
    expect(catalogRow().fields).toMatchObject({ Title: 'Rounds', ListId: list.id, Columns: 'name,mrn,birthDate,gender', Version: 2 });
    expect([...listNamed('Patients app – notes').items.values()][0].fields).toMatchObject({
      PatientId: 'pat-1',
      AuthorName: 'Avery',
      NoteText: 'Needs a chest X-ray',
    });
  });

  it('numbers a second list of the same name and follows renames in the list title', async () => {
    const first = valueOf(await store.createList(team, 'ICU', 'u1'));
    const second = valueOf(await store.createList(team, 'ICU', 'u1'));
    expect(listNamed('Patients – ICU (2)').id).toBe(second.id);
    const renamed = await store.updateList(team, first.id, { name: 'ICU north', columns: ['name', 'location'] });
    expect(renamed).toMatchObject({ ok: true, value: { name: 'ICU north', columns: ['name', 'location'] } });
    expect(listNamed('Patients – ICU north').id).toBe(first.id);
    expect(await store.deleteList(team, second.id)).toEqual({ ok: true, value: { patientIds: [] } });
    expect(graph.state.siteOfGroup(tenant, team.teamId)!.lists.has(second.id)).toBe(false);
    expect(await store.listLists(team)).toEqual([{ id: first.id, name: 'ICU north', patientCount: 0 }]);
  });

  it('reads lists longer than a page through @odata.nextLink', async () => {
    const list = valueOf(await store.createList(team, 'Big', 'u1'));
    const ids = Array.from({ length: 47 }, (_, i) => `p${String(i).padStart(2, '0')}`);
    await store.addPatients(team, list.id, ids, 'u1');
    graph.requests.length = 0;
    expect((await store.getList(team, list.id))!.patientIds).toEqual(ids);
    const pages = graph.requests.filter((r) => r.path.includes(`/lists/${list.id}/items`));
    expect(pages).toHaveLength(3);
    expect(pages.filter((r) => r.path.includes('%24skiptoken=') || r.path.includes('$skiptoken='))).toHaveLength(2);
    expect(await store.listLists(team)).toEqual([{ id: list.id, name: 'Big', patientCount: 47 }]);
  });

  it('adds all of a bulk addition or none: rows written before a failed one are deleted again, and no record is made', async () => {
    const list = valueOf(await store.createList(team, 'Ward', 'u1'));
    valueOf(await store.addPatients(team, list.id, ['p0'], 'u1'));
    const before = (await store.getList(team, list.id))!;
    let posts = 0;
    // The second row of the addition fails inside its $batch; the first was written.
    graph.failNext((method, path) => method === 'POST' && path.split('?')[0].endsWith(`/lists/${list.id}/items`) && ++posts === 2, 500);
    const audited: unknown[] = [];
    await expect(store.addPatients(team, list.id, ['p1', 'p2', 'p3'], 'u1', (result) => (audited.push(result), []))).rejects.toThrow();
    expect(posts).toBe(2);
    expect(audited).toEqual([]);
    expect(await store.getList(team, list.id)).toEqual(before);
    expect([...listNamed('Patients – Ward').items.values()].map((i) => i.fields.PatientId)).toEqual(['p0']);
  });

  it('names in a delete the patients its list held when it went, those added meanwhile too', async () => {
    const list = valueOf(await store.createList(team, 'Ward', 'u1'));
    valueOf(await store.addPatients(team, list.id, ['p1'], 'u1'));
    // A colleague's addition lands as the delete begins (after the list was read to be deleted).
    graph.beforeNext(
      (method, path) => method === 'PATCH' && path.includes('/fields'),
      () => graph.state.addItem(listNamed('Patients – Ward'), { Title: 'p2', PatientId: 'p2', AddedBy: 'u2' }),
    );
    const outcome = await store.deleteList(team, list.id);
    expect(outcome.ok && [...outcome.value.patientIds].sort()).toEqual(['p1', 'p2']);
  });

  it('re-reads and re-applies a change when the version row moved on (412)', async () => {
    const list = valueOf(await store.createList(team, 'Rounds', 'u1'));
    // Someone else bumps the version between the store's read and its If-Match write.
    graph.beforeNext(
      (method, path) => method === 'PATCH' && path.includes('/fields'),
      () => graph.state.updateItem(catalogRow(), { Version: 5 }),
    );
    const after = await store.addPatients(team, list.id, ['p1'], 'u1');
    expect(graph.requests.filter((r) => r.status === 412)).toHaveLength(1);
    expect(after).toMatchObject({ ok: true, value: { patientIds: ['p1'], version: 6 } });
  });

  it('refuses a change made against a version that moved on meanwhile', async () => {
    const list = valueOf(await store.createList(team, 'Rounds', 'u1'));
    graph.beforeNext(
      (method, path) => method === 'PATCH' && path.includes('/fields'),
      () => graph.state.updateItem(catalogRow(), { Title: 'Renamed elsewhere', Version: 2 }),
    );
    expect(await store.updateList(team, list.id, { name: 'Mine' }, 1)).toEqual({ ok: false, reason: 'conflict' });
    expect((await store.getList(team, list.id))!).toMatchObject({ name: 'Renamed elsewhere', version: 2 });
  });

  it('keeps every add and one of two renames when two server instances write at once', async () => {
    const other = open(); // a second instance: its writes are not queued behind this one's
    const list = valueOf(await store.createList(team, 'Shared', 'u1'));
    const ids = (prefix: string) => Array.from({ length: 15 }, (_, i) => `${prefix}${i}`);
    await Promise.all([
      ...ids('a').map((id) => store.addPatients(team, list.id, [id], 'u1')),
      ...ids('b').map((id) => other.addPatients(team, list.id, [id], 'u2')),
    ]);
    const stored = (await store.getList(team, list.id))!;
    expect(new Set(stored.patientIds)).toEqual(new Set([...ids('a'), ...ids('b')]));
    expect(stored.version).toBe(31); // one bump per add, none lost to a stale eTag

    const results = await Promise.all([
      store.updateList(team, list.id, { name: 'Morning' }, stored.version),
      other.updateList(team, list.id, { name: 'Evening' }, stored.version),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'conflict' }]);
    await other.close();
  });

  it('applies every one of several concurrent column edits without a version from separate instances (If-Match, re-read on 412)', async () => {
    const list = valueOf(await store.createList(team, 'Columns', 'u1'));
    const start = (await store.getList(team, list.id))!.version;
    const others = [open(), open(), open()]; // separate instances: no shared write queue, so If-Match decides
    const edits: ListColumn[][] = [
      ['name', 'mrn'],
      ['name', 'heartRate'],
      ['name', 'spo2'],
      ['name', 'location'],
    ];
    const results = await Promise.all([store, ...others].map((s, i) => s.updateList(team, list.id, { columns: edits[i] })));
    expect(results.every((r) => r.ok)).toBe(true);
    const final = (await store.getList(team, list.id))!;
    expect(final.version).toBe(start + edits.length); // every edit bumped the version once, none lost
    expect(edits).toContainEqual(final.columns);
    expect(final.name).toBe('Columns');
    await Promise.all(others.map((s) => s.close()));
  });

  it('waits out throttling (429 with Retry-After) and then answers', async () => {
    graph.throttle(2, 1);
    const started = Date.now();
    expect(await store.listLists(team)).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(graph.requests.slice(0, 3).map((r) => [r.status, r.retryAttempt])).toEqual([
      [429, undefined],
      [429, '1'],
      [200, '2'],
    ]);
  });

  it('says throttled when Graph keeps throttling past the retries', async () => {
    const impatient = open({ maxRetries: 1 });
    graph.throttle(5, 1);
    await expect(impatient.listLists(team)).rejects.toMatchObject({ code: 'throttled' });
  });

  it('says unauthenticated when Graph refuses the token, and passes consent errors through', async () => {
    const badToken = open({ getAccessToken: async () => 'not-a-graph-token' });
    const error = await badToken.listLists(team).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphAccessError);
    expect(error).toMatchObject({ code: 'unauthenticated', status: 401 });
    expect(String((error as Error).message)).not.toContain('not-a-graph-token');

    const noConsent = open({ getAccessToken: async () => Promise.reject(new GraphAccessError('consent_required', 'consent needed')) });
    await expect(noConsent.createList(team, 'X', 'u1')).rejects.toMatchObject({ code: 'consent_required' });
  });

  it("finds no site for an unknown team or another tenant's team", async () => {
    await expect(store.listLists({ tenantId: tenant, teamId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({
      code: 'team_site_not_found',
    });
    await expect(store.listLists({ tenantId: tenant, teamId: 'not-a-team' })).rejects.toMatchObject({ code: 'team_site_not_found' });
    // Graph resolves the group in the token's tenant: a team of another tenant is not there.
    const elsewhere = { tenantId: otherTenant, teamId: 'bb22cc33-dd44-4e55-8f66-001122334455' };
    graph.addGroup(otherTenant, elsewhere.teamId);
    const crossed = open({ getAccessToken: async () => graph.tokenFor(tenant) });
    await expect(crossed.listLists(elsewhere)).rejects.toMatchObject({ code: 'team_site_not_found' });
    expect(await store.listLists(elsewhere)).toEqual([]);
  });

  it('recreates a missing column of an app list on first use', async () => {
    await store.setConnection(team, { mode: 'manual' }, 'owner');
    const settings = listNamed('Patients app – settings');
    settings.columns = settings.columns.filter((c) => c.name !== 'UpdatedBy');
    const fresh = open();
    await fresh.setConnection(team, { mode: 'unset' }, 'owner-2');
    expect(settings.columns.some((c) => c.name === 'UpdatedBy')).toBe(true);
    expect(await fresh.getConnection(team)).toEqual({ mode: 'unset' });
  });

  it('reads a note written before notes could be corrected (or sealed) as version 1, by no one verified, and adds the columns', async () => {
    const note = valueOf(await store.addNote(team, 'pat-1', { id: 'user-1', name: 'Avery' }, 'Needs a chest X-ray'));
    // The notes list as an earlier app version made it: without the correction columns and the seal, and a row without their fields.
    const notes = listNamed('Patients app – notes');
    const added = ['Version', 'EditedAt', 'WithdrawnAt', 'Revisions', SEAL_COLUMN];
    notes.columns = notes.columns.filter((c) => !added.includes(c.name));
    const row = [...notes.items.values()][0];
    for (const name of added) delete row.fields[name];

    const fresh = open();
    // Its text is kept, but no one is named as its author: the app cannot tell it from a row written outside it.
    expect(await fresh.listNotes(team, 'pat-1')).toEqual([
      {
        ...note,
        authorId: '',
        authorName: '(not verified: written before the app sealed its records, or outside the app)',
        authorUnverified: 'unsealed',
      },
    ]);
    expect(added.every((name) => notes.columns.some((c) => c.name === name))).toBe(true);
    // So no one may correct it either, and it stays as it was.
    expect(await fresh.reviseNote(team, 'pat-1', note.id, 'user-1', 'Needs a chest X-ray today', 1)).toEqual({ ok: false, reason: 'not_author' });
    expect(row.fields).toMatchObject({ NoteText: 'Needs a chest X-ray', AuthorId: 'user-1' });
    await fresh.close();
  });

  it('refuses a correction when another server changed the note between its read and its write', async () => {
    const note = valueOf(await store.addNote(team, 'pat-1', { id: 'user-1', name: 'Avery' }, 'Fasting from midnight'));
    const elsewhere = open();
    // Another server instance corrects the note just before this one writes: If-Match fails, the re-read sees version 2.
    graph.beforeNext(
      (method, path) => method === 'PATCH' && path.includes('/items/'),
      () => {
        const row = [...listNamed('Patients app – notes').items.values()][0];
        row.fields.NoteText = 'Fasting from 6 am';
        row.fields.Version = 2;
        // Sealed as the other server seals what it writes (same key).
        row.fields[SEAL_COLUMN] = rowSealer(testSealKeys).sealed(rowOf(team, 'notes', note.id), sealedFields.notes, row.fields)[SEAL_COLUMN];
        row.version += 1;
      },
    );
    expect(await store.reviseNote(team, 'pat-1', note.id, 'user-1', 'Fasting from 2 am', 1)).toEqual({ ok: false, reason: 'conflict' });
    expect((await elsewhere.listNotes(team, 'pat-1')).map((n) => [n.text, n.version])).toEqual([['Fasting from 6 am', 2]]);
    await elsewhere.close();
  });
});
