import type { Database } from 'better-sqlite3';
import type { LogKeyRecord } from '../log-key-history';

interface Row {
  key_id: string;
  public_key: string;
  valid_from: string;
  announced_at: string | null;
}

/**
 * Every key that ever signed the log's heads, oldest first, in `log_keys` beside `tree_heads`:
 * the public half only, kept forever. Append-only (triggers refuse UPDATE and DELETE), like the
 * heads: a key's validity ends where the next row's begins, so nothing recorded needs changing.
 */
export class SqliteLogKeyStore {
  constructor(private readonly db: Database) {}

  setup(): void {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS log_keys (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        key_id TEXT NOT NULL UNIQUE,
        public_key TEXT NOT NULL,
        valid_from TEXT NOT NULL,
        announced_at TEXT
      );
      CREATE TRIGGER IF NOT EXISTS log_keys_no_update BEFORE UPDATE ON log_keys
        BEGIN SELECT RAISE(ABORT, 'log_keys is append-only: a key of the log is never changed'); END;
      CREATE TRIGGER IF NOT EXISTS log_keys_no_delete BEFORE DELETE ON log_keys
        BEGIN SELECT RAISE(ABORT, 'log_keys is append-only: a key of the log is never deleted'); END;
    `);
  }

  /** Every key, oldest first; empty when none was recorded (or, read-only, the table is missing: a release before rotation). */
  all(): LogKeyRecord[] {
    const exists = this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'log_keys'`).get();
    if (exists === undefined) return [];
    return this.db
      .prepare<[], Row>('SELECT key_id, public_key, valid_from, announced_at FROM log_keys ORDER BY seq')
      .all()
      .map((row) => ({ keyId: row.key_id, publicKey: row.public_key, validFrom: row.valid_from, announcedAt: row.announced_at }));
  }

  insert(record: LogKeyRecord): void {
    this.db
      .prepare('INSERT INTO log_keys (key_id, public_key, valid_from, announced_at) VALUES (?, ?, ?, ?)')
      .run(record.keyId, record.publicKey, record.validFrom, record.announcedAt);
  }
}
