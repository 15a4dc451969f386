import { afterEach, beforeEach, expect, it } from 'vitest';
import http from 'node:http';
import { MAX_PATIENTS_PER_LIST } from '../../../contract/lists';
import { valueOf } from '../../../server/features/shared/outcomes';
import type { TeamStore } from '../../../server/storage/ports';
import { openGraphStore } from '../../../server/storage/sharepoint/graph-store';
import { startGraphEmulator, type GraphEmulator } from '../../helpers/graph-emulator';
import { testSealKeys } from '../../helpers/production-settings';

/**
 * Two calls at once on the team's SharePoint lists (Graph has no transactions): a call whose
 * request is held or failed between the store and Graph (a proxy in front of the emulator) while
 * another runs to its end. What one call wrote and another relied on is never taken back, and no
 * patient ends up on no list the calls did not take them off. Of two calls that SQLite would run one
 * after the other, the second is answered as SQLite answers it (a move of a patient already moved:
 * `not_on_list`; an addition past the cap: `list_full`) and changes nothing.
 */
const tenant = '4c1e2d3f-5a6b-4c7d-8e9f-0a1b2c3d4e55';
const team = { tenantId: tenant, teamId: 'bb22cc33-dd44-4e55-8f66-007788990011' };
const ehr = {
  mode: 'ehr' as const,
  url: 'https://fhir.hospital.example.org/r4',
  name: 'H',
  fhirVersion: 'R4' as const,
  auth: 'none' as const,
  resources: ['Patient'],
};

let graph: GraphEmulator;
let store: TeamStore;
let proxy: http.Server;
let proxyUrl: string;
// async gate: (method, url) => undefined | { status } (after awaiting)
let gate: (method: string, url: string) => Promise<number | undefined> = async () => undefined;
const log: string[] = [];

beforeEach(async () => {
  graph = await startGraphEmulator();
  graph.addGroup(tenant, team.teamId, 'Ward 7');
  proxy = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    log.push(`${req.method} ${decodeURIComponent(req.url!)}`);
    const fail = await gate(req.method!, decodeURIComponent(req.url!));
    if (fail) {
      res.writeHead(fail, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'generalException', message: 'injected' } }));
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
    const r = await fetch(graph.url + req.url, { method: req.method, headers, body: body.length ? body : undefined });
    // Next page links name the emulator: they are given as the proxy's, as Graph gives its own host.
    const out = Buffer.from((await r.text()).replaceAll(graph.url, proxyUrl));
    const h: Record<string, string> = {};
    r.headers.forEach((v, k) => {
      if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'content-encoding') h[k] = v;
    });
    res.writeHead(r.status, h);
    res.end(out);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
  store = openGraphStore({
    baseUrl: proxyUrl,
    sealKeys: testSealKeys,
    getAccessToken: async (t) => graph.tokenFor(t),
    maxRetries: 0,
  });
});
afterEach(async () => {
  await store.close();
  proxy.close();
  await graph.close();
});

it('an addition whose read back fails keeps its row, which a move at that moment relied on: the patient is on a list', async () => {
  await store.setConnection(team, ehr, 'u1');
  const from = valueOf(await store.createList(team, 'From', 'u1')).id;
  const to = valueOf(await store.createList(team, 'To', 'u1')).id;
  await store.addPatients(team, from, ['P'], 'u1');
  const toItems = `/lists/${to}/items`;
  let posted = false;
  let holding = false;
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  gate = async (method, url) => {
    if (method === 'POST' && url.includes(toItems) && !posted) {
      posted = true;
      return undefined;
    }
    if (posted && !holding && method === 'GET' && url.includes(`${toItems}?`) && !url.includes('filter')) {
      holding = true;
      await released;
      return 500;
    }
    return undefined;
  };
  const b = store.addPatients(team, to, ['P'], 'uB').then(
    (o) => ({ ok: o }),
    (e) => ({ err: String(e) }),
  );
  for (let i = 0; !holding && i < 500; i++) await new Promise((r) => setTimeout(r, 10));
  if (!holding) {
    console.log(log.slice(-15).join('\n'));
    throw new Error('never held');
  }
  const m = await store.movePatient(team, from, to, 'P', 'uM');
  expect(m.ok).toBe(true);
  release();
  // The addition stands: its row is the patient's on the list, and it is answered as made.
  expect(await b).toMatchObject({ ok: { ok: true } });
  const f = await store.getList(team, from);
  const t = await store.getList(team, to);
  expect([...(f?.patientIds ?? []), ...(t?.patientIds ?? [])]).toContain('P');
}, 60_000);

