import type { Database, Statement } from 'better-sqlite3';
import type { NextLogKey, SignedTreeHead } from '../tree-head';

/** The read-model connection the heads live in, named for modules that may not import the driver. */
export type TreeHeadDatabase = Database;

interface Row {
  tree_size: number;
  root_hash: string;
  timestamp: string;
  log_id: string;
  signature: string;
  key_id: string | null;
  /** JSON of the head's `nextKey`, in the head announcing a rotation. */
  next_key: string | null;
}

interface CheckpointRow {
  tree_size: number;
  checkpoint: string | null;
}

const toHead = (row: Row): SignedTreeHead => ({
  logId: row.log_id,
  ...(row.key_id !== null && { keyId: row.key_id }),
  treeSize: row.tree_size,
  rootHash: row.root_hash,
  timestamp: row.timestamp,
  ...(row.next_key !== null && { nextKey: JSON.parse(row.next_key) as NextLogKey }),
  signature: row.signature,
});

/** Columns added after the table's first release, with what their rows hold when missing. */
const LATER_COLUMNS = ['checkpoint', 'key_id', 'next_key'] as const;

/**
 * Every signed tree head, in `tree_heads` beside the read models. Append-only: triggers refuse
 * UPDATE and DELETE, as on the event table. Not a projection — heads are signed at a time and
 * cannot be derived from the log again — so a rebuild never drops them.
 *
 * Each head signed since checkpoints exist also keeps its checkpoint, the signed note exactly as
 * served (`checkpoint`, added to older databases by setup(); NULL in the heads signed before).
 * Heads live in the read-model SQLite database whichever store holds the events, so there is no
 * EventStoreDB variant of this store. Heads signed since keys can be rotated keep the key that
 * signed them (`key_id`) and, in the head announcing a rotation, the next key (`next_key`); both
 * NULL in heads signed before. A database opened read-only (the verifier) may lack these columns.
 */
export class SqliteTreeHeadStore {
  private statements: {
    latest: Statement<[], Row>;
    atSize: Statement<[number], Row>;
    before: Statement<[string], Row>;
    at: Statement<[string], Row>;
    after: Statement<[string, number], Row>;
    insert: Statement<[number, string, string, string, string, string | null, string | null, string | null]>;
    latestCheckpoint: Statement<[], CheckpointRow>;
    checkpointAtSize: Statement<[number], CheckpointRow>;
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
    // Databases from before checkpoints or key rotation: the heads they hold keep NULL there.
    const present = this.columns();
    for (const column of LATER_COLUMNS) if (!present.has(column)) this.db.exec(`ALTER TABLE tree_heads ADD COLUMN ${column} TEXT`);
    this.statements = null;
  }

  private columns(): Set<string> {
    return new Set(
      this.db
        .prepare<[], { name: string }>('PRAGMA table_info(tree_heads)')
        .all()
        .map((c) => c.name),
    );
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

  /** The head signed at exactly this instant (timestamps are unique). */
  at(timestamp: string): SignedTreeHead | undefined {
    const row = this.stmts().at.get(timestamp);
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

  /** Stores a head with its checkpoint (the signed note text), both signed once, never again. */
  insert(head: SignedTreeHead, checkpoint?: string): void {
    this.stmts().insert.run(
      head.treeSize,
      head.rootHash,
      head.timestamp,
      head.logId,
      head.signature,
      checkpoint ?? null,
      head.keyId ?? null,
      head.nextKey === undefined ? null : JSON.stringify({ publicKey: head.nextKey.publicKey, validFrom: head.nextKey.validFrom }),
    );
  }

  /** The checkpoint of the newest head: undefined before the first head or when that head has none. */
  latestCheckpoint(): { treeSize: number; checkpoint: string } | undefined {
    const row = this.stmts().latestCheckpoint.get();
    return row?.checkpoint == null ? undefined : { treeSize: row.tree_size, checkpoint: row.checkpoint };
  }

  /** The checkpoint of the earliest head of this size that has one, so the same text answers every time. */
  checkpointAtSize(treeSize: number): string | undefined {
    return this.stmts().checkpointAtSize.get(treeSize)?.checkpoint ?? undefined;
  }

  /** Runs `work` in one write transaction: a consistent snapshot of the tree and the heads. */
  inTransaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  private stmts(): NonNullable<SqliteTreeHeadStore['statements']> {
    if (this.statements !== null) return this.statements;
    const present = this.columns();
    const COLUMNS = ['tree_size', 'root_hash', 'timestamp', 'log_id', 'signature', 'key_id', 'next_key']
      .map((c) => (present.has(c) ? c : `NULL AS ${c}`))
      .join(', ');
    const checkpoint = present.has('checkpoint') ? 'checkpoint' : 'NULL AS checkpoint';
    const hasCheckpoint = present.has('checkpoint') ? 'checkpoint IS NOT NULL' : '0';
    const db = this.db;
    let insert: Statement<[number, string, string, string, string, string | null, string | null, string | null]> | undefined;
    // Timestamps are all ISO-8601 UTC with milliseconds, so text order is time order.
    this.statements = {
      latest: this.db.prepare(`SELECT ${COLUMNS} FROM tree_heads ORDER BY seq DESC LIMIT 1`),
      atSize: this.db.prepare(`SELECT ${COLUMNS} FROM tree_heads WHERE tree_size = ? ORDER BY seq LIMIT 1`),
      before: this.db.prepare(`SELECT ${COLUMNS} FROM tree_heads WHERE timestamp < ? ORDER BY seq DESC LIMIT 1`),
      at: this.db.prepare(`SELECT ${COLUMNS} FROM tree_heads WHERE timestamp = ?`),
      after: this.db.prepare(`SELECT ${COLUMNS} FROM tree_heads WHERE timestamp > ? ORDER BY seq LIMIT ?`),
      // Prepared on first use: a read-only database from an older release may lack the columns.
      get insert() {
        return (insert ??= db.prepare(
          `INSERT INTO tree_heads (tree_size, root_hash, timestamp, log_id, signature, checkpoint, key_id, next_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        ));
      },
      latestCheckpoint: this.db.prepare(`SELECT tree_size, ${checkpoint} FROM tree_heads ORDER BY seq DESC LIMIT 1`),
      checkpointAtSize: this.db.prepare(
        `SELECT tree_size, ${checkpoint} FROM tree_heads WHERE tree_size = ? AND ${hasCheckpoint} ORDER BY seq LIMIT 1`,
      ),
    };
    return this.statements;
  }
}
