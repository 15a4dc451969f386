import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { AuditStoreError } from '../../../server/storage/audit-store-error';
import { openSqliteAuditLog, sqliteAuditLog } from '../../../server/storage/sqlite/sqlite-audit-log';
import { auditLogContract, event, readAll } from './audit-log-contract';

const dir = mkdtempSync(join(tmpdir(), 'patients-audit-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

auditLogContract('SQLite', async () => openSqliteAuditLog(join(dir, `audit-${++files}.sqlite`)));

it('SQLite: refuses to change or delete a record, even to someone with the file', async () => {
  const file = join(dir, 'locked.sqlite');
  const log = openSqliteAuditLog(file);
  await log.append(event({}));
  await log.close();
  const db = new Database(file);
  expect(() => db.prepare("UPDATE audit_events SET outcome = 'failure'").run()).toThrow('append-only');
  expect(() => db.prepare('DELETE FROM audit_events').run()).toThrow('append-only');
  db.close();
  const again = openSqliteAuditLog(file);
  expect(await readAll(again.query({ tenantId: 'tenant-a', limit: 10 }))).toEqual([event({})]);
  await again.close();
});

it('SQLite: a trail that cannot be written fails with audit_unavailable, naming the database error for the log only', async () => {
  const file = join(dir, 'read-only.sqlite');
  const log = openSqliteAuditLog(file);
  await log.append(event({}));
  await log.close();
  // The same file opened read-only: as a full or read-only disk would refuse the write.
  const db = new Database(file, { readonly: true });
  const readOnly = sqliteAuditLog(db);
  const failed = await readOnly.append(event({ requestId: 'req-2' })).catch((error: unknown) => error);
  expect(failed).toBeInstanceOf(AuditStoreError);
  expect(failed).toMatchObject({ code: 'audit_unavailable', detail: 'appending failed (SQLITE_READONLY)' });
  expect((failed as Error).message).toMatch(/audit trail could not be written/);
  expect(await readAll(readOnly.query({ tenantId: 'tenant-a', limit: 10 }))).toEqual([event({})]);
  db.close();
});