it('a first schema whose read back failed does not delete the schema another save has since written', async () => {
  await store.setConnection(team, { mode: 'manual' } as never, 'u1');
  const armed = true;
  let settingsPath = '';
  let holding = false;
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  gate = async (method, url) => {
    if (armed && method === 'POST' && /\/items$/.test(url.split('?')[0]) && !settingsPath) {
      settingsPath = url.split('?')[0];
      return undefined;
    }
    if (settingsPath && !holding && method === 'GET' && url.startsWith(settingsPath + '?')) {
      holding = true;
      await released;
      return 500;
    }
    return undefined;
  };
  const a = store.setSchema(team, [{ id: 'a', label: 'A field', type: 'text' }] as never).then(
    (o) => ({ ok: o }),
    (e) => ({ err: String(e) }),
  );
  for (let i = 0; !holding && i < 300; i++) await new Promise((r) => setTimeout(r, 10));
  if (!holding) {
    console.log(log.slice(-10).join('\n'));
    throw new Error('never held');
  }
  const b = await store.setSchema(team, [{ id: 'b', label: 'B field', type: 'text' }] as never);
  expect(b.ok).toBe(true);
  release();
  // The first save could not tell whether its row came first: it fails, and leaves the row the later save changed.
  expect(await a).toHaveProperty('err');
  const now = await store.getSchema(team);
  expect(now).not.toBeNull();
}, 60_000);

it('a move onto a list being deleted is refused, and the patient stays on the list they were on', async () => {
  await store.setConnection(team, ehr, 'u1');
  const from = valueOf(await store.createList(team, 'From', 'u1')).id;
  const to = valueOf(await store.createList(team, 'To', 'u1')).id;
  await store.addPatients(team, from, ['P'], 'u1');
  let holdPost = false,
    holdDel = false;
  let relPost!: () => void, relDel!: () => void;
  const postGo = new Promise<void>((r) => (relPost = r));
  const delGo = new Promise<void>((r) => (relDel = r));
  gate = async (method, url) => {
    const p = url.split('?')[0];
    if (!holdPost && method === 'POST' && p.endsWith(`/lists/${to}/items`)) {
      holdPost = true;
      await postGo;
    }
    if (!holdDel && method === 'DELETE' && p.endsWith(`/lists/${to}`)) {
      holdDel = true;
      await delGo;
    }
    return undefined;
  };
  const m = store.movePatient(team, from, to, 'P', 'uM').then(
    (o) => ({ ok: o }),
    (e) => ({ err: String(e) }),
  );
  for (let i = 0; !holdPost && i < 300; i++) await new Promise((r) => setTimeout(r, 10));
  const d = store.deleteList(team, to).then(
    (o) => ({ ok: o }),
    (e) => ({ err: String(e) }),
  );
  for (let i = 0; !holdDel && i < 300; i++) await new Promise((r) => setTimeout(r, 10));
  if (!holdPost || !holdDel) throw new Error('not held');
  relPost();
  expect(await m).toEqual({ ok: { ok: false, reason: 'no_list' } });
  relDel();
  expect(await d).toMatchObject({ ok: { ok: true } });
  const f = await store.getList(team, from);
  expect(f?.patientIds).toContain('P');
}, 60_000);

