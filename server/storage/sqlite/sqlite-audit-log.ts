import type Database from 'better-sqlite3';
import { existsSync, renameSync } from 'node:fs';
import type { AuditEvent } from '../../../contract/audit.js';
import { AuditStoreError } from '../audit-store-error.js';
import { CodedError } from '../../platform/problem.js';
import { inclusiveEnd, parseAuditKey } from '../audit-range.js';
import type { AuditLog, AuditQuery } from '../ports.js';
import { fileInPlace, NewerSchemaError, openPrivateDatabase, warnIfJournalShared } from './sqlite-file.js';

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

/** Records read per statement: a page is read at once, so no statement stays open while the caller writes it out. */
const PAGE = 1000;

/** The audit log of a SQLite database, with the synchronous append the store's transactions use. */
export interface SqliteAuditLog extends AuditLog {
  /** Appends inside the caller's transaction (or in one of its own): the records commit with the change. */
  appendNow(events: AuditEvent[]): void;
}

/**
 * The schema version of an audit file of its own: this release never sets one, so a file with a
 * version was written by a newer release and is refused (NewerSchemaError).
 */
export const AUDIT_FILE_VERSION = 0;

/**
 * The audit trail in a SQLite file of its own, append-only (triggers refuse updates and deletes),
 * created private to the server's account (sqlite-file.ts).
 */
export function openSqliteAuditLog(file: string): AuditLog {
  const db = openPrivateDatabase(file, AUDIT_FILE_VERSION);
  db.pragma('journal_mode = WAL');
  warnIfJournalShared(file);
  db.pragma('synchronous = FULL');
  const log = sqliteAuditLog(db, fileInPlace(file));
  return {
    ready: log.ready,
    append: log.append,
    query: log.query,
    close: async () => {
      db.close();
    },
  };
}

/**
 * The audit trail as a table of an open database. The SQLite team store keeps it in its own
 * file, so that a change and its audit records commit in one transaction: appended inside a
 * store transaction, they join it. `close` leaves the database to its owner.
 */
export function sqliteAuditLog(db: Database.Database, inPlace: () => void = () => {}): SqliteAuditLog {
  db.exec(schema);
  const insert = db.prepare(
    `INSERT INTO audit_events (${columns})
     VALUES (@time, @operation, @outcome, @status, @tenantId, @teamId, @userId, @patientId, @listId, @requestId)`,
  );
  const appendAll = db.transaction((events: AuditEvent[]) => {
    for (const event of events) insert.run(event);
  });
  const appendNow = (events: AuditEvent[]) => {
    if (events.length === 0) return;
    inPlace();
    appendAll(events);
  };
  return {
    appendNow,
    /** Takes the write lock and lets it go: the file can be written now (busy or read-only fails), nothing written. */
    async ready() {
      inPlace();
      if (db.inTransaction) return;
      try {
        db.exec('BEGIN IMMEDIATE');
        db.exec('ROLLBACK');
      } catch (error) {
        throw storeError('taking the write lock', error);
      }
    },
    async append(...events) {
      try {
        appendNow(events);
      } catch (error) {
        throw storeError('appending', error);
      }
    },
    // A key to continue after is checked now, before anything is read.
    query: (q) => pages(db, q, startAfter(q.after)),
    async close() {},
  };
}

/** What failed, with SQLite's error code (`SQLITE_FULL`, `SQLITE_READONLY`…), never its message, which can quote values. */
function storeError(what: string, error: unknown): AuditStoreError {
  const code = (error as { code?: unknown })?.code;
  return new AuditStoreError(`${what} failed${typeof code === 'string' && /^SQLITE_\w+$/.test(code) ? ` (${code})` : ''}`);
}

/** A record's key (audit-range.ts): its time and its place in the order of appending. */
const keyOf = (time: string, seq: number) => `${time}|${String(seq).padStart(12, '0')}`;

/** Where a read continues after `after` (exclusive); from the start without it. Refuses a key not of this store. */
function startAfter(after: string | undefined): { afterTime: string; afterSeq: number } {
  if (after === undefined) return { afterTime: '', afterSeq: 0 };
  const key = parseAuditKey(after);
  if (!key || key.instance !== undefined) throw new CodedError('validation_failed', 'after: not a place in this audit trail.');
  return { afterTime: key.time, afterSeq: key.seq };
}

