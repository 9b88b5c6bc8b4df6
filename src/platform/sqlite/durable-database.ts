import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';

/**
 * Opens an SQLite file the way every store of the ledger needs it: WAL so readers never block the
 * writer, synchronous=FULL so an acknowledged write survives power loss, and a busy timeout so
 * writers in several processes queue instead of failing. `prepare` creates or migrates the schema;
 * if it throws, the connection is closed and the error passed on.
 */
export function openDurableDatabase(filename: string, prepare: (db: Database) => void): Database {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  const db = new BetterSqlite3(filename);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    prepare(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