/** Holds the first request `matches` picks until released; `held` says when it is being held. */
function holdFirst(matches: (method: string, path: string) => boolean) {
  const state = { held: false, release: () => {} };
  const go = new Promise<void>((r) => (state.release = r));
  gate = async (method, url) => {
    if (!state.held && matches(method, url.split('?')[0])) {
      state.held = true;
      await go;
    }
    return undefined;
  };
  return state;
}

async function until(held: () => boolean, waitMs = 5_000) {
  for (let i = 0; !held() && i < waitMs / 10; i++) await new Promise((r) => setTimeout(r, 10));
  if (!held()) throw new Error(`never held:\n${log.slice(-15).join('\n')}`);
}

it('two moves of one patient off one list at the same moment: one moves them, the other is refused and adds no one', async () => {
  await store.setConnection(team, ehr, 'u1');
  const from = valueOf(await store.createList(team, 'From', 'u1')).id;
  const to2 = valueOf(await store.createList(team, 'To 2', 'u1')).id;
  const to3 = valueOf(await store.createList(team, 'To 3', 'u1')).id;
  await store.addPatients(team, from, ['P'], 'u1');
  // The first move's delete of the patient's row on From waits until the second move has ended.
  const hold = holdFirst((method, path) => method === 'DELETE' && path.includes(`/lists/${from}/items/`));
  const first = store.movePatient(team, from, to2, 'P', 'uA');
  await until(() => hold.held);
  expect(await store.movePatient(team, from, to3, 'P', 'uB')).toEqual({ ok: true, value: { added: true } });
  hold.release();
  // The row was gone when the first move came to delete it: it took no one off From.
  expect(await first).toEqual({ ok: false, reason: 'not_on_list' });
  expect((await store.getList(team, from))?.patientIds).toEqual([]);
  expect((await store.getList(team, to2))?.patientIds).toEqual([]);
  expect((await store.getList(team, to3))?.patientIds).toEqual(['P']);
}, 60_000);

it('the same move sent twice, the second relying on the row the first wrote: one moves the patient, the other is refused as on SQLite', async () => {
  await store.setConnection(team, ehr, 'u1');
  const from = valueOf(await store.createList(team, 'From', 'u1')).id;
  const to = valueOf(await store.createList(team, 'To', 'u1')).id;
  await store.addPatients(team, from, ['P'], 'u1');
  // The first move has written the patient's row on To and waits to delete the row on From; the
  // second finds the patient on To already (that row), takes them off From and so is the move.
  const hold = holdFirst((method, path) => method === 'DELETE' && path.includes(`/lists/${from}/items/`));
  const first = store.movePatient(team, from, to, 'P', 'uA');
  await until(() => hold.held);
  expect(await store.movePatient(team, from, to, 'P', 'uA')).toEqual({ ok: true, value: { added: false } });
  hold.release();
  // The first found the patient gone from From: refused as SQLite refuses a move of a patient no
  // longer on the list; the row it wrote, which the second took over, stays.
  expect(await first).toEqual({ ok: false, reason: 'not_on_list' });
  expect((await store.getList(team, from))?.patientIds).toEqual([]);
  expect(rowsOf(to)).toEqual(['P']);
}, 60_000);

it('the same move sent twice, the first held before it writes until the second has read: one moves the patient, the other is refused', async () => {
  await store.setConnection(team, ehr, 'u1');
  const from = valueOf(await store.createList(team, 'From', 'u1')).id;
  const to = valueOf(await store.createList(team, 'To', 'u1')).id;
  await store.addPatients(team, from, ['P'], 'u1');
  const hold = holdFirst((method, path) => method === 'POST' && path.endsWith(`/lists/${to}/items`));
  const first = settled(store.movePatient(team, from, to, 'P', 'uA'));
  await until(() => hold.held);
  const second = await store.movePatient(team, from, to, 'P', 'uA');
  hold.release();
  const outcomes = [await first, { ok: second }];
  expect(outcomes).toContainEqual({ ok: { ok: true, value: { added: true } } });
  expect(outcomes).toContainEqual({ ok: { ok: false, reason: 'not_on_list' } });
  expect((await store.getList(team, from))?.patientIds).toEqual([]);
  expect(rowsOf(to)).toEqual(['P']);
}, 60_000);

