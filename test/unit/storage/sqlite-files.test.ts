import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteAuditLog } from '../../../server/storage/sqlite/sqlite-audit-log';
import { NewerSchemaError } from '../../../server/storage/sqlite/sqlite-file';
import { migrations } from '../../../server/storage/sqlite/sqlite-migrations';
import { openSqliteStore } from '../../../server/storage/sqlite/sqlite-store';
import { captureLogs } from '../../helpers/log-capture';

/**
 * The SQLite files hold patient data and the audit trail: no other local user may read them. And
 * a release rolled back to must not open a database a newer release wrote.
 */
const logs = captureLogs();
const warnings = () => logs.map((line) => JSON.parse(line) as { level: number; msg: string; path?: string }).filter((line) => line.level === 40);
const modeOf = (path: string) => statSync(path).mode & 0o777;
const teamA = { tenantId: 'tenant-a', teamId: 'team-1' };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'patients-files-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `open` with `mask` as the process's umask (forks only: a worker thread may not set it). */
function withUmask<T>(mask: number, open: () => T): T {
  const before = process.umask(mask);
  try {
    return open();
  } finally {
    process.umask(before);
  }
}

describe('the data folder and files the server creates', () => {
  it.each(['022', '000', '002'])('are 0700 and 0600 (journal files included) whatever the umask (%s)', async (mask) => {
    const data = join(dir, 'data');
    const store = withUmask(parseInt(mask, 8), () => openSqliteStore(join(data, 'patients.sqlite')));
    try {
      await store.setConnection(teamA, { mode: 'unset' }, 'user-1');
      expect(modeOf(data).toString(8)).toBe('700');
      for (const name of ['patients.sqlite', 'patients.sqlite-wal', 'patients.sqlite-shm']) {
        expect(existsSync(join(data, name)), name).toBe(true);
        expect(modeOf(join(data, name)).toString(8), name).toBe('600');
      }
    } finally {
      await store.close();
    }
    expect(warnings()).toEqual([]);
  });

  it('makes an audit file of its own 0600 in a 0700 folder', async () => {
    const data = join(dir, 'audit-data');
    const log = withUmask(0o022, () => openSqliteAuditLog(join(data, 'audit.sqlite')));
    await log.close();
    expect(modeOf(data).toString(8)).toBe('700');
    for (const name of readdirSync(data)) expect(modeOf(join(data, name)).toString(8), name).toBe('600');
    expect(warnings()).toEqual([]);
  });

  it('leaves the mode of a folder and file the admin made, and says in one line each that other users may read them', async () => {
    const data = join(dir, 'shared');
    mkdirSync(data);
    chmodSync(data, 0o755);
    const file = join(data, 'patients.sqlite');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    const store = openSqliteStore(file);
    await store.close();
    expect(modeOf(data).toString(8)).toBe('755');
    expect(modeOf(file).toString(8)).toBe('644');
    expect(warnings().map((line) => line.path)).toEqual([data, file]);
    for (const line of warnings()) expect(line.msg).toContain(`${line.path} is open to other local users`);
  });

  it('says nothing of a private folder and file it did not create', async () => {
    const data = join(dir, 'private');
    mkdirSync(data, { mode: 0o700 });
    chmodSync(data, 0o700);
    await openSqliteStore(join(data, 'patients.sqlite')).close();
    await openSqliteStore(join(data, 'patients.sqlite')).close();
    expect(warnings()).toEqual([]);
  });
});

describe('a database of a newer release (rollback)', () => {
  it('refuses patients.sqlite whose schema is beyond this release, naming the file and both versions, and leaves it as it was', async () => {
    const file = join(dir, 'patients.sqlite');
    await openSqliteStore(file).close();
    const newer = new Database(file);
    newer.pragma(`user_version = ${migrations.length + 3}`);
    newer.close();
    const before = readdirSync(dir).sort();

    const error = (() => {
      try {
        openSqliteStore(file);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(NewerSchemaError);
    expect((error as Error).message).toBe(
      `${file} has schema version ${migrations.length + 3}, newer than this release knows (${migrations.length}): a newer release of Patients wrote it. Start that release again, or restore a backup of DATA_DIR made for this one; this release does not open the file.`,
    );
    expect(readdirSync(dir).sort()).toEqual(before);
    const after = new Database(file, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(migrations.length + 3);
    after.close();
  });

  it('opens a database at this release’s own version', async () => {
    const file = join(dir, 'patients.sqlite');
    await openSqliteStore(file).close();
    const store = openSqliteStore(file);
    expect(await store.getConnection(teamA)).toEqual({ mode: 'unset' });
    await store.close();
  });

  it('refuses an audit file with a schema version, whether opened on its own or imported', async () => {
    const audit = join(dir, 'audit.sqlite');
    const newer = new Database(audit);
    newer.pragma('user_version = 2');
    newer.close();
    expect(() => openSqliteAuditLog(audit)).toThrow(NewerSchemaError);
    expect(() => openSqliteAuditLog(audit)).toThrow(`${audit} has schema version 2, newer than this release knows (0)`);

    expect(() => openSqliteStore(join(dir, 'patients.sqlite'), { importAuditFrom: audit })).toThrow(
      `${audit} has schema version 2, newer than this release knows (0)`,
    );
    // Not renamed away as imported: the next start of the newer release still finds it.
    expect(existsSync(audit)).toBe(true);
    expect(existsSync(`${audit}.imported`)).toBe(false);
  });
});
