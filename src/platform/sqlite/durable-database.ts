import { closeSync, fchmodSync, fstatSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';

/**
 * Page cache of a connection that serves few pages or reads each page once: SQLite's own default.
 * better-sqlite3 builds SQLite with 16 MiB per connection, which every connection fills as it reads
 * (the server holds seven), so connections that gain nothing from it ask for less.
 */
export const SMALL_PAGE_CACHE_KIB = 2048;

export interface DurableDatabaseOptions {
  /** Upper bound of this connection's page cache; default better-sqlite3's 16 MiB. */
  pageCacheKib?: number;
}

/**
 * Opens an SQLite file the way every store of the ledger needs it: WAL so readers never block the
 * writer, synchronous=FULL so an acknowledged write survives power loss, and a busy timeout so
 * writers in several processes queue instead of failing. `prepare` creates or migrates the schema;
 * if it throws, the connection is closed and the error passed on.
 */
export function openDurableDatabase(filename: string, prepare: (db: Database) => void, options: DurableDatabaseOptions = {}): Database {
  if (filename !== ':memory:') createPrivately(filename);
  const db = new BetterSqlite3(filename);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    if (options.pageCacheKib !== undefined) setPageCache(db, options.pageCacheKib);
    prepare(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** A negative cache_size is KiB, whatever the page size. */
export function setPageCache(db: Database, kib: number): void {
  db.pragma(`cache_size = -${Math.max(1, Math.trunc(kib))}`);
}

/**
 * The ledger's databases hold personal data. SQLite creates a new file 0644 minus the umask and
 * gives its -wal and -shm the main file's mode, so creating the file 0600 first (exactly, whatever
 * the umask) keeps all three private. An existing file is left as found: start-up tightens those.
 */
function createPrivately(filename: string): void {
  mkdirSync(dirname(filename), { recursive: true, mode: 0o700 });
  const fd = openSync(filename, 'a', 0o600);
  try {
    if (fstatSync(fd).size === 0) fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}
