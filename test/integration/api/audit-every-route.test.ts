import type express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Declaration, EndpointSpec } from '../../../server/features/shared/endpoint';
import { cast, startTestServer, type TestServer } from '../../helpers/test-server';

/**
 * Walks every route the app registers and calls each one as a user would. A route that answers
 * with patient data, or changes anything, must have recorded audit events for that very request,
 * naming every patient whose id is in the answer; a route that declares no audit must answer with
 * no patient data at all. A route added without a call below fails the first test, so nobody can
 * add one without saying what it records.
 */

interface FoundRoute {
  method: string;
  path: string;
  spec?: EndpointSpec;
}

type Layer = {
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: unknown }[] };
  handle: { stack?: Layer[]; router?: { stack: Layer[] } };
  rawPath?: unknown;
};

function walk(stack: Layer[], prefix: string, found: FoundRoute[]): FoundRoute[] {
  for (const layer of stack) {
    if (layer.route) {
      const spec = (layer.route.stack[0]?.handle as Partial<Declaration>).spec;
      for (const method of Object.keys(layer.route.methods)) found.push({ method: method.toUpperCase(), path: prefix + layer.route.path, spec });
      continue;
    }
    const inner = layer.handle.stack ?? layer.handle.router?.stack;
    if (inner) walk(inner, prefix + (typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : ''), found);
  }
  return found;
}

const apiRoutes = (app: express.Express) =>
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '', []).filter((r) => r.path.startsWith('/api/'));

let server: TestServer;
let who: ReturnType<typeof cast>;
const reader = () => server.info.users.find((u) => u.name === 'Casey Lindqvist')!.id;

interface Call {
  route: string;
  user: string;
  /** The path, or how to get it (a download link is asked for first). */
  path: string | (() => Promise<string>);
  body?: unknown;
  /** A file sent as it is (an import), instead of a JSON body. */
  file?: Buffer;
}

/** Everything a patient can be recognised by in an answer. */
let known: { ids: string[]; names: string[] };
let calls: Call[];

