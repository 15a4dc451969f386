import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DevDirectory } from '../../../server/identity/dev-directory';
import { startAppProcess, type AppProcess } from '../../helpers/app-process';
import { startAzurite, type Azurite } from '../../helpers/azurite';
import { startProductionStandIns, type ProductionStandIns } from '../../helpers/production-standins';
import { suiteRateLimits } from '../../helpers/test-server';
import { testTab } from '../../helpers/test-tab';

/**
 * Scale-out: two app processes in production mode share what App Service instances share, the
 * team's SharePoint site (the Graph emulator) and the audit table (Azurite), and nothing else.
 * People working through either instance at the same moment lose nothing, the audit trail has
 * both instances' records, and what each instance caches is right again within the staleness
 * README states (membership: a minute; list catalog and connection: not cached).
 */
const tenantId = '7d3f0c3e-1c1a-4d7e-9a55-0c0a8d1e2b01';
const ward = { id: 'c0ffee00-0000-4000-8000-00000000c001', name: 'Ward 7 Nursing' };
/** A team in Manual mode, for an import previewed through one instance and confirmed through the other. */
const manualWard = { id: 'c0ffee00-0000-4000-8000-00000000c002', name: 'Ward 9 Day Unit' };
/** A ward's staff: each person makes a few changes, as on a real shift (SharePoint's budget is shared per user). */
const staff = Array.from({ length: 12 }, (_, i) => ({
  id: `0a1b2c3d-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`,
  name: `Nurse ${i + 1}`,
  tenantId,
}));
const people = staff.map((u) => u.id);
const [owner] = people;
const auditReader = people[11];
const directory: DevDirectory = {
  tenants: [
    {
      id: tenantId,
      name: 'Contoso Health',
      teams: [
        { ...ward, owners: [owner], members: people },
        { ...manualWard, owners: [owner], members: people },
      ],
    },
  ],
  users: staff,
  auditReaders: [auditReader],
};
/** Person i of the staff, round the list. */
const person = (i: number) => people[i % people.length];
/** graph-membership.ts keeps an answer this long per instance (README: "cached for a minute"). */
const MEMBERSHIP_STALENESS_MS = 60_000;
const POLL_MS = 4_000;

let stand: ProductionStandIns;
let azurite: Azurite;
let dataDir: string;
let apps: AppProcess[] = [];
let a = '';
let b = '';

beforeAll(async () => {
  stand = await startProductionStandIns(directory, { patientsPerTenant: 40 });
  azurite = await startAzurite();
  dataDir = mkdtempSync(join(tmpdir(), 'patients-scale-'));
  // Each instance has its own disk: nothing but Graph and the audit table is shared.
  apps = ['a', 'b'].map((name) =>
    startAppProcess({
      ...stand.env,
      ...suiteRateLimits,
      PORT: '0',
      DATA_DIR: join(dataDir, name),
      STATIC_DIR: testTab(dataDir),
      STORE: 'graph',
      AUDIT_STORE: 'azure-table',
      AUDIT_TABLE_CONNECTION_STRING: azurite.connectionString,
      AUDIT_TABLE_NAME: 'PatientsAuditScale',
    }),
  );
  [a, b] = await Promise.all(apps.map((app) => app.url));
}, 120_000);

afterEach((context) => {
  if (context.task.result?.state === 'fail') for (const app of apps) app.showOutput();
});

