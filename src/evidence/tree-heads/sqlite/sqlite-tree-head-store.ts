import type { Database, Statement } from 'better-sqlite3';
import type { SignedTreeHead } from '../tree-head';

/** The read-model connection the heads live in, named for modules that may not import the driver. */
export type TreeHeadDatabase = Database;

interface Row {
  tree_size: number;
  root_hash: string;
  timestamp: string;
  log_id: string;
  signature: string;
}

const COLUMNS = 'tree_size, root_hash, timestamp, log_id, signature';
const toHead = (row: Row): SignedTreeHead => ({
  logId: row.log_id,
  treeSize: row.tree_size,
  rootHash: row.root_hash,
  timestamp: row.timestamp,
  signature: row.signature,
});

/**
 * Every signed tree head, in `tree_heads` beside the read models. Append-only: triggers refuse
 * UPDATE and DELETE, as on the event table. Not a projection — heads are signed at a time and
 * cannot be derived from the log again — so a rebuild never drops them.
 */
export class SqliteTreeHeadStore {
  private statements: {
    latest: Statement<[], Row>;
    atSize: Statement<[number], Row>;
    before: Statement<[string], Row>;
    after: Statement<[string, number], Row>;
    insert: Statement<[number, string, string, string, string]>;
  } | null = null;

  constructor(private readonly db: Database) {}

  setup(): void {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS tree_heads (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        tree_size INTEGER NOT NULL CHECK (tree_size >= 0),
        root_hash TEXT NOT NULL,
        timestamp TEXT NOT NULL UNIQUE,
        log_id TEXT NOT NULL,
        signature TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS tree_heads_by_size ON tree_heads (tree_size, seq);
      CREATE TRIGGER IF NOT EXISTS tree_heads_no_update BEFORE UPDATE ON tree_heads
        BEGIN SELECT RAISE(ABORT, 'tree_heads is append-only: a signed tree head is never changed'); END;
      CREATE TRIGGER IF NOT EXISTS tree_heads_no_delete BEFORE DELETE ON tree_heads
        BEGIN SELECT RAISE(ABORT, 'tree_heads is append-only: a signed tree head is never deleted'); END;
    `);
  }

  latest(): SignedTreeHead | undefined {
    const row = this.stmts().latest.get();
    return row === undefined ? undefined : toHead(row);
  }

  /** The earliest head signed at exactly this size. */
  atSize(treeSize: number): SignedTreeHead | undefined {
    const row = this.stmts().atSize.get(treeSize);
    return row === undefined ? undefined : toHead(row);
  }

  /** The last head signed strictly before this instant (ISO-8601 UTC). */
  before(timestamp: string): SignedTreeHead | undefined {
    const row = this.stmts().before.get(timestamp);
    return row === undefined ? undefined : toHead(row);
  }

  /** Up to `limit` heads signed strictly after this instant (all when ''), oldest first. */
  after(timestamp: string, limit: number): SignedTreeHead[] {
    return this.stmts().after.all(timestamp, limit).map(toHead);
  }

  insert(head: SignedTreeHead): void {
    this.stmts().insert.run(head.treeSize, head.rootHash, head.timestamp, head.logId, head.signature);
  }

  /** Runs `work` in one write transaction: a consistent snapshot of the tree and the heads. */
  inTransaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  private stmts(): NonNullable<SqliteTreeHeadStore['statements']> {
    // Timestamps are all ISO-8601 UTC with milliseconds, so text order is time order.
    this.statements ??= {
      latest: this.db.prepare(`SELECT ${COLUMNS} FROM tree_heads ORDER BY seq DESC LIMIT 1`),
      atSize: this.db.prepare(`SELECT ${COLUMNS} FROM tree_heads WHERE tree_size = ? ORDER BY seq LIMIT 1`),
      before: this.db.prepare(`SELECT ${COLUMNS} FROM tree_heads WHERE timestamp < ? ORDER BY seq DESC LIMIT 1`),
      after: this.db.prepare(`SELECT ${COLUMNS} FROM tree_heads WHERE timestamp > ? ORDER BY seq LIMIT ?`),
      insert: this.db.prepare(`INSERT INTO tree_heads (tree_size, root_hash, timestamp, log_id, signature) VALUES (?, ?, ?, ?, ?)`),
    };
    return this.statements;
  }
}