beforeAll(async () => {
  server = await startTestServer();
  who = cast(server.info);
  const ehrTeam = `/api/teams/${who.team.id}`;
  const manualTeam = `/api/teams/${who.contoso.teams[1].id}`;
  const manualOwner = who.contoso.teams[1].owners[0];
  // Set up: an EHR team with a list of two patients, a Manual-mode team with one patient on a list.
  await server.api(who.owner, 'PUT', `${ehrTeam}/connection`, { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'Sandbox' });
  const patients = (await server.api(who.member, 'GET', `${ehrTeam}/patients?gender=female&count=3`)).body.patients as {
    id: string;
    displayName: string;
  }[];
  const list = (await server.api(who.member, 'POST', `${ehrTeam}/lists`, { name: 'Ward' })).body.id as string;
  const other = (await server.api(who.member, 'POST', `${ehrTeam}/lists`, { name: 'Other' })).body.id as string;
  await server.api(who.member, 'POST', `${ehrTeam}/lists/${list}/patients`, { patientIds: [patients[0].id, patients[1].id] });
  const noteId = (await server.api(who.member, 'POST', `${ehrTeam}/patients/${patients[0].id}/notes`, { text: 'Seen on rounds' })).body.id as string;
  await server.api(manualOwner, 'PUT', `${manualTeam}/connection`, { mode: 'manual' });
  await server.api(manualOwner, 'PUT', `${manualTeam}/schema`, { fields: [{ id: 'acuity', label: 'Acuity', type: 'text' }] });
  const typed = (
    await server.api(manualOwner, 'POST', `${manualTeam}/manual-patients`, { name: 'Hand Entered', mrn: 'HE-1', values: { acuity: 'Low' } })
  ).body;
  // A second hand-entered patient, on a list, to be discharged and re-admitted.
  const leaving = (await server.api(manualOwner, 'POST', `${manualTeam}/manual-patients`, { name: 'Leaving Today', values: {} })).body;
  const manualList = (await server.api(manualOwner, 'POST', `${manualTeam}/lists`, { name: 'Manual ward' })).body.id as string;
  await server.api(manualOwner, 'POST', `${manualTeam}/lists/${manualList}/patients`, { patientIds: [leaving.id] });
  known = {
    ids: [...patients.map((p) => p.id), typed.id, leaving.id],
    names: [...patients.map((p) => p.displayName), typed.name, leaving.name],
  };

  // An import's upload, previewed and confirmed below; its file repeats the typed patient's MRN.
  const importFile = Buffer.from('Name,MRN\nHand Entered,HE-1\nImported Once,IMP-1\n');
  const uploaded = await fetch(`${server.url}${manualTeam}/manual-import/file`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await server.tokenFor(manualOwner)}`, 'content-type': 'application/octet-stream', 'x-file-name': 'ward.csv' },
    body: new Uint8Array(importFile),
  });
  const { token: importToken, mapping: importMapping } = (await uploaded.json()) as { token: string; mapping: unknown };

  const [p0, p1, p2] = patients.map((p) => p.id);
  calls = [
    { route: 'GET /api/me/teams', user: who.member, path: '/api/me/teams' },
    { route: 'GET /api/me', user: who.member, path: '/api/me' },
    { route: 'GET /api/teams/:teamId/connection', user: who.member, path: `${ehrTeam}/connection` },
    { route: 'GET /api/teams/:teamId/patients', user: who.member, path: `${ehrTeam}/patients?gender=female&count=3` },
    { route: 'GET /api/teams/:teamId/patients/:patientId', user: who.member, path: `${ehrTeam}/patients/${p0}` },
    { route: 'GET /api/teams/:teamId/patients/:patientId/details', user: who.member, path: `${ehrTeam}/patients/${p0}/details` },
    { route: 'GET /api/teams/:teamId/patients/:patientId/notes', user: who.member, path: `${ehrTeam}/patients/${p0}/notes` },
    {
      route: 'POST /api/teams/:teamId/patients/:patientId/notes',
      user: who.member,
      path: `${ehrTeam}/patients/${p1}/notes`,
      body: { text: 'Walked today' },
    },
    {
      route: 'PATCH /api/teams/:teamId/patients/:patientId/notes/:noteId',
      user: who.member,
      path: `${ehrTeam}/patients/${p0}/notes/${noteId}`,
      body: { text: 'Seen on morning rounds', version: 1 },
    },
    {
      route: 'POST /api/teams/:teamId/patients/:patientId/notes/:noteId/withdraw',
      user: who.member,
      path: `${ehrTeam}/patients/${p0}/notes/${noteId}/withdraw`,
      body: { version: 2 },
    },
    { route: 'GET /api/teams/:teamId/lists', user: who.member, path: `${ehrTeam}/lists` },
    { route: 'POST /api/teams/:teamId/lists', user: who.member, path: `${ehrTeam}/lists`, body: { name: 'Night shift' } },
    { route: 'GET /api/teams/:teamId/lists/:listId', user: who.member, path: `${ehrTeam}/lists/${list}` },
    { route: 'GET /api/teams/:teamId/lists/:listId/export.csv', user: who.member, path: `${ehrTeam}/lists/${list}/export.csv` },
    {
      route: 'POST /api/teams/:teamId/lists/:listId/export',
      user: who.member,
      path: `${ehrTeam}/lists/${list}/export`,
      body: { timeZone: 'Europe/London' },
    },
    {
      // The link the tab opens carries no Bearer token: its single-use ticket names the caller.
      route: 'GET /api/teams/:teamId/lists/:listId/export/:ticket',
      user: '',
      path: async () => (await server.api(who.member, 'POST', `${ehrTeam}/lists/${list}/export`, { timeZone: 'Europe/London' })).body.url as string,
    },
    { route: 'PATCH /api/teams/:teamId/lists/:listId', user: who.member, path: `${ehrTeam}/lists/${list}`, body: { name: 'Ward 4B' } },
    {
      route: 'POST /api/teams/:teamId/lists/:listId/patients',
      user: who.member,
      path: `${ehrTeam}/lists/${list}/patients`,
      body: { patientIds: [p2] },
    },
    {
      route: 'POST /api/teams/:teamId/lists/:listId/patients/:patientId/move',
      user: who.member,
      path: `${ehrTeam}/lists/${list}/patients/${p2}/move`,
      body: { toListId: other },
    },
    { route: 'DELETE /api/teams/:teamId/lists/:listId/patients/:patientId', user: who.member, path: `${ehrTeam}/lists/${list}/patients/${p1}` },
    { route: 'PUT /api/teams/:teamId/me/default-list', user: who.member, path: `${ehrTeam}/me/default-list`, body: { listId: list } },
    { route: 'DELETE /api/teams/:teamId/lists/:listId', user: who.member, path: `${ehrTeam}/lists/${other}` },
    {
      route: 'PUT /api/teams/:teamId/connection',
      user: who.owner,
      path: `${ehrTeam}/connection`,
      body: { mode: 'ehr', url: server.info.sandbox.fhir.r4, name: 'Sandbox R4' },
    },
    { route: 'GET /api/teams/:teamId/members', user: manualOwner, path: `${manualTeam}/members` },
    { route: 'GET /api/teams/:teamId/schema', user: manualOwner, path: `${manualTeam}/schema` },
    {
      route: 'PUT /api/teams/:teamId/schema',
      user: manualOwner,
      path: `${manualTeam}/schema`,
      body: {
        fields: [
          { id: 'acuity', label: 'Acuity', type: 'text' },
          { id: 'bed', label: 'Bed', type: 'text' },
        ],
      },
    },
    { route: 'GET /api/teams/:teamId/manual-patients', user: manualOwner, path: `${manualTeam}/manual-patients` },
    {
      route: 'POST /api/teams/:teamId/manual-patients',
      user: manualOwner,
      path: `${manualTeam}/manual-patients`,
      body: { name: 'Second Typed', values: {} },
    },
    { route: 'GET /api/teams/:teamId/manual-patients/:patientId', user: manualOwner, path: `${manualTeam}/manual-patients/${typed.id}` },
    {
      route: 'PATCH /api/teams/:teamId/manual-patients/:patientId',
      user: manualOwner,
      path: `${manualTeam}/manual-patients/${typed.id}`,
      body: { name: 'Hand Entered', values: { acuity: 'High' } },
    },
    {
      route: 'POST /api/teams/:teamId/manual-patients/:patientId/discharge',
      user: manualOwner,
      path: `${manualTeam}/manual-patients/${leaving.id}/discharge`,
      body: { version: 1 },
    },
    { route: 'GET /api/teams/:teamId/discharged-patients', user: manualOwner, path: `${manualTeam}/discharged-patients` },
    { route: 'GET /api/teams/:teamId/discharged-patients/:patientId', user: manualOwner, path: `${manualTeam}/discharged-patients/${leaving.id}` },
    {
      route: 'POST /api/teams/:teamId/discharged-patients/:patientId/readmit',
      user: manualOwner,
      path: `${manualTeam}/discharged-patients/${leaving.id}/readmit`,
      body: { version: 2 },
    },
    {
      route: 'POST /api/teams/:teamId/manual-import/preview',
      user: manualOwner,
      path: `${manualTeam}/manual-import/preview`,
      body: { token: importToken, mapping: importMapping },
    },
    {
      route: 'POST /api/teams/:teamId/manual-import/confirm',
      user: manualOwner,
      path: `${manualTeam}/manual-import/confirm`,
      body: { token: importToken, mapping: importMapping, mode: 'valid' },
    },
    // After the confirmation: a new upload replaces the owner's earlier one.
    { route: 'POST /api/teams/:teamId/manual-import/file', user: manualOwner, path: `${manualTeam}/manual-import/file`, file: importFile },
    { route: 'GET /api/audit', user: reader(), path: '/api/audit?limit=10' },
    { route: 'POST /api/audit/export', user: reader(), path: '/api/audit/export', body: { operation: 'PatientView' } },
    {
      // Like a list's download: the link carries no Bearer token, its single-use ticket names the reader.
      route: 'GET /api/audit/export/:ticket',
      user: '',
      path: async () => (await server.api(reader(), 'POST', '/api/audit/export', { operation: 'PatientView' })).body.url as string,
    },
  ];
});
afterAll(() => server?.stop());

async function call(c: Call) {
  const headers: Record<string, string> = c.user ? { authorization: `Bearer ${await server.tokenFor(c.user)}` } : {};
  if (c.body !== undefined) headers['content-type'] = 'application/json';
  if (c.file) Object.assign(headers, { 'content-type': 'application/octet-stream', 'x-file-name': 'ward.csv' });
  const method = c.route.split(' ')[0];
  const path = typeof c.path === 'string' ? c.path : await c.path();
  const body = c.file ? new Uint8Array(c.file) : c.body === undefined ? undefined : JSON.stringify(c.body);
  const res = await fetch(`${server.url}${path}`, { method, headers, body });
  return {
    status: res.status,
    text: await res.text(),
    requestId: res.headers.get('x-request-id')!,
    cacheControl: res.headers.get('cache-control'),
    etag: res.headers.get('etag'),
  };
}

async function eventsOf(requestId: string) {
  const res = await server.api(reader(), 'GET', '/api/audit?limit=50000');
  return (res.body.events as { requestId: string; operation: string; outcome: string; patientId: string | null }[]).filter(
    (e) => e.requestId === requestId,
  );
}

describe('every API route', () => {
  it('is one this test calls, and was added with its audit declaration', () => {
    const found = apiRoutes(server.app);
    const routes = found.filter((r) => !['/api/health', '/api/ready', '/api/consent-config'].includes(r.path));
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(calls.map((c) => c.route).sort());
    for (const route of routes) expect(route.spec, `${route.method} ${route.path} was not added through endpoints()`).toBeDefined();
  });

  // No ETag either: a hash of the answer would tell whether two users' patient data is the same, or has changed.
  it('records who read or changed which patients, and answers with no-store and no ETag', async () => {
    const specs = new Map(apiRoutes(server.app).map((r) => [`${r.method} ${r.path}`, r.spec!]));
    for (const c of calls) {
      const res = await call(c);
      expect(res.status, `${c.route}: ${res.text.slice(0, 200)}`).toBeLessThan(300);
      expect(res.cacheControl, c.route).toBe('no-store');
      // A version where the route has one (a list's), never a hash of the body (W/"…").
      if (res.etag !== null) expect(res.etag, c.route).toMatch(/^"\d+"$/);
      const events = await eventsOf(res.requestId);
      const shownIds = known.ids.filter((id) => res.text.includes(id));
      const shownNames = known.names.filter((name) => res.text.includes(name));
      const changes = !c.route.startsWith('GET ');
      if (specs.get(c.route)!.audit === null || specs.get(c.route)!.records === 'refusals') {
        expect({ route: c.route, shownIds, shownNames, events }).toEqual({ route: c.route, shownIds: [], shownNames: [], events: [] });
        continue;
      }
      if (changes || shownIds.length || shownNames.length) expect(events.length, `${c.route} recorded nothing`).toBeGreaterThan(0);
      const named = new Set(events.map((e) => e.patientId));
      if (c.route === 'GET /api/audit' || c.route === 'GET /api/audit/export/:ticket') {
        // The trail holds patient ids by design, never names: reading it is recorded as such.
        expect(shownNames).toEqual([]);
        expect(events).toMatchObject([{ operation: c.route === 'GET /api/audit' ? 'AuditView' : 'AuditExport', outcome: 'success' }]);
        continue;
      }
      expect(
        shownIds.filter((id) => !named.has(id)),
        `${c.route} answered with patients it did not record`,
      ).toEqual([]);
      expect(events.every((e) => e.outcome === 'success')).toBe(true);
    }
  });
});

describe('path variants and refusals', () => {
  it('answers 404 to path variants instead of serving them', async () => {
    const team = `/api/teams/${who.team.id}`;
    const lists = (await server.api(who.member, 'GET', `${team}/lists`)).body as { id: string }[];
    const patient = known.ids[0];
    const variants = [
      `/api/Teams/${who.team.id}/lists`,
      `/api/teams/${who.team.id}/LISTS`,
      `/api/teams/${who.team.id}/PATIENTS/${patient}`,
      `/api/teams/${who.team.id}/patients/${patient}/Details`,
      `/api/teams/${who.team.id}/lists/${lists[0].id}/EXPORT.CSV`,
      `/api/teams/${who.team.id}/patients/${patient}/details/`,
      `/API/teams/${who.team.id}/lists`,
    ];
    for (const path of variants) {
      const res = await server.api(who.member, 'GET', path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(JSON.stringify(res.body)).not.toContain(patient);
    }
  });

  it('records refused attempts: another team, a missing role, and a bad token that names a tenant', async () => {
    const closed = `/api/teams/${who.closedTeam.id}/lists`;
    const forbiddenList = await call({ route: 'GET x', user: who.outsider, path: `${closed}/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}` });
    expect(forbiddenList.status).toBe(403);
    expect(await eventsOf(forbiddenList.requestId)).toMatchObject([
      { operation: 'PatientListView', outcome: 'failure', userId: who.outsider, teamId: who.closedTeam.id },
    ]);

    const noRole = await call({ route: 'GET x', user: who.member, path: '/api/audit?format=csv' });
    expect(noRole.status).toBe(403);
    expect(await eventsOf(noRole.requestId)).toMatchObject([{ operation: 'AuditExport', outcome: 'failure', status: 403 }]);

    // A token with a forged signature that claims a tenant and user: refused, and recorded there,
    // as a claim (anyone can name anyone in an unsigned token): never as the named user's own
    // attempt, and naming no patient, list or team of the path (anyone can write those too), so an
    // unsigned claim never enters a patient's trail.
    const [header, payload] = (await server.tokenFor(who.member)).split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    const list = (await server.api(who.member, 'POST', `/api/teams/${who.team.id}/lists`, { name: 'Forged' })).body.id as string;
    const attempts = [
      { method: 'GET', path: `/api/teams/${who.team.id}/patients/${known.ids[0]}/details`, operation: 'PatientView' },
      { method: 'POST', path: `/api/teams/${who.team.id}/patients/${known.ids[1]}/notes`, operation: 'PatientNoteAdd' },
      { method: 'DELETE', path: `/api/teams/${who.team.id}/lists/${list}/patients/${known.ids[2]}`, operation: 'PatientListRemovePatient' },
    ];
    for (const { method, path, operation } of attempts) {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${forged}`, 'content-type': 'application/json' },
        body: method === 'POST' ? JSON.stringify({ text: 'forged' }) : undefined,
      });
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain(known.names[0]);
      expect(await eventsOf(res.headers.get('x-request-id')!)).toEqual([
        expect.objectContaining({
          operation,
          outcome: 'failure',
          status: 401,
          tenantId: who.contoso.id,
          teamId: null,
          listId: null,
          patientId: null,
          userId: `unverified:${who.member}`,
        }),
      ]);
    }
    for (const patient of known.ids.slice(0, 3)) {
      const trail = await server.api(reader(), 'GET', `/api/audit?patient=${encodeURIComponent(patient)}&limit=50000`);
      expect(trail.body.events.filter((e: { userId: string }) => e.userId.startsWith('unverified:'))).toEqual([]);
    }
  });

  it('names a team in one form whatever the letter case of its path (Microsoft 365 group ids), so the trail finds every call', async () => {
    const list = (await server.api(who.member, 'POST', `/api/teams/${who.team.id}/lists`, { name: 'Letter case' })).body.id as string;
    const res = await fetch(`${server.url}/api/teams/${who.team.id.toUpperCase()}/lists/${list}`, {
      headers: { authorization: `Bearer ${await server.tokenFor(who.member)}` },
    });
    expect(res.status).toBe(200);
    const requestId = res.headers.get('x-request-id')!;
    const [event] = await eventsOf(requestId);
    expect(event).toMatchObject({ operation: 'PatientListView', outcome: 'success', teamId: who.team.id, userId: who.member, listId: list });
    const filtered = await server.api(reader(), 'GET', `/api/audit?team=${who.team.id}&limit=50000`);
    expect(filtered.body.events.some((e: { requestId: string }) => e.requestId === requestId)).toBe(true);
  });

  it('records reading and exporting the audit trail', async () => {
    const view = await call({ route: 'GET x', user: reader(), path: '/api/audit?limit=5' });
    const exported = await call({ route: 'GET x', user: reader(), path: '/api/audit?format=csv&limit=5' });
    expect(await eventsOf(view.requestId)).toMatchObject([{ operation: 'AuditView', outcome: 'success', userId: reader() }]);
    expect(await eventsOf(exported.requestId)).toMatchObject([{ operation: 'AuditExport', outcome: 'success', userId: reader() }]);
    // A patient's trail tells who cared for them: its export names the patient and the team it was filtered by.
    const team = '7A0C1B2D-3E4F-4A5B-8C6D-7E8F9A0B1C2D';
    const patient = await call({ route: 'GET x', user: reader(), path: `/api/audit?patient=pat-4711&team=${team}&format=csv` });
    expect(await eventsOf(patient.requestId)).toMatchObject([{ operation: 'AuditExport', patientId: 'pat-4711', teamId: team.toLowerCase() }]);
    const trail = await call({ route: 'GET x', user: reader(), path: '/api/audit?patient=pat-4711' });
    const read = (JSON.parse(trail.text) as { events: { operation: string; requestId: string }[] }).events;
    expect(read.map((e) => [e.operation, e.requestId])).toEqual([['AuditExport', patient.requestId]]);
    // A screenful that gives the patient's records names the patient too (it can be the whole trail).
    expect(await eventsOf(trail.requestId)).toMatchObject([{ operation: 'AuditView', patientId: 'pat-4711', teamId: null }]);
    const again = await call({ route: 'GET x', user: reader(), path: '/api/audit?patient=pat-4711' });
    const readAgain = (JSON.parse(again.text) as { events: { requestId: string }[] }).events;
    expect(readAgain.map((e) => e.requestId)).toEqual([patient.requestId, trail.requestId]);
    // One that gives nothing does not: the tab asks at each keystroke of a filter, and a part of an id names no patient.
    const typed = await call({ route: 'GET x', user: reader(), path: '/api/audit?patient=pat-47' });
    expect((JSON.parse(typed.text) as { events: unknown[] }).events).toEqual([]);
    expect(await eventsOf(typed.requestId)).toMatchObject([{ operation: 'AuditView', patientId: null, teamId: null }]);
  });
});

describe('answers a network attacker could abuse', () => {
  it('lets only Microsoft 365 hosts frame the app, and keeps API answers out of caches', async () => {
    const res = await fetch(`${server.url}/api/health`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const ancestors = /frame-ancestors ([^;]+)/.exec(csp)?.[1].split(' ') ?? [];
    expect(ancestors).toContain("'self'");
    expect(ancestors).toContain('https://teams.microsoft.com');
    expect(
      ancestors.every(
        (a) =>
          a === "'self'" ||
          /^https:\/\/([*a-z0-9-]+\.)*(microsoft|office|office365|microsoft365|live)\.com$|^https:\/\/\*\.cloud\.microsoft$/.test(a),
      ),
    ).toBe(true);
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    const unknown = await fetch(`${server.url}/api/no-such-route`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('cache-control')).toBe('no-store');
  });
});
