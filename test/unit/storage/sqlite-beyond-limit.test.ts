import Database from 'better-sqlite3';
import express, { type Request, type Response } from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countingEhr } from '../../helpers/counting-ehr';
import { MAX_PATIENTS_PER_LIST } from '../../../contract/lists';
import { buildListView, sendListView } from '../../../server/features/lists/list-view';
import { exportList } from '../../../server/features/lists/list-export';
import { requestContext, withRequestContext } from '../../../server/platform/request-context';
import { valueOf } from '../../../server/features/shared/outcomes';
import { setConnection } from '../../../server/features/connection/connection-service';
import type { ApiDeps } from '../../../server/features/shared/deps';
import type { TeamStore } from '../../../server/storage/ports';
import { openSqliteStore } from '../../../server/storage/sqlite/sqlite-store';

// The SQLite file can be written outside the app, past its limit of MAX_PATIENTS_PER_LIST patients
// a list: a read gives the first ones added, up to the limit, and says how many more the list
// names; nothing past the limit is asked of the EHR, while removals and deletes still reach them.

const team = { tenantId: 'tenant-a', teamId: 'team-1' };
const OUTSIDE = MAX_PATIENTS_PER_LIST + 10;

let dir: string;
let file: string;
let store: TeamStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'patients-beyond-'));
  file = join(dir, 'patients.sqlite');
  store = openSqliteStore(file);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A list of two patients added through the store, then OUTSIDE more written straight into the file. */
async function overfullList() {
  await store.setConnection(
    team,
    { mode: 'ehr', url: 'https://ehr.example.org/fhir', name: 'EHR', fhirVersion: 'R4', auth: 'none', resources: ['Patient'] },
    'u1',
  );
  const list = valueOf(await store.createList(team, 'Ward', 'u1'));
  await store.addPatients(team, list.id, ['a0', 'a1'], 'u1');
  const db = new Database(file);
  const insert = db.prepare('INSERT INTO list_patients (list_id, patient_id, position, added_by, added_at) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < OUTSIDE; i++) insert.run(list.id, `x${i}`, 100 + i, 'outside', new Date().toISOString());
  })();
  db.close();
  const all = ['a0', 'a1', ...Array.from({ length: OUTSIDE }, (_, i) => `x${i}`)];
  return { id: list.id, all, beyond: all.length - MAX_PATIENTS_PER_LIST };
}

describe('a SQLite list written past its limit outside the app', () => {
  it('reads the first patients added, up to the limit, and how many more it names; counts every patient it names', async () => {
    const { id, all, beyond } = await overfullList();
    const list = (await store.getList(team, id))!;
    expect(list.patientIds).toEqual(all.slice(0, MAX_PATIENTS_PER_LIST));
    expect(list.beyondLimit).toBe(beyond);
    expect(await store.listLists(team)).toEqual([{ id, name: 'Ward', patientCount: all.length }]);
  });

  it('asks the EHR for the patients within the limit only, and says in the view how many more the list names', async () => {
    const { id, all, beyond } = await overfullList();
    const asked: string[][] = [];
    const view = await buildListView(store, countingEhr(asked), team, (await store.getList(team, id))!);
    expect(asked.flat()).toEqual(all.slice(0, MAX_PATIENTS_PER_LIST));
    expect(view.rows).toHaveLength(MAX_PATIENTS_PER_LIST);
    expect(view.beyondLimit).toBe(beyond);
  });

  it('exports the patients it shows, in a file whose name says they are the first of more', async () => {
    const { id, all } = await overfullList();
    const { filename, csv } = await new Promise<{ filename: string; csv: string }>((resolve, reject) =>
      withRequestContext({} as Request, { setHeader() {} } as unknown as Response, () => {
        const context = requestContext();
        context.caller = { tenantId: team.tenantId, userId: 'u1', roles: [] };
        context.audit = { operations: ['ExportInitiation'], teamId: team.teamId, listId: id, patientId: null, recorded: false };
        exportList({ store, ehr: countingEhr([]) } as unknown as ApiDeps, team, id, 'UTC').then(resolve, reject);
      }),
    );
    expect(filename).toBe(`Ward (first ${MAX_PATIENTS_PER_LIST} of ${all.length}).csv`);
    expect(csv.trimEnd().split('\r\n')).toHaveLength(MAX_PATIENTS_PER_LIST + 1);
  });

  it('sends how many more it names in the opening of the answer, as JSON and line by line', async () => {
    const { id, beyond } = await overfullList();
    const app = express().get('/view', async (_req, res) =>
      sendListView(res, store, countingEhr([]), team, {
        list: (await store.getList(team, id))!,
        recordRead: async () => undefined,
        recordFailed: async () => undefined,
      }),
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/view`;
    try {
      const json = (await (await fetch(url)).json()) as { rows: unknown[]; beyondLimit: number };
      expect(json.rows).toHaveLength(MAX_PATIENTS_PER_LIST);
      expect(json.beyondLimit).toBe(beyond);
      const lines = (await (await fetch(url, { headers: { accept: 'application/x-ndjson' } })).text()).trim().split('\n');
      expect(JSON.parse(lines[0])).toMatchObject({ list: { id, beyondLimit: beyond } });
      expect(lines).toHaveLength(MAX_PATIENTS_PER_LIST + 2);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses to add to it or move onto it, and still removes, and deletes, the patients past the limit', async () => {
    const { id, all, beyond } = await overfullList();
    expect(await store.addPatients(team, id, ['new'], 'u1')).toEqual({ ok: false, reason: 'list_full' });
    const other = valueOf(await store.createList(team, 'Other', 'u1'));
    await store.addPatients(team, other.id, ['mover'], 'u1');
    expect(await store.movePatient(team, other.id, id, 'mover', 'u1')).toEqual({ ok: false, reason: 'list_full' });

    const last = all[all.length - 1];
    expect(await store.removePatient(team, id, last)).toEqual({ ok: true, value: undefined });
    expect((await store.getList(team, id))!.beyondLimit).toBe(beyond - 1);
    // Taking one off the patients shown shows the next one added.
    expect(await store.removePatient(team, id, 'a0')).toEqual({ ok: true, value: undefined });
    const after = (await store.getList(team, id))!;
    expect(after.patientIds.at(-1)).toBe(all[MAX_PATIENTS_PER_LIST]);
    expect(after.beyondLimit).toBe(beyond - 2);

    const deleted = valueOf(await store.deleteList(team, id));
    expect(deleted.patientIds).toEqual(all.filter((p) => p !== 'a0' && p !== last));
  });

  it('gives no beyondLimit to a list at the limit', async () => {
    const list = valueOf(await store.createList(team, 'Full', 'u1'));
    await store.addPatients(
      team,
      list.id,
      Array.from({ length: MAX_PATIENTS_PER_LIST }, (_, i) => `p${i}`),
      'u1',
    );
    const read = (await store.getList(team, list.id))!;
    expect(read.patientIds).toHaveLength(MAX_PATIENTS_PER_LIST);
    expect(read).not.toHaveProperty('beyondLimit');
  });
});

describe('a change of source on a team with such a list', () => {
  it('asks first with the count of every patient it takes off, past the limit too', async () => {
    const { all } = await overfullList();
    const change = setConnection({ store, ehr: {} } as unknown as ApiDeps, team, { mode: 'manual' }, 'u1');
    await expect(change).rejects.toThrow(`${all.length} patients`);
  });
});
