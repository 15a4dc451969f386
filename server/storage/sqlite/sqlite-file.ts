import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, fchmodSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { logger } from '../../platform/logger.js';
import { AuditStoreError } from '../audit-store-error.js';

/** The data folder: this account only. */
const FOLDER_MODE = 0o700;
/** A database file: this account only. SQLite gives its -wal and -shm files the same mode. */
const FILE_MODE = 0o600;

/**
 * A database file written by a newer release of the app (a rollback): its schema is beyond the
 * migrations this release knows, and this release would read and write it wrongly, so it is not opened.
 */
export class NewerSchemaError extends Error {
  override name = 'NewerSchemaError';
  constructor(
    readonly file: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `${file} has schema version ${found}, newer than this release knows (${known}): a newer release of Patients wrote it. Start that release again, or restore a backup of DATA_DIR made for this one; this release does not open the file.`,
    );
  }
}

/**
 * Opens one of the app's SQLite files, private to the account the server runs as whatever the
 * umask: a folder it creates is 0700, a file it creates 0600 (and so its -wal and -shm files). A
 * folder or file that exists already keeps its mode (the admin's choice); if other local users may
 * read it, one warning line names it. A file whose schema version (`user_version`) is above
 * `knownVersion` is refused with a NewerSchemaError.
 */
export function openPrivateDatabase(file: string, knownVersion: number): Database.Database {
  const folder = dirname(file);
  if (mkdirSync(folder, { recursive: true, mode: FOLDER_MODE }) === undefined) warnIfShared(folder);
  else chmodSync(folder, FOLDER_MODE);
  if (!createPrivateFile(file)) warnIfShared(file);
  const db = new Database(file);
  try {
    const found = db.pragma('user_version', { simple: true }) as number;
    if (found > knownVersion) throw new NewerSchemaError(file, found, knownVersion);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * A check, run before every write, that `file` still names the database that is open. One deleted,
 * moved or replaced while the server runs (DATA_DIR removed, its volume unmounted) would go on
 * taking writes into the unlinked file, each acknowledged and all lost at the next start. The write
 * fails instead, with AuditStoreError (the audit trail is in that file too), and so does readiness.
 */
export function fileInPlace(file: string): () => void {
  const opened = statSync(file);
  return () => {
    let now: ReturnType<typeof statSync> | undefined;
    try {
      now = statSync(file, { throwIfNoEntry: false });
    } catch {
      // An unreadable path (a volume gone: EIO, ESTALE) is no database in place either.
    }
    if (now?.ino !== opened.ino || now.dev !== opened.dev)
      throw new AuditStoreError(
        'the SQLite file is no longer in DATA_DIR (deleted, moved or replaced while the server ran): nothing is written; put DATA_DIR back and restart the server',
      );
  };
}

/**
 * After the journal files exist (journal_mode = WAL): names any left from earlier that other users
 * may read, when the database file itself is private (otherwise its own warning says it).
 */
export function warnIfJournalShared(file: string): void {
  if (isShared(file)) return;
  for (const suffix of ['-wal', '-shm']) warnIfShared(`${file}${suffix}`);
}

/** Creates an empty file (an empty database to SQLite) with FILE_MODE; false when it exists already. */
function createPrivateFile(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    // The mode asked for at open is narrowed by the umask, never widened: set exactly.
    fchmodSync(fd, FILE_MODE);
  } finally {
    closeSync(fd);
  }
  return true;
}

function isShared(path: string): boolean {
  return existsSync(path) && (statSync(path).mode & 0o077) !== 0;
}

function warnIfShared(path: string): void {
  if (!isShared(path)) return;
  const mode = (statSync(path).mode & 0o777).toString(8).padStart(4, '0');
  logger.warn(
    { path, mode },
    `${path} is open to other local users (mode ${mode}) and holds patient data: make it readable by the server's account only (chmod 700 for DATA_DIR, 600 for its files)`,
  );
}
