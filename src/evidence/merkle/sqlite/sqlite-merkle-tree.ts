import type { Database, Statement } from 'better-sqlite3';
import {
  Frontier,
  MerkleStoreCorruptedError,
  recomputingReader,
  storedConsistencyProof,
  storedInclusionProof,
  storedRoot,
  toLeafEntry,
  type MerkleLeafInput,
  type MerkleLeafRecord,
  type MerkleTreeStore,
  type Subtree,
  type SubtreeReader,
} from '../merkle-tree-store';
import { nativeLeafHash } from '../native-hashes';
import { bytesToHex } from '../rfc9162';

type LeafEntry = ReturnType<typeof toLeafEntry>;
type LeafRow = { leaf_index: number; event_hash: string; global_position: number | null };
const toLeafRecord = (row: LeafRow): MerkleLeafRecord => ({
  leafIndex: row.leaf_index,
  eventHash: row.event_hash,
  globalPosition: row.global_position,
});

/** Leaves appended one at a time in the caller's transaction; see `SqliteMerkleTree.appender`. */
export interface MerkleAppender {
  append(leaf: MerkleLeafInput): void;
  /** Writes the nodes the appended leaves completed; returns the new size. */
  finish(): number;
}

/** Nodes per multi-row INSERT (3 parameters each, far below SQLite's limit). */
const NODES_PER_INSERT = 64;

/**
 * Nodes below this level are not stored but hashed again from the leaves when a question needs
 * them: at most two blocks of 2^4 = 16 leaves per root or proof. Chosen by measurement (see the
 * evidence README): it stores 1/8 of the nodes, about 6 bytes per leaf instead of 90, beside the
 * leaves table's 175; level 5 would save 3 bytes more per leaf and double the hashing per proof.
 * Stores written before hold every level; their rows below this level are simply not read.
 * Lowering it would make stores written with it unreadable, so it only ever goes up.
 */
export const LOWEST_STORED_LEVEL = 4;

export interface SqliteMerkleTreeOptions {
  /** Overrides `LOWEST_STORED_LEVEL`, for measurements; a store must be read with a level no lower than it was written with. */
  lowestStoredLevel?: number;
}

interface Statements {
  getNode: Statement<[number, number], { hash: Buffer }>;
  insertNode: Statement<[number, number, Buffer]>;
  insertNodes: Statement<Array<number | Buffer>>;
  getSize: Statement<[], { size: number }>;
  insertLeaf: Statement<[number, string, number | null]>;
  getLeaf: Statement<[number], LeafRow>;
  leavesFrom: Statement<[number, number], LeafRow>;
  leafHashesBetween: Statement<[number, number], { leaf_index: number; event_hash: string }>;
  indexOfHash: Statement<[string], { leaf_index: number }>;
  indexOfPosition: Statement<[number], { leaf_index: number }>;
}

// better-sqlite3 binds Buffers as BLOBs; this views the hash's bytes without copying them.
const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

const SAFE_PREFIX = /^[A-Za-z_][A-Za-z0-9_]{0,40}$/;

/**
 * The Merkle log in SQLite: `<prefix>_nodes` holds the complete subtrees `(level, idx) → hash`
 * from level `LOWEST_STORED_LEVEL` up (see merkle-tree-store.ts for why that is enough),
 * `<prefix>_leaves` maps each leaf to its event by chain hash and global position, and so also
 * gives the lower levels. Appending reads the right edge once per call (popcount(n) rows at most,
 * and the last block's leaves) and writes the leaf plus the stored nodes it completes; roots and
 * proofs for any earlier size read O(log n) rows by primary key and at most two ranges of
 * 2^LOWEST_STORED_LEVEL leaves, never a scan.
 */
export class SqliteMerkleTree implements MerkleTreeStore {
  private readonly nodesTable: string;
  private readonly leavesTable: string;
  private statements: Statements | null = null;
  // A nested transaction is a savepoint: inside the caller's transaction it adds nothing, and on
  // its own it keeps a failed batch from leaving half a subtree behind.
  private readonly appendInTransaction: (entries: readonly LeafEntry[]) => number;
  private readonly lowestStoredLevel: number;
  private readonly readStored: SubtreeReader = (level, index) => {
    const row = this.stmts().getNode.get(level, index);
    if (row === undefined) {
      throw new MerkleStoreCorruptedError(`the Merkle log has no stored subtree at level ${level}, index ${index}; its tables are damaged`);
    }
    return new Uint8Array(row.hash);
  };

