import { afterEach, beforeEach, expect, it } from 'vitest';
import http from 'node:http';
import { valueOf } from '../../../server/features/shared/outcomes';
import type { TeamStore } from '../../../server/storage/ports';
import { openGraphStore } from '../../../server/storage/sharepoint/graph-store';
import { startGraphEmulator, type GraphEmulator } from '../../helpers/graph-emulator';
import { testSealKeys } from '../../helpers/production-settings';

/**
 * Two calls at once on the team's SharePoint lists (Graph has no transactions): a call whose
 * request is held or failed between the store and Graph (a proxy in front of the emulator) while
 * another runs to its end. What one call wrote and another relied on is never taken back, and no
 * patient ends up on no list.
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
    const out = Buffer.from(await r.arrayBuffer());
    const h: Record<string, string> = {};
    r.headers.forEach((v, k) => {
      if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'content-encoding') h[k] = v;
    });
    res.writeHead(r.status, h);
    res.end(out);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  const port = (proxy.address() as { port: number }).port;
  store = openGraphStore({
    baseUrl: `http://127.0.0.1:${port}`,
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

async function until(held: () => boolean) {
  for (let i = 0; !held() && i < 500; i++) await new Promise((r) => setTimeout(r, 10));
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

it('the same move sent twice at the same moment: the patient ends on the list they were moved to, never on none', async () => {
  await store.setConnection(team, ehr, 'u1');
  const from = valueOf(await store.createList(team, 'From', 'u1')).id;
  const to = valueOf(await store.createList(team, 'To', 'u1')).id;
  await store.addPatients(team, from, ['P'], 'u1');
  // The first move has written the patient's row on To and waits to delete the row on From; the
  // second finds the patient on To already (that row) and takes them off From.
  const hold = holdFirst((method, path) => method === 'DELETE' && path.includes(`/lists/${from}/items/`));
  const first = store.movePatient(team, from, to, 'P', 'uA');
  await until(() => hold.held);
  expect(await store.movePatient(team, from, to, 'P', 'uA')).toEqual({ ok: true, value: { added: false } });
  hold.release();
  // The row the second relied on stands (written again): the first is the move that put it there.
  expect(await first).toEqual({ ok: true, value: { added: true } });
  expect((await store.getList(team, from))?.patientIds).toEqual([]);
  expect((await store.getList(team, to))?.patientIds).toEqual(['P']);
}, 60_000);

it('a move at the same moment as a removal of the patient from the list it leaves: the patient is off that list and on the one moved to', async () => {
  await store.setConnection(team, ehr, 'u1');
  const from = valueOf(await store.createList(team, 'From', 'u1')).id;
  const to = valueOf(await store.createList(team, 'To', 'u1')).id;
  await store.addPatients(team, from, ['P'], 'u1');
  const hold = holdFirst((method, path) => method === 'DELETE' && path.includes(`/lists/${from}/items/`));
  const move = store.movePatient(team, from, to, 'P', 'uA');
  await until(() => hold.held);
  expect(await store.removePatient(team, from, 'P')).toEqual({ ok: true, value: undefined });
  hold.release();
  // Both changes stand, each as it was answered: the removal took the row off From, the move's row is on To.
  expect(await move).toEqual({ ok: true, value: { added: true } });
  expect((await store.getList(team, from))?.patientIds).toEqual([]);
  expect((await store.getList(team, to))?.patientIds).toEqual(['P']);
}, 60_000);

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
