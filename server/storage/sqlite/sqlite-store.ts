import type Database from 'better-sqlite3';
import { importAuditFile, sqliteAuditLog } from './sqlite-audit-log.js';
import { sqliteListOps } from './sqlite-lists.js';
import { sqliteDischargeOps } from './sqlite-discharge.js';
import { sqliteManualOps } from './sqlite-manual.js';
import { sqliteManualCreateOps } from './sqlite-manual-create.js';
import { migrations } from './sqlite-migrations.js';
import { fileInPlace, openPrivateDatabase, warnIfJournalShared } from './sqlite-file.js';
import { sqliteNoteOps } from './sqlite-notes.js';
import { committer, type Commit } from '../store-audit.js';
import type { AuditingTeamStore, AuditOf, Connection, TeamKey } from '../ports.js';

/**
 * Opens (creating and migrating as needed) the SQLite file that holds every team's data and the
 * audit trail, so that each change commits together with its audit records. The folder and files
 * it creates are the server account's only (sqlite-file.ts); a file of a newer release, whose
 * schema is beyond this release's migrations, is refused (NewerSchemaError), before anything is written.
 */
export function openSqliteStore(file: string, options: { importAuditFrom?: string } = {}): AuditingTeamStore {
  const db = openPrivateDatabase(file, migrations.length);
  db.pragma('journal_mode = WAL');
  warnIfJournalShared(file);
  // FULL: a write acknowledged to a caller survives a crash of the process or the machine.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  let audit: ReturnType<typeof sqliteAuditLog>;
  let inPlace: () => void;
  try {
    inPlace = fileInPlace(file);
    migrate(db);
    audit = sqliteAuditLog(db, inPlace);
    // The trail of an earlier version, kept in a file of its own, moves in once.
    if (options.importAuditFrom) importAuditFile(db, options.importAuditFrom);
  } catch (error) {
    db.close();
    throw error;
  }
  const audited = committer(audit);
  // Inside each change's transaction: into a file no longer in DATA_DIR, the change rolls back.
  const commit: Commit = (value, record) => {
    inPlace();
    return audited(value, record);
  };
  // Readiness: one committed write (to a table of its own, never the audit trail), so a full or
  // read-only disk shows; the audit trail lives in this file and is as writable as it is.
  // It waits briefly for a lock another process holds: the wait blocks the event loop.
  const writable = async () => {
    inPlace();
    db.pragma('busy_timeout = 250');
    try {
      db.exec('CREATE TABLE IF NOT EXISTS readiness_probe (id INTEGER PRIMARY KEY CHECK (id = 1), checked_at TEXT NOT NULL)');
      db.prepare('INSERT INTO readiness_probe (id, checked_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at').run(
        new Date().toISOString(),
      );
    } finally {
      db.pragma('busy_timeout = 5000');
    }
  };
  audit.ready = writable;

  const connection = db.prepare('SELECT connection FROM team_settings WHERE tenant_id = ? AND team_id = ?');
  const upsertConnection = db.prepare(
    `INSERT INTO team_settings (tenant_id, team_id, connection, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id, team_id) DO UPDATE SET connection = excluded.connection,
       updated_by = excluded.updated_by, updated_at = excluded.updated_at, version = version + 1`,
  );

  const setConnection = db.transaction((team: TeamKey, value: Connection, userId: string, record?: AuditOf<Connection>) => {
    upsertConnection.run(team.tenantId, team.teamId, JSON.stringify(value), userId, new Date().toISOString());
    return commit(value, record);
  });

  return {
    audit,
    async getConnection(team) {
      const row = connection.get(team.tenantId, team.teamId) as { connection: string } | undefined;
      return row ? (JSON.parse(row.connection) as Connection) : { mode: 'unset' };
    },
    async setConnection(team, value, userId, record) {
      return setConnection(team, value, userId, record);
    },
    ...sqliteListOps(db, commit),
    ...sqliteNoteOps(db, commit),
    ...sqliteManualOps(db, commit),
    ...sqliteManualCreateOps(db, commit),
    ...sqliteDischargeOps(db, commit),
    ready: writable,
    async close() {
      db.close();
    },
  };
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
