import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../server/lists/sqlite-store';
import type { TeamStore } from '../../../server/lists/store';

const teamA = { tenantId: 'tenant-a', teamId: 'team-1' };
const teamB = { tenantId: 'tenant-b', teamId: 'team-1' };

let dir: string;
let file: string;
let store: TeamStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'patients-store-'));
  file = join(dir, 'nested', 'patients.sqlite');
  store = openSqliteStore(file);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SQLite team store', () => {
  it('creates the file, its schema, and starts with no connection and no lists', async () => {
    expect(await store.getConnection(teamA)).toEqual({ mode: 'unset' });
    expect(await store.listLists(teamA)).toEqual([]);
  });

  it('keeps lists, their patients in order, and the connection across a restart', async () => {
    const list = await store.createList(teamA, 'Rounds', 'u1');
    await store.addPatients(teamA, list.id, ['p2', 'p1', 'p2'], 'u1');
    await store.addPatients(teamA, list.id, ['p1', 'p3'], 'u2');
    await store.setConnection(teamA, { mode: 'manual' }, 'u1');
    await store.close();

    store = openSqliteStore(file);
    expect(await store.getList(teamA, list.id)).toEqual({ id: list.id, name: 'Rounds', patientIds: ['p2', 'p1', 'p3'] });
    expect(await store.listLists(teamA)).toEqual([{ id: list.id, name: 'Rounds', patientCount: 3 }]);
    expect(await store.getConnection(teamA)).toEqual({ mode: 'manual' });
  });

  it('removes a patient and says when it was not there', async () => {
    const list = await store.createList(teamA, 'Rounds', 'u1');
    await store.addPatients(teamA, list.id, ['p1', 'p2'], 'u1');
    expect(await store.removePatient(teamA, list.id, 'p1')).toBe(true);
    expect(await store.removePatient(teamA, list.id, 'p1')).toBe(false);
    expect((await store.getList(teamA, list.id))?.patientIds).toEqual(['p2']);
  });

  it("never shows one tenant's lists to another with the same team id", async () => {
    const list = await store.createList(teamA, 'Rounds', 'u1');
    expect(await store.listLists(teamB)).toEqual([]);
    expect(await store.getList(teamB, list.id)).toBeNull();
    expect(await store.addPatients(teamB, list.id, ['p1'], 'u9')).toBeNull();
    expect(await store.removePatient(teamB, list.id, 'p1')).toBeNull();
    expect((await store.getList(teamA, list.id))?.patientIds).toEqual([]);
  });

  it('runs in WAL mode with the schema version recorded', async () => {
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
    store = openSqliteStore(file);
  });
});
