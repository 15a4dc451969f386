import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditEvent } from '../../../contract/audit.js';
import type { AuditLog, AuditQuery } from '../ports.js';

const schema = `
  CREATE TABLE IF NOT EXISTS audit_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL,
    operation TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),
    status INTEGER NOT NULL,
    tenant_id TEXT NOT NULL,
    team_id TEXT,
    user_id TEXT NOT NULL,
    patient_id TEXT,
    list_id TEXT,
    request_id TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS audit_by_tenant_time ON audit_events (tenant_id, time);
  CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
  CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
`;

const columns = 'time, operation, outcome, status, tenant_id, team_id, user_id, patient_id, list_id, request_id';

/** The audit trail in a SQLite file of its own, append-only (triggers refuse updates and deletes). */
export function openSqliteAuditLog(file: string): AuditLog {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const log = sqliteAuditLog(db);
  return { ...log, close: () => db.close() };
}

/**
 * The audit trail as a table of an open database. The SQLite team store keeps it in its own
 * file, so that a change and its audit records commit in one transaction: appended inside a
 * store transaction, they join it. `close` leaves the database to its owner.
 */
export function sqliteAuditLog(db: Database.Database): AuditLog {
  db.exec(schema);
  const insert = db.prepare(
    `INSERT INTO audit_events (${columns})
     VALUES (@time, @operation, @outcome, @status, @tenantId, @teamId, @userId, @patientId, @listId, @requestId)`,
  );
  const appendAll = db.transaction((events: AuditEvent[]) => {
    for (const event of events) insert.run(event);
  });
  return {
    append(...events) {
      if (events.length > 0) appendAll(events);
    },
    query(q: AuditQuery) {
      const where = ['tenant_id = @tenantId'];
      if (q.from) where.push('time >= @from');
      if (q.to) where.push('time <= @to');
      if (q.userId) where.push('user_id = @userId');
      if (q.patientId) where.push('patient_id = @patientId');
      if (q.operation) where.push('operation = @operation');
      return db
        .prepare(
          `SELECT time, operation, outcome, status, tenant_id AS tenantId, team_id AS teamId, user_id AS userId,
                  patient_id AS patientId, list_id AS listId, request_id AS requestId
           FROM audit_events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT @limit`,
        )
        .all({ from: null, to: null, userId: null, patientId: null, operation: null, ...q }) as AuditEvent[];
    },
    close() {},
  };
}

/**
 * Brings the records of an audit file of an earlier version (the trail had a file of its own)
 * into the store's database once, in their order, then renames the old file so it is not read twice.
 */
export function importAuditFile(db: Database.Database, file: string): number {
  if (!existsSync(file)) return 0;
  db.prepare('ATTACH DATABASE ? AS earlier').run(file);
  let copied = 0;
  try {
    const hasTable = db.prepare("SELECT 1 FROM earlier.sqlite_master WHERE type = 'table' AND name = 'audit_events'").get();
    if (hasTable)
      copied = db.prepare(`INSERT INTO main.audit_events (${columns}) SELECT ${columns} FROM earlier.audit_events ORDER BY seq`).run().changes;
  } finally {
    db.exec('DETACH DATABASE earlier');
  }
  renameSync(file, `${file}.imported`);
  for (const suffix of ['-wal', '-shm']) if (existsSync(`${file}${suffix}`)) renameSync(`${file}${suffix}`, `${file}.imported${suffix}`);
  return copied;
}
