import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../server/storage/sqlite/sqlite-store';
import { migrations } from '../../../server/storage/sqlite/sqlite-migrations';
import type { TeamStore } from '../../../server/storage/ports';
import { valueOf } from '../../../server/features/shared/outcomes';

/** The records of an audit query (Array.fromAsync needs Node 22). */
async function readAll<T>(records: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const record of records) all.push(record);
  return all;
}

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
    const list = valueOf(await store.createList(teamA, 'Rounds', 'u1'));
    await store.addPatients(teamA, list.id, ['p2', 'p1', 'p2'], 'u1');
    await store.addPatients(teamA, list.id, ['p1', 'p3'], 'u2');
    await store.setConnection(teamA, { mode: 'manual' }, 'u1');
    await store.close();

    store = openSqliteStore(file);
    expect(await store.getList(teamA, list.id)).toMatchObject({ id: list.id, name: 'Rounds', patientIds: ['p2', 'p1', 'p3'] });
    expect(await store.listLists(teamA)).toEqual([{ id: list.id, name: 'Rounds', patientCount: 3 }]);
    expect(await store.getConnection(teamA)).toEqual({ mode: 'manual' });
  });

  it('removes a patient and says when it was not there', async () => {
    const list = valueOf(await store.createList(teamA, 'Rounds', 'u1'));
    await store.addPatients(teamA, list.id, ['p1', 'p2'], 'u1');
    expect(await store.removePatient(teamA, list.id, 'p1')).toEqual({ ok: true, value: undefined });
    expect(await store.removePatient(teamA, list.id, 'p1')).toEqual({ ok: false, reason: 'not_on_list' });
    expect((await store.getList(teamA, list.id))?.patientIds).toEqual(['p2']);
  });

  it("never shows one tenant's lists to another with the same team id", async () => {
    const list = valueOf(await store.createList(teamA, 'Rounds', 'u1'));
    expect(await store.listLists(teamB)).toEqual([]);
    expect(await store.getList(teamB, list.id)).toBeNull();
    expect(await store.addPatients(teamB, list.id, ['p1'], 'u9')).toEqual({ ok: false, reason: 'no_list' });
    expect(await store.removePatient(teamB, list.id, 'p1')).toEqual({ ok: false, reason: 'no_list' });
    expect((await store.getList(teamA, list.id))?.patientIds).toEqual([]);
  });

  it('runs in WAL mode with the schema version recorded', async () => {
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    db.close();
    store = openSqliteStore(file);
  });

  it('renames and sets columns against the version read, refusing a stale one', async () => {
    const list = valueOf(await store.createList(teamA, 'Rounds', 'u1'));
    const read = (await store.getList(teamA, list.id))!;
    expect(read).toMatchObject({ columns: ['name', 'mrn', 'birthDate', 'gender'], version: 1 });
    const first = await store.updateList(teamA, list.id, { name: 'Morning rounds' }, read.version);
    expect(first).toMatchObject({ ok: true, value: { name: 'Morning rounds', version: 2 } });
    expect(await store.updateList(teamA, list.id, { name: 'Evening rounds' }, read.version)).toEqual({ ok: false, reason: 'conflict' });
    const cols = await store.updateList(teamA, list.id, { columns: ['name', 'location', 'heartRate'] });
    expect(cols).toMatchObject({ ok: true, value: { name: 'Morning rounds', columns: ['name', 'location', 'heartRate'], version: 3 } });
    expect(await store.updateList(teamB, list.id, { name: 'x' })).toEqual({ ok: false, reason: 'no_list' });
  });

  it('moves a patient between lists and deletes a list with its patients and default marks', async () => {
    const a = valueOf(await store.createList(teamA, 'A', 'u1'));
    const b = valueOf(await store.createList(teamA, 'B', 'u1'));
    await store.addPatients(teamA, a.id, ['p1', 'p2'], 'u1');
    expect(await store.movePatient(teamA, a.id, b.id, 'p1', 'u1')).toEqual({ ok: true, value: { added: true } });
    expect(await store.movePatient(teamA, a.id, b.id, 'p1', 'u1')).toEqual({ ok: false, reason: 'not_on_list' });
    expect(await store.movePatient(teamB, a.id, b.id, 'p2', 'u1')).toEqual({ ok: false, reason: 'no_list' });
    expect((await store.getList(teamA, a.id))?.patientIds).toEqual(['p2']);
    expect((await store.getList(teamA, b.id))?.patientIds).toEqual(['p1']);

    expect(await store.setDefaultList(teamA, 'u1', b.id)).toEqual({ ok: true, value: undefined });
    expect(await store.setDefaultList(teamB, 'u1', b.id)).toEqual({ ok: false, reason: 'no_list' });
    expect(await store.defaultListId(teamA, 'u1')).toBe(b.id);
    expect(await store.defaultListId(teamA, 'u2')).toBeNull();
    expect(await store.deleteList(teamA, b.id)).toEqual({ ok: true, value: { patientIds: ['p1'] } });
    expect(await store.deleteList(teamA, b.id)).toEqual({ ok: false, reason: 'no_list' });
    expect(await store.defaultListId(teamA, 'u1')).toBeNull();
    expect((await store.listLists(teamA)).map((l) => l.name)).toEqual(['A']);
  });

  it('keeps team notes per patient, oldest first, apart from other teams', async () => {
    await store.addNote(teamA, 'p1', { id: 'u1', name: 'Avery' }, 'NPO after midnight');
    await store.addNote(teamA, 'p1', { id: 'u2', name: 'Blake' }, 'Family visiting at 3');
    await store.addNote(teamB, 'p1', { id: 'u9', name: 'Zed' }, 'elsewhere');
    const notes = await store.listNotes(teamA, 'p1');
    expect(notes.map((n) => [n.authorName, n.text])).toEqual([
      ['Avery', 'NPO after midnight'],
      ['Blake', 'Family visiting at 3'],
    ]);
    expect(notes[0]).toMatchObject({ patientId: 'p1', authorId: 'u1', id: expect.any(String), createdAt: expect.any(String) });
  });

  it('migrates a file written before notes could be corrected: its notes read as version 1 and can be corrected', async () => {
    const old = join(dir, 'before-corrections.sqlite');
    const db = new Database(old);
    // The schema as it was when notes could only be added.
    for (const step of migrations.slice(0, 3)) db.exec(step);
    db.pragma('user_version = 3');
    db.prepare(
      `INSERT INTO notes (id, tenant_id, team_id, patient_id, author_id, author_name, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run('5d1f3a2e-0000-4000-8000-000000000001', teamA.tenantId, teamA.teamId, 'p1', 'u1', 'Avery', 'Allergic to latex', '2026-11-30T09:00:00.000Z');
    db.close();

    const migrated = openSqliteStore(old);
    try {
      const [note] = await migrated.listNotes(teamA, 'p1');
      expect(note).toEqual({
        id: '5d1f3a2e-0000-4000-8000-000000000001',
        patientId: 'p1',
        authorId: 'u1',
        authorName: 'Avery',
        text: 'Allergic to latex',
        createdAt: '2026-11-30T09:00:00.000Z',
        version: 1,
        editedAt: null,
        withdrawnAt: null,
        revisions: [],
      });
      const corrected = await migrated.reviseNote(teamA, 'p1', note.id, 'u1', 'Allergic to latex and penicillin', 1);
      expect(corrected).toMatchObject({ ok: true, value: { version: 2, revisions: [{ text: 'Allergic to latex', writtenAt: note.createdAt }] } });
    } finally {
      await migrated.close();
    }
  });
});

describe('SQLite team store and its audit trail', () => {
  const record = (operation: 'PatientListAddPatient' | 'PatientListCreate', patientId: string | null) => ({
    time: '2026-12-03T08:00:00.000Z',
    operation,
    outcome: 'success' as const,
    status: 200,
    tenantId: teamA.tenantId,
    teamId: teamA.teamId,
    userId: 'u1',
    patientId,
    listId: null,
    requestId: 'r1',
  });

  it('commits a change and its audit records together, or neither', async () => {
    const audited = openSqliteStore(join(dir, 'audited.sqlite'));
    const list = valueOf(await audited.createList(teamA, 'Rounds', 'u1', () => [record('PatientListCreate', null)]));
    await audited.addPatients(teamA, list.id, ['p1', 'p2'], 'u1', () => ['p1', 'p2'].map((id) => record('PatientListAddPatient', id)));
    // An audit record that cannot be written (append-only table refuses a bad row) takes its change with it.
    const broken = () => [{ ...record('PatientListAddPatient', 'p3'), outcome: 'maybe' as 'success' }];
    await expect(audited.addPatients(teamA, list.id, ['p3'], 'u1', broken)).rejects.toThrow();
    expect((await audited.getList(teamA, list.id))!.patientIds).toEqual(['p1', 'p2']);
    const trail = await readAll(audited.audit.query({ tenantId: teamA.tenantId, limit: 100 }));
    expect(trail.map((e) => [e.operation, e.patientId])).toEqual([
      ['PatientListCreate', null],
      ['PatientListAddPatient', 'p1'],
      ['PatientListAddPatient', 'p2'],
    ]);
    // A change that did not happen records nothing.
    expect(await audited.removePatient(teamA, list.id, 'nobody', () => [record('PatientListAddPatient', 'nobody')])).toEqual({
      ok: false,
      reason: 'not_on_list',
    });
    expect(await readAll(audited.audit.query({ tenantId: teamA.tenantId, limit: 100 }))).toHaveLength(3);
    await audited.close();
  });

  it('brings in the audit file of an earlier version once', async () => {
    const earlier = join(dir, 'audit.sqlite');
    const { openSqliteAuditLog } = await import('../../../server/storage/sqlite/sqlite-audit-log');
    const old = openSqliteAuditLog(earlier);
    await old.append(record('PatientListCreate', null), record('PatientListAddPatient', 'p9'));
    await old.close();
    const opened = openSqliteStore(join(dir, 'moved.sqlite'), { importAuditFrom: earlier });
    await opened.close();
    const again = openSqliteStore(join(dir, 'moved.sqlite'), { importAuditFrom: earlier });
    expect((await readAll(again.audit.query({ tenantId: teamA.tenantId, limit: 10 }))).map((e) => e.patientId)).toEqual([null, 'p9']);
    await again.close();
  });

  it('copies the earlier audit file once even when the process stopped before renaming it', async () => {
    const earlier = join(dir, 'audit.sqlite');
    const { openSqliteAuditLog } = await import('../../../server/storage/sqlite/sqlite-audit-log');
    const old = openSqliteAuditLog(earlier);
    await old.append(record('PatientListCreate', null), record('PatientListAddPatient', 'p9'));
    await old.close();
    copyFileSync(earlier, join(dir, 'audit.sqlite.kept'));
    await openSqliteStore(join(dir, 'upgraded.sqlite'), { importAuditFrom: earlier }).close();
    // As if the upgrade had been killed after the copy committed, before the rename: the file is still there.
    renameSync(join(dir, 'audit.sqlite.kept'), earlier);
    const restarted = openSqliteStore(join(dir, 'upgraded.sqlite'), { importAuditFrom: earlier });
    expect((await readAll(restarted.audit.query({ tenantId: teamA.tenantId, limit: 10 }))).map((e) => e.patientId)).toEqual([null, 'p9']);
    expect(existsSync(earlier)).toBe(false);
    await restarted.close();
  });
});