afterAll(async () => {
  await Promise.all(
    apps.map(
      (app) =>
        new Promise<void>((resolve) => {
          if (app.child.exitCode !== null || app.child.signalCode !== null) return resolve();
          app.child.once('exit', () => resolve());
          app.child.kill('SIGTERM');
        }),
    ),
  );
  await azurite?.stop();
  await stand?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const api = (base: string, userId: string, method: string, path: string, body?: unknown) => stand.api(base, userId, method, path, body);
const teamPath = `/api/teams/${ward.id}`;
const rowsOf = (body: unknown) => (body as { rows: { patientId: string }[] }).rows.map((r) => r.patientId);

describe('two app instances against the same Graph and audit table', () => {
  const patientIds: string[] = [];
  const acknowledged: { instance: 'a' | 'b'; requestId: string; operation: string; patientId?: string }[] = [];
  const via = (instance: 'a' | 'b') => (instance === 'a' ? a : b);

  it('a new team set up through both instances at once ends with one set of lists that both show', { timeout: 60_000 }, async () => {
    const connect = await api(a, owner, 'PUT', `${teamPath}/connection`, { mode: 'ehr', url: stand.info.sandbox.fhir.r4, name: 'Ward EHR' });
    expect(connect.status).toBe(200);
    // The team's first lists, created through both instances at the same moment: the team
    // site's catalog of lists must come out as one, not one per instance.
    const names = ['Morning', 'Evening', 'Night', 'Handoff', 'Discharge', 'Watch'];
    const created = await Promise.all(names.map((name, i) => api(i % 2 ? b : a, person(i + 1), 'POST', `${teamPath}/lists`, { name })));
    expect(created.map((r) => r.status)).toEqual(names.map(() => 201));
    const ids = created.map((r) => (r.body as { id: string }).id).sort();
    for (const base of [a, b]) {
      const lists = await api(base, person(7), 'GET', `${teamPath}/lists`);
      expect(lists.status).toBe(200);
      expect((lists.body as { id: string }[]).map((l) => l.id).sort()).toEqual(ids);
    }
  });

  it('patients put on one list through both instances at the same moment are all on it, once each', { timeout: 90_000 }, async () => {
    for (const gender of ['female', 'male']) {
      const search = await api(a, person(8), 'GET', `${teamPath}/patients?gender=${gender}&count=30`);
      expect(search.status).toBe(200);
      patientIds.push(...(search.body as { patients: { id: string }[] }).patients.map((p) => p.id));
    }
    expect(patientIds.length).toBeGreaterThanOrEqual(24);
    const list = await api(a, person(9), 'POST', `${teamPath}/lists`, { name: 'Shared rounds' });
    const listId = (list.body as { id: string }).id;
    // 10 patients through each instance, one call each, and the first 4 of each sent through
    // the other instance as well, all at the same time.
    const mine = { a: patientIds.slice(0, 10), b: patientIds.slice(10, 20) };
    const calls = [
      ...mine.a.map((id) => ({ instance: 'a' as const, id })),
      ...mine.b.map((id) => ({ instance: 'b' as const, id })),
      ...mine.a.slice(0, 4).map((id) => ({ instance: 'b' as const, id })),
      ...mine.b.slice(0, 4).map((id) => ({ instance: 'a' as const, id })),
    ];
    const answers = await Promise.all(
      calls.map((c, i) => api(via(c.instance), person(i), 'POST', `${teamPath}/lists/${listId}/patients`, { patientIds: [c.id] })),
    );
    expect(answers.map((r) => r.status)).toEqual(calls.map(() => 200));
    answers.forEach((r, i) =>
      acknowledged.push({ instance: calls[i].instance, requestId: r.requestId!, operation: 'PatientListAddPatient', patientId: calls[i].id }),
    );

    // Then, at once: 5 taken off through one instance while 4 others go on through the other.
    const off = mine.a.slice(5, 10);
    const on = patientIds.slice(20, 24);
    const second = await Promise.all([
      ...off.map((id, i) => api(a, person(i + 2), 'DELETE', `${teamPath}/lists/${listId}/patients/${id}`)),
      ...on.map((id, i) => api(b, person(i + 7), 'POST', `${teamPath}/lists/${listId}/patients`, { patientIds: [id] })),
    ]);
    expect(second.map((r) => r.status)).toEqual([...off.map(() => 204), ...on.map(() => 200)]);
    second.forEach((r, i) =>
      acknowledged.push(
        i < off.length
          ? { instance: 'a', requestId: r.requestId!, operation: 'PatientListRemovePatient', patientId: off[i] }
          : { instance: 'b', requestId: r.requestId!, operation: 'PatientListAddPatient', patientId: on[i - off.length] },
      ),
    );

    const expected = [...mine.a.slice(0, 5), ...mine.b, ...on].sort();
    for (const [i, base] of [a, b].entries()) {
      const read = await api(base, person(10 + i), 'GET', `${teamPath}/lists/${listId}`);
      expect(read.status).toBe(200);
      expect(rowsOf(read.body).sort()).toEqual(expected);
    }
  });

  it('notes written on one patient through both instances at the same moment are all kept', async () => {
    const patient = patientIds[0];
    const writes = people.map((userId, i) => ({ instance: i % 2 ? ('b' as const) : ('a' as const), userId, text: `Obs check ${i + 1}` }));
    const answers = await Promise.all(
      writes.map((w) => api(via(w.instance), w.userId, 'POST', `${teamPath}/patients/${patient}/notes`, { text: w.text })),
    );
    expect(answers.map((r) => r.status)).toEqual(writes.map(() => 201));
    answers.forEach((r, i) =>
      acknowledged.push({ instance: writes[i].instance, requestId: r.requestId!, operation: 'PatientNoteAdd', patientId: patient }),
    );
    for (const [i, base] of [a, b].entries()) {
      const notes = await api(base, person(3 + i), 'GET', `${teamPath}/patients/${patient}/notes`);
      expect(notes.status).toBe(200);
      expect((notes.body as { notes: { text: string }[] }).notes.map((n) => n.text).sort()).toEqual(writes.map((w) => w.text).sort());
    }
  });

  it("the audit trail read through either instance holds both instances' records", async () => {
    expect(acknowledged.filter((x) => x.instance === 'a').length).toBeGreaterThan(0);
    expect(acknowledged.filter((x) => x.instance === 'b').length).toBeGreaterThan(0);
    for (const base of [a, b]) {
      const audit = await api(base, auditReader, 'GET', `/api/audit?team=${ward.id}&limit=50000`);
      expect(audit.status).toBe(200);
      const events = (audit.body as { events: { requestId: string; operation: string; patientId: string | null; outcome: string }[] }).events;
      const adds = acknowledged.filter((x) => x.operation === 'PatientListAddPatient');
      for (const change of acknowledged.filter((x) => x.operation !== 'PatientListAddPatient')) {
        expect(events, `${change.operation} through instance ${change.instance}`).toContainEqual(
          expect.objectContaining({ requestId: change.requestId, operation: change.operation, patientId: change.patientId, outcome: 'success' }),
        );
      }
      // An add names only the patients it put on the list: each patient sent through both instances
      // at once has one add record, by one of the calls that sent it.
      for (const patientId of new Set(adds.map((x) => x.patientId))) {
        const sent = new Set(adds.filter((x) => x.patientId === patientId).map((x) => x.requestId));
        const added = events.filter(
          (e) => e.operation === 'PatientListAddPatient' && e.patientId === patientId && e.outcome === 'success' && sent.has(e.requestId),
        );
        expect(added, `PatientListAddPatient of ${patientId}`).toHaveLength(1);
      }
    }
  });

  it('a rename, a deleted list and a new connection name made through one instance show at once through the other', async () => {
    const list = await api(a, person(4), 'POST', `${teamPath}/lists`, { name: 'Before rename' });
    expect(list.status).toBe(201);
    const listId = (list.body as { id: string }).id;
    // Instance b reads the list now, then a renames it: b must not answer from what it read.
    expect((await api(b, person(5), 'GET', `${teamPath}/lists/${listId}`)).body).toMatchObject({ name: 'Before rename' });
    expect((await api(a, person(4), 'PATCH', `${teamPath}/lists/${listId}`, { name: 'After rename' })).status).toBe(200);
    expect((await api(b, person(5), 'GET', `${teamPath}/lists/${listId}`)).body).toMatchObject({ name: 'After rename' });
    expect((await api(a, person(4), 'DELETE', `${teamPath}/lists/${listId}`)).status).toBe(204);
    expect((await api(b, person(5), 'GET', `${teamPath}/lists/${listId}`)).status).toBe(404);

    expect((await api(b, person(6), 'GET', `${teamPath}/connection`)).body).toMatchObject({ name: 'Ward EHR' });
    const rename = await api(a, owner, 'PUT', `${teamPath}/connection`, { mode: 'ehr', url: stand.info.sandbox.fhir.r4, name: 'Ward EHR (R4)' });
    expect(rename.status).toBe(200);
    expect((await api(b, person(6), 'GET', `${teamPath}/connection`)).body).toMatchObject({ name: 'Ward EHR (R4)' });
  });

  it('a download link issued by one instance downloads once through the other; a file previewed through one imports through the other', async () => {
    const list = await api(a, person(2), 'POST', `${teamPath}/lists`, { name: 'Export rounds' });
    const listId = (list.body as { id: string }).id;
    const onList = patientIds.slice(0, 3);
    expect((await api(a, person(2), 'POST', `${teamPath}/lists/${listId}/patients`, { patientIds: onList })).status).toBe(200);
    for (const [issuer, other] of [
      [a, b],
      [b, a],
    ]) {
      const link = await api(issuer, person(2), 'POST', `${teamPath}/lists/${listId}/export`, { timeZone: 'Europe/Warsaw' });
      expect(link.status).toBe(201);
      const { url } = link.body as { url: string };
      // The link carries no Bearer token: the browser opens it as it is, and any instance may answer.
      const download = await fetch(`${other}${url}`);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toContain('text/csv');
      const lines = (await download.text())
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      expect(lines[0]).toMatch(/^Name,MRN,/);
      expect(lines).toHaveLength(1 + onList.length);
      // Used once: neither instance answers it again.
      for (const base of [issuer, other]) {
        const again = await fetch(`${base}${url}`);
        expect(again.status).toBe(404);
        expect(((await again.json()) as { message: string }).message).toMatch(/used already/);
      }
    }

    const manualPath = `/api/teams/${manualWard.id}`;
    expect((await api(a, owner, 'PUT', `${manualPath}/connection`, { mode: 'manual' })).status).toBe(200);
    const csv = 'Name;MRN\r\nAda Lovelace;SCALE-1\r\nGrace Hopper;SCALE-2\r\n';
    const sent = await fetch(`${a}${manualPath}/manual-import/file`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await stand.tokenFor(owner)}`, 'content-type': 'application/octet-stream', 'x-file-name': 'day-unit.csv' },
      body: csv,
    });
    expect(sent.status).toBe(200);
    const { token, mapping } = (await sent.json()) as { token: string; mapping: unknown[] };
    const preview = await api(a, owner, 'POST', `${manualPath}/manual-import/preview`, { token, mapping });
    expect(preview).toMatchObject({ status: 200, body: { valid: 2, invalid: 0 } });
    const imported = await api(b, owner, 'POST', `${manualPath}/manual-import/confirm`, { token, mapping, mode: 'all' });
    expect(imported).toMatchObject({ status: 201, body: { imported: 2 } });
    // The upload is used up on both instances.
    expect((await api(a, owner, 'POST', `${manualPath}/manual-import/confirm`, { token, mapping, mode: 'all' })).status).toBe(404);
    for (const base of [a, b]) {
      const patients = await api(base, person(3), 'GET', `${manualPath}/manual-patients`);
      expect((patients.body as { patients: { name: string }[] }).patients.map((p) => p.name).sort()).toEqual(['Ada Lovelace', 'Grace Hopper']);
    }
  });

  it(
    'a member taken off the team is refused by both instances within the minute membership is cached',
    { timeout: MEMBERSHIP_STALENESS_MS + 30_000 },
    async () => {
      const leaver = person(10);
      // Both instances hold the leaver's membership now.
      for (const base of [a, b]) expect((await api(base, leaver, 'GET', `${teamPath}/lists`)).status).toBe(200);
      stand.graph.setPeople(
        tenantId,
        ward.id,
        [owner],
        people.filter((id) => id !== leaver),
      );
      const removedAt = Date.now();
      const refusedAfter: Record<string, number> = {};
      while (Object.keys(refusedAfter).length < 2 && Date.now() - removedAt < MEMBERSHIP_STALENESS_MS + 10_000) {
        for (const [name, base] of Object.entries({ a, b })) {
          if (name in refusedAfter) continue;
          const answer = await api(base, leaver, 'GET', `${teamPath}/lists`);
          if (answer.status === 403) refusedAfter[name] = Date.now() - removedAt;
          else expect(answer, 'a member while cached').toMatchObject({ status: 200 });
        }
        // Every few seconds, as a page left open does: each read spends the person's SharePoint budget.
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      // Refused by both, each within the staleness (plus the time between two tries).
      expect(Object.keys(refusedAfter).sort()).toEqual(['a', 'b']);
      for (const ms of Object.values(refusedAfter)) expect(ms).toBeLessThanOrEqual(MEMBERSHIP_STALENESS_MS + POLL_MS + 2_000);
    },
  );
});
