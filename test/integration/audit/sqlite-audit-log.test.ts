import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openSqliteAuditLog } from '../../../server/storage/sqlite/sqlite-audit-log';
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
