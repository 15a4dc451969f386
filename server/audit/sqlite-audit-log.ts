import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditEvent, AuditLog, AuditQuery } from './events.js';

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

/** The audit trail in its own SQLite file, append-only (triggers refuse updates and deletes). */
export function openSqliteAuditLog(file: string): AuditLog {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(schema);
  const insert = db.prepare(
    `INSERT INTO audit_events (time, operation, outcome, status, tenant_id, team_id, user_id, patient_id, list_id, request_id)
     VALUES (@time, @operation, @outcome, @status, @tenantId, @teamId, @userId, @patientId, @listId, @requestId)`,
  );
  return {
    append(event) {
      insert.run(event);
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
    close() {
      db.close();
    },
  };
}