/**
 * Oldest first (time, then order of appending), a page per statement, keyed on the last record
 * read; after `q.after` when given, telling `q.onKey` each record's key.
 */
async function* pages(db: Database.Database, q: AuditQuery, start: { afterTime: string; afterSeq: number }): AsyncGenerator<AuditEvent> {
  let after = start;
  const where = ['tenant_id = @tenantId'];
  if (q.from) where.push('time >= @from');
  if (q.to) where.push('time <= @to');
  if (q.teamId) where.push('team_id = @teamId');
  if (q.userId) where.push('user_id = @userId');
  if (q.patientId) where.push('patient_id = @patientId');
  if (q.operation) where.push('operation = @operation');
  const page = db.prepare(
    `SELECT seq, time, operation, outcome, status, tenant_id AS tenantId, team_id AS teamId, user_id AS userId,
            patient_id AS patientId, list_id AS listId, request_id AS requestId
     FROM audit_events WHERE ${where.join(' AND ')} AND (time, seq) > (@afterTime, @afterSeq)
     ORDER BY time, seq LIMIT @pageSize`,
  );
  // Records hold UTC times (toISOString): bounds are compared in the same form, `to` up to the end of its stated precision.
  const utc = (time?: string) => (time ? new Date(time).toISOString() : null);
  const params = {
    tenantId: q.tenantId,
    teamId: q.teamId ?? null,
    userId: q.userId ?? null,
    patientId: q.patientId ?? null,
    operation: q.operation ?? null,
    from: utc(q.from),
    to: q.to ? inclusiveEnd(q.to) : null,
  };
  let left = q.limit;
  while (left > 0) {
    const rows = page.all({ ...params, ...after, pageSize: Math.min(PAGE, left) }) as (AuditEvent & { seq: number })[];
    for (const { seq, ...event } of rows) {
      after = { afterTime: event.time, afterSeq: seq };
      q.onKey?.(keyOf(event.time, seq));
      yield event;
    }
    left -= rows.length;
    if (rows.length < PAGE) return;
  }
}

/**
 * Brings the records of an audit file of an earlier version (the trail had a file of its own)
 * into the store's database once, in their order, then renames the old file so it is not read twice.
 * The copy commits with a note of the file it came from: a process stopped between the copy and
 * the rename (a kill, a full disk) copies nothing again at its next start, it only renames.
 */
export function importAuditFile(db: Database.Database, file: string): number {
  if (!existsSync(file)) return 0;
  // Kept beside the audit trail, outside the numbered migrations: an earlier release still opens the file.
  db.exec('CREATE TABLE IF NOT EXISTS imported_audit_files (file TEXT PRIMARY KEY, records INTEGER NOT NULL, imported_at TEXT NOT NULL)');
  db.prepare('ATTACH DATABASE ? AS earlier').run(file);
  let copied = 0;
  try {
    // A trail file of a newer release is not read (nor renamed away): the start stops, naming it.
    const version = db.pragma('earlier.user_version', { simple: true }) as number;
    if (version > AUDIT_FILE_VERSION) throw new NewerSchemaError(file, version, AUDIT_FILE_VERSION);
    const hasTable = db.prepare("SELECT 1 FROM earlier.sqlite_master WHERE type = 'table' AND name = 'audit_events'").get();
    const done = db.prepare('SELECT 1 FROM imported_audit_files WHERE file = ?').get(file);
    if (hasTable && !done)
      copied = db.transaction(() => {
        const changes = db
          .prepare(`INSERT INTO main.audit_events (${columns}) SELECT ${columns} FROM earlier.audit_events ORDER BY seq`)
          .run().changes;
        db.prepare('INSERT INTO imported_audit_files (file, records, imported_at) VALUES (?, ?, ?)').run(file, changes, new Date().toISOString());
        return changes;
      })();
  } finally {
    db.exec('DETACH DATABASE earlier');
  }
  renameSync(file, `${file}.imported`);
  for (const suffix of ['-wal', '-shm']) if (existsSync(`${file}${suffix}`)) renameSync(`${file}${suffix}`, `${file}.imported${suffix}`);
  return copied;
}
