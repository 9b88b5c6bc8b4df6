import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import fc from 'fast-check';
import { DATA_DIR_FIXTURES, readPreviousReleaseManifest } from '../../../../test/support/previous-release-data-dir';
import { MERKLE_LOG_TABLE_PREFIX } from '../merkle-log.projection';
import { randomInt, randomLeaves, seededRandom } from '../merkle.test-support';
import { bytesToHex, consistencyProof, hexToBytes, inclusionProof, leafHash, nodeHash, rootOf } from '../rfc9162';
import { LOWEST_STORED_LEVEL, SqliteMerkleTree } from './sqlite-merkle-tree';

/**
 * The store keeps nodes from LOWEST_STORED_LEVEL up and hashes the rest from the leaves; stores
 * written before keep every level. Both must answer every root and proof exactly as the reference
 * of rfc9162.ts does, and so must a store of the old layout that the new code goes on appending to.
 */

const LEAVES = 700; // many blocks of 2^LOWEST_STORED_LEVEL leaves, and sizes on and off their edges
const FC = { seed: 20_261_206, numRuns: 150 };

/**
 * The tables as the release before wrote them: every complete subtree (level 0 too), each
 * computed here with the reference hashes, without any code of the store under test.
 */
function writeOldLayout(db: Database, prefix: string, leaves: readonly Uint8Array[]): void {
  db.exec(`
    CREATE TABLE ${prefix}_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;
    CREATE TABLE ${prefix}_leaves (leaf_index INTEGER PRIMARY KEY, event_hash TEXT NOT NULL UNIQUE, global_position INTEGER UNIQUE);
  `);
  const insertLeaf = db.prepare(`INSERT INTO ${prefix}_leaves (leaf_index, event_hash, global_position) VALUES (?, ?, ?)`);
  const insertNode = db.prepare(`INSERT INTO ${prefix}_nodes (level, idx, hash) VALUES (?, ?, ?)`);
  db.transaction(() => {
    let level = leaves.map(leafHash);
    leaves.forEach((leaf, i) => insertLeaf.run(i, bytesToHex(leaf), 10 + 3 * i));
    for (let l = 0; level.length > 0; l++) {
      level.forEach((hash, i) => insertNode.run(l, i, Buffer.from(hash)));
      const next: Uint8Array[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i], level[i + 1]));
      level = next;
    }
  })();
}

const lowestLevel = (db: Database, prefix: string): number | undefined =>
  db.prepare<[], { level: number | null }>(`SELECT MIN(level) AS level FROM ${prefix}_nodes`).get()?.level ?? undefined;

