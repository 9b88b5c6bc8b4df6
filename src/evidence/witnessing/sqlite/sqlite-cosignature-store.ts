import type { Database, Statement } from 'better-sqlite3';

export interface StoredCosignature {
  /** The checkpoint as the log signed and submitted it (a signed note). */
  checkpoint: string;
  treeSize: number;
  witness: string;
  verifierKey: string;
  /** `— <witness name> <base64(key ID || timestamp || signature)>`, without its newline. */
  signatureLine: string;
  receivedAt: string;
}

interface Row {
  checkpoint: string;
  tree_size: number;
  witness: string;
  verifier_key: string;
  signature_line: string;
  received_at: string;
}

const toCosignature = (row: Row): StoredCosignature => ({
  checkpoint: row.checkpoint,
  treeSize: row.tree_size,
  witness: row.witness,
  verifierKey: row.verifier_key,
  signatureLine: row.signature_line,
  receivedAt: row.received_at,
});

/**
 * The witnesses' cosignatures of the log's checkpoints, in `checkpoint_cosignatures` beside
 * `tree_heads` in the read-model database, append-only like the heads (and, like them, never
 * dropped by a rebuild). Created by setup() when missing, so a database from before witnesses
 * reads as before: its heads simply have no cosignatures. Each is stored only after it verified
 * against the witness key it is filed under.
 */
export class SqliteCosignatureStore {
  private statements: {
    insert: Statement<[string, number, string, string, string, string]>;
    ofCheckpoint: Statement<[string], Row>;
    latestSize: Statement<[string], { size: number | null }>;
    newestWithQuorum: Statement<[string, number, number], { checkpoint: string }>;
  } | null = null;

  constructor(private readonly db: Database) {}

  setup(): void {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS checkpoint_cosignatures (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        checkpoint TEXT NOT NULL,
        tree_size INTEGER NOT NULL CHECK (tree_size >= 0),
        witness TEXT NOT NULL,
        verifier_key TEXT NOT NULL,
        signature_line TEXT NOT NULL,
        received_at TEXT NOT NULL,
        UNIQUE (checkpoint, verifier_key)
      );
      CREATE INDEX IF NOT EXISTS checkpoint_cosignatures_by_size ON checkpoint_cosignatures (tree_size, checkpoint);
      CREATE TRIGGER IF NOT EXISTS checkpoint_cosignatures_no_update BEFORE UPDATE ON checkpoint_cosignatures
        BEGIN SELECT RAISE(ABORT, 'checkpoint_cosignatures is append-only: a cosignature is never changed'); END;
      CREATE TRIGGER IF NOT EXISTS checkpoint_cosignatures_no_delete BEFORE DELETE ON checkpoint_cosignatures
        BEGIN SELECT RAISE(ABORT, 'checkpoint_cosignatures is append-only: a cosignature is never deleted'); END;
    `);
  }

  /** Keeps a verified cosignature; a second one of the same witness key on the same checkpoint is ignored. */
  insert(c: Omit<StoredCosignature, 'receivedAt'>, receivedAt: string): void {
    this.stmts().insert.run(c.checkpoint, c.treeSize, c.witness, c.verifierKey, c.signatureLine, receivedAt);
  }

  ofCheckpoint(checkpoint: string): StoredCosignature[] {
    return this.stmts().ofCheckpoint.all(checkpoint).map(toCosignature);
  }

  /** The largest size this witness key cosigned, or undefined when it never did. */
  latestSizeCosignedBy(verifierKey: string): number | undefined {
    return this.stmts().latestSize.get(verifierKey)?.size ?? undefined;
  }

  /** The largest checkpoint of at least `minSize` cosigned by at least `quorum` of `verifierKeys`. */
  newestWithQuorum(verifierKeys: readonly string[], quorum: number, minSize: number): string | undefined {
    return this.stmts().newestWithQuorum.get(JSON.stringify(verifierKeys), minSize, quorum)?.checkpoint;
  }

  private stmts(): NonNullable<SqliteCosignatureStore['statements']> {
    this.statements ??= {
      insert: this.db.prepare(
        `INSERT OR IGNORE INTO checkpoint_cosignatures (checkpoint, tree_size, witness, verifier_key, signature_line, received_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      ofCheckpoint: this.db.prepare(
        'SELECT checkpoint, tree_size, witness, verifier_key, signature_line, received_at FROM checkpoint_cosignatures WHERE checkpoint = ? ORDER BY seq',
      ),
      latestSize: this.db.prepare('SELECT MAX(tree_size) AS size FROM checkpoint_cosignatures WHERE verifier_key = ?'),
      newestWithQuorum: this.db.prepare(
        `SELECT checkpoint FROM checkpoint_cosignatures
         WHERE verifier_key IN (SELECT value FROM json_each(?)) AND tree_size >= ?
         GROUP BY checkpoint HAVING COUNT(DISTINCT verifier_key) >= ?
         ORDER BY tree_size DESC, MAX(seq) DESC LIMIT 1`,
      ),
    };
    return this.statements;
  }
}