it('the same move sent twice, the loser taking its row back before the winner takes it over: the winner writes the patient a row', async () => {
  await store.setConnection(team, ehr, 'u1');
  const from = valueOf(await store.createList(team, 'From', 'u1')).id;
  const to = valueOf(await store.createList(team, 'To', 'u1')).id;
  await store.addPatients(team, from, ['P'], 'u1');
  // The first waits to delete the row on From; the second relies on the first's row on To, takes
  // the patient off From, and waits to take that row over until the first has taken it back.
  const holdDelete = { held: false, release: () => {} };
  const holdClaim = { held: false, release: () => {} };
  const deleteGo = new Promise<void>((r) => (holdDelete.release = r));
  const claimGo = new Promise<void>((r) => (holdClaim.release = r));
  gate = async (method, url) => {
    const path = url.split('?')[0];
    if (!holdDelete.held && method === 'DELETE' && path.includes(`/lists/${from}/items/`)) {
      holdDelete.held = true;
      await deleteGo;
    }
    if (!holdClaim.held && method === 'PATCH' && path.includes(`/lists/${to}/items/`)) {
      holdClaim.held = true;
      await claimGo;
    }
    return undefined;
  };
  const first = settled(store.movePatient(team, from, to, 'P', 'uA'));
  await until(() => holdDelete.held);
  const second = settled(store.movePatient(team, from, to, 'P', 'uA'));
  await until(() => holdClaim.held);
  holdDelete.release();
  expect(await first).toEqual({ ok: { ok: false, reason: 'not_on_list' } });
  holdClaim.release();
  expect(await second).toEqual({ ok: { ok: true, value: { added: true } } });
  expect((await store.getList(team, from))?.patientIds).toEqual([]);
  expect(rowsOf(to)).toEqual(['P']);
}, 60_000);

it('a move at the same moment as a removal of the patient from the list it leaves: the removal stands, the move is refused as on SQLite', async () => {
  await store.setConnection(team, ehr, 'u1');
  const from = valueOf(await store.createList(team, 'From', 'u1')).id;
  const to = valueOf(await store.createList(team, 'To', 'u1')).id;
  await store.addPatients(team, from, ['P'], 'u1');
  const hold = holdFirst((method, path) => method === 'DELETE' && path.includes(`/lists/${from}/items/`));
  const move = store.movePatient(team, from, to, 'P', 'uA');
  await until(() => hold.held);
  expect(await store.removePatient(team, from, 'P')).toEqual({ ok: true, value: undefined });
  hold.release();
  // The removal took the patient off From first: the move finds them no longer there, and the row it wrote on To goes again.
  expect(await move).toEqual({ ok: false, reason: 'not_on_list' });
  expect((await store.getList(team, from))?.patientIds).toEqual([]);
  expect(rowsOf(to)).toEqual([]);
}, 60_000);

it('two additions at the same moment to a list one patient short of its cap: one adds, the other is refused list_full and adds no one', async () => {
  await store.setConnection(team, ehr, 'u1');
  const ward = valueOf(await store.createList(team, 'Ward', 'u1')).id;
  const held = Array.from({ length: MAX_PATIENTS_PER_LIST - 1 }, (_, i) => `H${i}`);
  expect(await store.addPatients(team, ward, held, 'u1')).toMatchObject({ ok: true });
  // The first addition has read the list (one place left) and is held before it writes, until the second has written and answered.
  const hold = holdFirst((method, path) => method === 'POST' && path.endsWith(`/lists/${ward}/items`));
  const first = settled(store.addPatients(team, ward, ['A'], 'uA'));
  await until(() => hold.held, 60_000);
  expect(await store.addPatients(team, ward, ['B'], 'uB')).toMatchObject({ ok: true, value: { added: ['B'] } });
  hold.release();
  expect(await first).toEqual({ ok: { ok: false, reason: 'list_full' } });
  const list = await store.getList(team, ward);
  expect(list?.patientIds).toEqual([...held, 'B']);
  expect(list?.beyondLimit).toBeUndefined();
  expect(rowsOf(ward)).toHaveLength(MAX_PATIENTS_PER_LIST);
}, 120_000);