describe('SqliteMerkleTree in the slim layout and in the layout written before', () => {
  const leaves = randomLeaves(seededRandom(19), LEAVES);
  const db = new BetterSqlite3(':memory:');

  // Appended by the store in batches of random sizes, as the projector does.
  const slim = new SqliteMerkleTree(db, 'slim');
  slim.setup();
  const random = seededRandom(23);
  for (let size = 0; size < LEAVES;) size = slim.append(leaves.slice(size, size + randomInt(random, 1, 40)));

  writeOldLayout(db, 'old', leaves);
  const old = new SqliteMerkleTree(db, 'old');

  // Half written the old way, then continued by today's store: rows of both layouts in one table.
  writeOldLayout(db, 'mixed', leaves.slice(0, 333));
  const mixed = new SqliteMerkleTree(db, 'mixed');
  mixed.setup();
  mixed.append(leaves.slice(333));

  const stores = { slim, old, mixed };
  const answers = (ask: (tree: SqliteMerkleTree) => Uint8Array | Uint8Array[]): Record<string, string> =>
    Object.fromEntries(Object.entries(stores).map(([name, tree]) => [name, [ask(tree)].flat().map(bytesToHex).join(',')]));
  const same = (expected: Uint8Array | Uint8Array[]): Record<string, string> => {
    const hex = [expected].flat().map(bytesToHex).join(',');
    return { slim: hex, old: hex, mixed: hex };
  };

  afterAll(() => db.close());

  it('stores no node below the lowest stored level, while the old layout holds level 0', () => {
    expect(lowestLevel(db, 'slim')).toBe(LOWEST_STORED_LEVEL);
    expect(lowestLevel(db, 'old')).toBe(0);
    const newRowsBelow = db.prepare<[number, number], { n: number }>(
      `SELECT COUNT(*) AS n FROM mixed_nodes WHERE level < ? AND idx * (1 << level) >= ?`,
    );
    expect(newRowsBelow.get(LOWEST_STORED_LEVEL, 333)?.n).toBe(0);
    for (const tree of Object.values(stores)) expect(tree.size()).toBe(LEAVES);
  });

  it('gives the reference root for any size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: LEAVES }), (size) => {
        expect(answers((tree) => tree.root(size))).toEqual(same(rootOf(leaves.slice(0, size))));
      }),
      FC,
    );
  });

  it('gives the reference inclusion proof for any leaf of any size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: LEAVES }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (size, at) => {
        const index = Math.floor(at * size);
        expect(answers((tree) => tree.inclusionProof(index, size))).toEqual(same(inclusionProof(leaves.slice(0, size), index)));
      }),
      FC,
    );
  });

  it('gives the reference consistency proof between any two sizes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: LEAVES }), fc.integer({ min: 0, max: LEAVES }), (a, b) => {
        const [first, second] = a <= b ? [a, b] : [b, a];
        expect(answers((tree) => tree.consistencyProof(first, second))).toEqual(same(consistencyProof(leaves.slice(0, second), first)));
      }),
      FC,
    );
  });

  it('gives every node of every level, stored or hashed again, as the old layout stored it', () => {
    const stored = db.prepare<[], { level: number; idx: number; hash: Buffer }>('SELECT level, idx, hash FROM old_nodes').all();
    const differing = stored.filter((row) => bytesToHex(slim.subtree(row.level, row.idx)) !== row.hash.toString('hex'));
    expect(differing).toEqual([]);
    // Every complete subtree: 2n − popcount(n) of them.
    expect(stored.length).toBe(2 * LEAVES - [...LEAVES.toString(2)].filter((bit) => bit === '1').length);
  });

  it('names a missing leaf as damage instead of answering from what is left', () => {
    const damaged = new BetterSqlite3(':memory:');
    try {
      const tree = new SqliteMerkleTree(damaged, 'damaged');
      tree.setup();
      tree.append(leaves.slice(0, 40));
      damaged.prepare('DELETE FROM damaged_leaves WHERE leaf_index = 35').run();
      expect(() => tree.inclusionProof(36, 39)).toThrow(/lacks leaves of the subtree/);
      expect(bytesToHex(tree.root(32))).toBe(bytesToHex(rootOf(leaves.slice(0, 32))));
    } finally {
      damaged.close();
    }
  });
});

describe('SqliteMerkleTree on the data dir of a previous release', () => {
  it("reproduces the release's signed root and the reference proofs from its full node table", () => {
    const manifest = readPreviousReleaseManifest('f330f65-before-sealing');
    // A copy: opening the fixture itself could leave SQLite's side files beside it.
    const dir = mkdtempSync(join(tmpdir(), 'merkle-release-'));
    const file = join(dir, 'ledger.sqlite');
    copyFileSync(join(DATA_DIR_FIXTURES, manifest.release, 'data', 'ledger.sqlite'), file);
    const db = new BetterSqlite3(file, { fileMustExist: true });
    try {
      const tree = new SqliteMerkleTree(db, MERKLE_LOG_TABLE_PREFIX);
      const head = manifest.expected.latestTreeHead;
      expect(tree.size()).toBe(head.treeSize);
      expect(lowestLevel(db, MERKLE_LOG_TABLE_PREFIX)).toBe(0);
      expect(tree.rootHex(head.treeSize)).toBe(head.rootHash);
      const leaves = Array.from({ length: head.treeSize }, (_, i) => hexToBytes(tree.leaf(i)?.eventHash ?? ''));
      for (let n = 1; n <= head.treeSize; n++) {
        for (let i = 0; i < n; i++)
          expect(tree.inclusionProof(i, n).map(bytesToHex)).toEqual(inclusionProof(leaves.slice(0, n), i).map(bytesToHex));
        for (let m = 0; m <= n; m++)
          expect(tree.consistencyProof(m, n).map(bytesToHex)).toEqual(consistencyProof(leaves.slice(0, n), m).map(bytesToHex));
      }
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