  constructor(
    private readonly db: Database,
    tablePrefix = 'merkle',
    options: SqliteMerkleTreeOptions = {},
  ) {
    // The prefix is spliced into SQL, so it must be a plain identifier.
    if (!SAFE_PREFIX.test(tablePrefix)) throw new TypeError(`not a usable table prefix: "${tablePrefix}"`);
    this.lowestStoredLevel = options.lowestStoredLevel ?? LOWEST_STORED_LEVEL;
    if (!Number.isSafeInteger(this.lowestStoredLevel) || this.lowestStoredLevel < 0 || this.lowestStoredLevel > 20) {
      throw new RangeError(`the lowest stored level is a whole number from 0 to 20, got ${this.lowestStoredLevel}`);
    }
    this.nodesTable = `${tablePrefix}_nodes`;
    this.leavesTable = `${tablePrefix}_leaves`;
    this.appendInTransaction = db.transaction((entries: readonly LeafEntry[]) => this.appendEntries(entries));
  }

  setup(): void {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS ${this.nodesTable} (
        level INTEGER NOT NULL,
        idx INTEGER NOT NULL,
        hash BLOB NOT NULL,
        PRIMARY KEY (level, idx)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS ${this.leavesTable} (
        leaf_index INTEGER PRIMARY KEY,
        event_hash TEXT NOT NULL UNIQUE,
        global_position INTEGER UNIQUE
      );
    `);
  }

  teardown(): void {
    // Statements on dropped tables cannot be reused; they are prepared again after setup().
    this.statements = null;
    this.db.exec(`DROP TABLE IF EXISTS ${this.nodesTable}; DROP TABLE IF EXISTS ${this.leavesTable};`);
  }

  size(): number {
    return this.stmts().getSize.get()?.size ?? 0;
  }

  append(leaves: readonly MerkleLeafInput[]): number {
    return this.appendInTransaction(leaves.map(toLeafEntry));
  }

  root(treeSize?: number): Uint8Array {
    return storedRoot(this.reader(), this.checkSize(treeSize));
  }

  inclusionProof(leafIndex: number, treeSize?: number): Uint8Array[] {
    const n = this.checkSize(treeSize);
    if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= n) {
      throw new RangeError(`leaf ${leafIndex} is not in a tree of ${n}`);
    }
    return storedInclusionProof(this.reader(), leafIndex, n);
  }

  consistencyProof(firstSize: number, secondSize?: number): Uint8Array[] {
    const second = this.checkSize(secondSize);
    if (!Number.isSafeInteger(firstSize) || firstSize < 0 || firstSize > second) {
      throw new RangeError(`a tree of ${second} has no earlier version of size ${firstSize}`);
    }
    return storedConsistencyProof(this.reader(), firstSize, second);
  }

  leafIndexOf(eventHash: string): number | undefined {
    return this.stmts().indexOfHash.get(eventHash.toLowerCase())?.leaf_index;
  }

  leafIndexAtPosition(globalPosition: number): number | undefined {
    return this.stmts().indexOfPosition.get(globalPosition)?.leaf_index;
  }

  leaf(leafIndex: number): MerkleLeafRecord | undefined {
    const row = this.stmts().getLeaf.get(leafIndex);
    return row === undefined ? undefined : toLeafRecord(row);
  }

  /** Up to `limit` leaves from `startIndex` on, in order: one range read, for a caller walking the whole log. */
  leavesFrom(startIndex: number, limit: number): MerkleLeafRecord[] {
    return this.stmts().leavesFrom.all(startIndex, limit).map(toLeafRecord);
  }

  /** The hash of a complete subtree (stored, or hashed from its leaves below the lowest stored level), for callers that hand out raw nodes (tiles, audits). */
  subtree(level: number, index: number): Uint8Array {
    return this.reader()(level, index);
  }

  /** Lower-case hex of `root(treeSize)`. */
  rootHex(treeSize?: number): string {
    return bytesToHex(this.root(treeSize));
  }

  /**
   * Appends leaves one at a time within the caller's transaction, for a caller that gets them one
   * by one (the projector's batches): the right edge is read once, not once per leaf; each leaf's
   * row is written at once, so a replayed event fails on its own leaf; the nodes the leaves
   * complete are kept in memory and written together by `finish`, each once. Only valid inside a
   * transaction: drop the appender after `finish`, or when the transaction fails.
   */
  appender(): MerkleAppender {
    const appender = this.startAppend();
    return { append: (leaf) => appender.append(toLeafEntry(leaf)), finish: () => appender.finish() };
  }

  private startAppend(): { append(entry: LeafEntry): void; finish(): number } {
    if (!this.db.inTransaction) throw new Error("a Merkle appender writes inside its caller's transaction; none is open");
    const s = this.stmts();
    let size = this.size();
    let lastPosition = size === 0 ? null : (s.getLeaf.get(size - 1)?.global_position ?? null);
    const frontier = Frontier.load(this.reader(), size);
    let nodes: Array<Subtree & { hash: Uint8Array }> = [];
    return {
      append: (entry: LeafEntry): void => {
        if (entry.globalPosition !== null && lastPosition !== null && entry.globalPosition <= lastPosition) {
          throw new RangeError(
            `the event at global position ${entry.globalPosition} is not after the last logged position ${lastPosition}; the Merkle log follows commit order`,
          );
        }
        try {
          s.insertLeaf.run(size, entry.hex, entry.globalPosition);
        } catch (error) {
          throw this.explainDuplicate(entry, error);
        }
        for (const node of frontier.push(nativeLeafHash(entry.data))) if (node.level >= this.lowestStoredLevel) nodes.push(node);
        if (entry.globalPosition !== null) lastPosition = entry.globalPosition;
        size++;
      },
      finish: (): number => {
        this.insertNodes(nodes);
        nodes = [];
        return size;
      },
    };
  }

  private appendEntries(entries: readonly LeafEntry[]): number {
    const appender = this.startAppend();
    for (const entry of entries) appender.append(entry);
    return appender.finish();
  }

  /** Writes new nodes, many to a statement: each is a complete subtree written exactly once. */
  private insertNodes(nodes: ReadonlyArray<Subtree & { hash: Uint8Array }>): void {
    const s = this.stmts();
    let i = 0;
    const params: Array<number | Buffer> = [];
    for (; i + NODES_PER_INSERT <= nodes.length; i += NODES_PER_INSERT) {
      params.length = 0;
      for (let j = i; j < i + NODES_PER_INSERT; j++) params.push(nodes[j].level, nodes[j].index, asBuffer(nodes[j].hash));
      s.insertNodes.run(...params);
    }
    for (; i < nodes.length; i++) s.insertNode.run(nodes[i].level, nodes[i].index, asBuffer(nodes[i].hash));
  }

  // The UNIQUE constraints catch a replayed event for free; only then is it worth a lookup.
  private explainDuplicate(entry: LeafEntry, error: unknown): unknown {
    const byHash = this.leafIndexOf(entry.hex);
    if (byHash !== undefined) return new RangeError(`event ${entry.hex} is already leaf ${byHash} of the Merkle log`, { cause: error });
    const byPosition = entry.globalPosition === null ? undefined : this.leafIndexAtPosition(entry.globalPosition);
    if (byPosition !== undefined) {
      return new RangeError(`global position ${entry.globalPosition} is already leaf ${byPosition} of the Merkle log`, { cause: error });
    }
    return error;
  }

  /** Reads stored nodes, and hashes lower ones from one range read of their block's leaves; one per question. */
  private reader(): SubtreeReader {
    return recomputingReader(this.readStored, this.lowestStoredLevel, (start, end) => {
      const hashes: Uint8Array[] = [];
      for (const row of this.stmts().leafHashesBetween.all(start, end)) {
        // A gap would shift every later leaf of the block: the recomputing reader then finds too few.
        if (row.leaf_index !== start + hashes.length) break;
        hashes.push(nativeLeafHash(Buffer.from(row.event_hash, 'hex')));
      }
      return hashes;
    });
  }

  private checkSize(treeSize: number | undefined): number {
    const current = this.size();
    if (treeSize === undefined) return current;
    if (!Number.isSafeInteger(treeSize) || treeSize < 0 || treeSize > current) {
      throw new RangeError(`the Merkle log has ${current} leaves; it has no tree of size ${treeSize}`);
    }
    return treeSize;
  }

  // Prepared on first use, once: the tables must exist by then.
  private stmts(): Statements {
    if (this.statements === null) {
      const nodes = this.nodesTable;
      const leaves = this.leavesTable;
      this.statements = {
        getNode: this.db.prepare(`SELECT hash FROM ${nodes} WHERE level = ? AND idx = ?`),
        insertNode: this.db.prepare(`INSERT INTO ${nodes} (level, idx, hash) VALUES (?, ?, ?)`),
        insertNodes: this.db.prepare(
          `INSERT INTO ${nodes} (level, idx, hash) VALUES ${Array(NODES_PER_INSERT).fill('(?, ?, ?)').join(', ')}`,
        ),
        getSize: this.db.prepare(`SELECT COALESCE(MAX(leaf_index) + 1, 0) AS size FROM ${leaves}`),
        insertLeaf: this.db.prepare(`INSERT INTO ${leaves} (leaf_index, event_hash, global_position) VALUES (?, ?, ?)`),
        getLeaf: this.db.prepare(`SELECT leaf_index, event_hash, global_position FROM ${leaves} WHERE leaf_index = ?`),
        leavesFrom: this.db.prepare(
          `SELECT leaf_index, event_hash, global_position FROM ${leaves} WHERE leaf_index >= ? ORDER BY leaf_index LIMIT ?`,
        ),
        leafHashesBetween: this.db.prepare(
          `SELECT leaf_index, event_hash FROM ${leaves} WHERE leaf_index >= ? AND leaf_index < ? ORDER BY leaf_index`,
        ),
        indexOfHash: this.db.prepare(`SELECT leaf_index FROM ${leaves} WHERE event_hash = ?`),
        indexOfPosition: this.db.prepare(`SELECT leaf_index FROM ${leaves} WHERE global_position = ?`),
      };
    }
    return this.statements;
  }
}