it('a bulk addition and a move onto a list at the same moment past its cap: the one that came second is refused list_full and changes nothing', async () => {
  await store.setConnection(team, ehr, 'u1');
  const from = valueOf(await store.createList(team, 'From', 'u1')).id;
  const ward = valueOf(await store.createList(team, 'Ward', 'u1')).id;
  await store.addPatients(team, from, ['P'], 'u1');
  const held = Array.from({ length: MAX_PATIENTS_PER_LIST - 2 }, (_, i) => `H${i}`);
  expect(await store.addPatients(team, ward, held, 'u1')).toMatchObject({ ok: true });
  // The move has read the ward (two places left) and is held before it writes, until the addition of two has answered.
  const hold = holdFirst((method, path) => method === 'POST' && path.endsWith(`/lists/${ward}/items`));
  const move = settled(store.movePatient(team, from, ward, 'P', 'uM'));
  await until(() => hold.held, 60_000);
  expect(await store.addPatients(team, ward, ['A', 'B'], 'uA')).toMatchObject({ ok: true, value: { added: ['A', 'B'] } });
  hold.release();
  expect(await move).toEqual({ ok: { ok: false, reason: 'list_full' } });
  expect((await store.getList(team, from))?.patientIds).toEqual(['P']);
  expect((await store.getList(team, ward))?.patientIds).toEqual([...held, 'A', 'B']);
  expect(rowsOf(ward)).toHaveLength(MAX_PATIENTS_PER_LIST);
}, 120_000);

it('two opposite moves at the same moment of a patient on both lists leave the patient on a list', async () => {
  await store.setConnection(team, ehr, 'u1');
  const x = valueOf(await store.createList(team, 'X', 'u1')).id;
  const y = valueOf(await store.createList(team, 'Y', 'u1')).id;
  await store.addPatients(team, x, ['P'], 'u1');
  await store.addPatients(team, y, ['P'], 'u1');
  // X → Y waits to delete the row on X until Y → X has taken the patient off Y.
  const hold = holdFirst((method, path) => method === 'DELETE' && path.includes(`/lists/${x}/items/`));
  const xToY = store.movePatient(team, x, y, 'P', 'uA');
  await until(() => hold.held);
  expect(await store.movePatient(team, y, x, 'P', 'uB')).toEqual({ ok: true, value: { added: false } });
  hold.release();
  // The patient was on Y when X → Y began and is no longer: the move writes its row there again.
  expect(await xToY).toEqual({ ok: true, value: { added: true } });
  const onX = (await store.getList(team, x))?.patientIds ?? [];
  const onY = (await store.getList(team, y))?.patientIds ?? [];
  expect([...onX, ...onY]).toEqual(['P']);
  expect(onY).toEqual(['P']);
}, 60_000);

/** A call's outcome or its error, so that a call held by the gate can be awaited later. */
function settled<T>(call: Promise<T>): Promise<{ ok: T } | { err: string }> {
  return call.then(
    (ok) => ({ ok }),
    (e: unknown) => ({ err: String(e) }),
  );
}

/** The patient id of every row of a list's SharePoint list, as the emulator holds them (a duplicate row shows). */
function rowsOf(listId: string): string[] {
  const site = [...graph.state.sites.values()].find((s) => s.lists.has(listId))!;
  return [...site.lists.get(listId)!.items.values()].map((i) => String(i.fields.PatientId));
}
