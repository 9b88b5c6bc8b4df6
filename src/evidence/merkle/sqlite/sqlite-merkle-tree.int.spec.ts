import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import { DefinitionalTree, randomInt, randomLeaves, seededRandom } from '../merkle.test-support';
import { bytesToHex, consistencyProof, inclusionProof, leafHash, rootOf, verifyConsistency, verifyInclusion } from '../rfc9162';
import { LOWEST_STORED_LEVEL, SqliteMerkleTree } from './sqlite-merkle-tree';

interface Counts {
  /** Statement executions that read (get/all/iterate). */
  reads: number;
  /** Rows those executions returned. */
  rowsRead: number;
  /** Statement executions that write (run). */
  writes: number;
  /** Rows those executions inserted, updated or deleted (a multi-row INSERT writes many). */
  rowsWritten: number;
}

/**
 * Wraps a connection so that every statement prepared through it counts its executions and the
 * rows it returns: the tree cannot hide a scan from this, whatever it does inside.
 */
function countingDatabase(db: Database): { db: Database; counts: Counts; sql: string[] } {
  const counts: Counts = { reads: 0, rowsRead: 0, writes: 0, rowsWritten: 0 };
  const sql: string[] = [];
  const wrap = (statement: Statement<unknown[], unknown>): Statement<unknown[], unknown> =>
    new Proxy(statement, {
      get(target, property) {
        if (property === 'get') {
          return (...params: unknown[]) => {
            counts.reads++;
            const row = target.get(...params);
            if (row !== undefined) counts.rowsRead++;
            return row;
          };
        }
        if (property === 'all') {
          return (...params: unknown[]) => {
            counts.reads++;
            const rows = target.all(...params);
            counts.rowsRead += rows.length;
            return rows;
          };
        }
        if (property === 'iterate') {
          return function* (...params: unknown[]) {
            counts.reads++;
            for (const row of target.iterate(...params)) {
              counts.rowsRead++;
              yield row;
            }
          };
        }
        if (property === 'run') {
          return (...params: unknown[]) => {
            counts.writes++;
            const result = target.run(...params);
            counts.rowsWritten += result.changes;
            return result;
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  const proxy = new Proxy(db, {
    get(target, property) {
      if (property === 'prepare') {
        return (source: string) => {
          sql.push(source);
          return wrap(target.prepare(source));
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db: proxy, counts, sql };
}

const hex = (hashes: readonly Uint8Array[]): string[] => hashes.map(bytesToHex);
const log2ceil = (n: number): number => Math.ceil(Math.log2(n));

function freshTree(prefix?: string): { raw: Database; tree: SqliteMerkleTree; counts: Counts; sql: string[] } {
  const raw = new BetterSqlite3(':memory:');
  const { db, counts, sql } = countingDatabase(raw);
  const tree = new SqliteMerkleTree(db, prefix);
  tree.setup();
  return { raw, tree, counts, sql };
}

describe('SqliteMerkleTree against the RFC definitions', () => {
  it('equals the reference at every size up to 130: every root and every proof, also for sizes already passed', () => {
    const leaves = randomLeaves(seededRandom(11), 130);
    const oracle = new DefinitionalTree(leaves);
    const { tree } = freshTree();
    const problems: string[] = [];
    leaves.forEach((leaf, i) => {
      expect(tree.append([leaf])).toBe(i + 1);
      const n = i + 1;
      if (bytesToHex(tree.root()) !== bytesToHex(rootOf(leaves.slice(0, n)))) problems.push(`root after appending leaf ${i}`);
      if (hex(tree.inclusionProof(i, n)).join() !== oracle.inclusionProof(i, n).join()) problems.push(`PATH(${i}, D[${n}]) on append`);
    });
    for (let n = 0; n <= 130; n++) {
      const tree130 = leaves.slice(0, n);
      if (bytesToHex(tree.root(n)) !== bytesToHex(rootOf(tree130))) problems.push(`root(${n})`);
      for (let i = 0; i < n; i++)
        if (hex(tree.inclusionProof(i, n)).join() !== oracle.inclusionProof(i, n).join()) problems.push(`PATH(${i}, D[${n}])`);
      for (let m = 0; m <= n; m++)
        if (hex(tree.consistencyProof(m, n)).join() !== oracle.consistencyProof(m, n).join()) problems.push(`PROOF(${m}, D[${n}])`);
      // The reference costs O(n) per proof: a few per size, at the edges and one at random.
      if (n > 0) {
        for (const i of new Set([0, n - 1])) {
          if (hex(tree.inclusionProof(i, n)).join() !== hex(inclusionProof(tree130, i)).join())
            problems.push(`reference PATH(${i}, D[${n}])`);
        }
        for (const m of new Set([1, Math.ceil(n / 2)])) {
          if (hex(tree.consistencyProof(m, n)).join() !== hex(consistencyProof(tree130, m)).join())
            problems.push(`reference PROOF(${m}, D[${n}])`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('equals the reference at random sizes up to 5000, appended in random batches', () => {
    const random = seededRandom(5000);
    const leaves = randomLeaves(random, 5000);
    const oracle = new DefinitionalTree(leaves);
    const { tree } = freshTree();
    const problems: string[] = [];
    for (let size = 0; size < leaves.length;) {
      const batch = leaves.slice(size, size + randomInt(random, 1, 300));
      size = tree.append(batch);
      if (bytesToHex(tree.root()) !== oracle.root(size)) problems.push(`root after the batch ending at ${size}`);
    }
    for (let round = 0; round < 30; round++) {
      const n = randomInt(random, 1, 5000);
      const rootHash = tree.root(n);
      if (bytesToHex(rootHash) !== oracle.root(n)) problems.push(`root(${n})`);
      for (let k = 0; k < 5; k++) {
        const i = randomInt(random, 0, n - 1);
        const proof = tree.inclusionProof(i, n);
        if (hex(proof).join() !== oracle.inclusionProof(i, n).join()) problems.push(`PATH(${i}, D[${n}])`);
        if (!verifyInclusion({ leafIndex: i, treeSize: n, leafHash: leafHash(leaves[i]), proof, rootHash }).ok)
          problems.push(`PATH(${i}, D[${n}]) refused`);
        const m = randomInt(random, 0, n);
        const cproof = tree.consistencyProof(m, n);
        if (hex(cproof).join() !== oracle.consistencyProof(m, n).join()) problems.push(`PROOF(${m}, D[${n}])`);
        if (!verifyConsistency({ firstSize: m, secondSize: n, firstRoot: tree.root(m), secondRoot: rootHash, proof: cproof }).ok)
          problems.push(`PROOF(${m}, D[${n}]) refused`);
      }
    }
    // And against rfc9162.ts's own reference, for a few large trees.
    for (const n of [4097, 5000]) {
      const prefix = leaves.slice(0, n);
      if (bytesToHex(tree.root(n)) !== bytesToHex(rootOf(prefix))) problems.push(`reference root(${n})`);
      if (hex(tree.inclusionProof(4000, n)).join() !== hex(inclusionProof(prefix, 4000)).join())
        problems.push(`reference PATH(4000, D[${n}])`);
      if (hex(tree.consistencyProof(3333, n)).join() !== hex(consistencyProof(prefix, 3333)).join())
        problems.push(`reference PROOF(3333, D[${n}])`);
    }
    expect(problems).toEqual([]);
  });
});

describe('SqliteMerkleTree cost', () => {
  it('appends 100,000 leaves with one write per stored row, and proves anything in O(log n) reads and two short leaf ranges', () => {
    const random = seededRandom(100_000);
    const leaves = randomLeaves(random, 100_000);
    const { raw, tree, counts } = freshTree();
    const append = raw.transaction((batch: Uint8Array[]) => tree.append(batch));
    for (let start = 0; start < leaves.length; start += 1000) append(leaves.slice(start, start + 1000));
    expect(tree.size()).toBe(100_000);
    // One row per leaf, plus the complete subtrees from the lowest stored level up, n / 2^L of
    // each level L: nothing is rewritten (new nodes go many to an INSERT, so there are fewer
    // statements than rows, never more), and nothing below that level is written.
    let storedNodes = 0;
    for (let width = 2 ** LOWEST_STORED_LEVEL; width <= 100_000; width *= 2) storedNodes += Math.floor(100_000 / width);
    expect(counts.rowsWritten).toBe(100_000 + storedNodes);
    expect(counts.writes).toBeLessThanOrEqual(counts.rowsWritten);
    // Per batch: the size, the last leaf, the right edge (≤ 17 subtrees) and the last block's leaves.
    expect(counts.reads).toBeLessThanOrEqual(100 * (3 + 17));

    // Correctness at this size follows from the exhaustive tests above; here the proofs are checked
    // by the verifiers against the stored root, and the point is what they cost.
    const n = 100_000;
    const rootHash = tree.root();
    const bound = 2 * log2ceil(n) + 2; // + 1 for reading the size
    // Below the lowest stored level, nodes come from at most two blocks of leaves, one read each.
    const blockRows = 2 * 2 ** LOWEST_STORED_LEVEL;
    const measure = <T>(work: () => T): { result: T; reads: number; rows: number } => {
      const before = { ...counts };
      const result = work();
      return { result, reads: counts.reads - before.reads, rows: counts.rowsRead - before.rowsRead };
    };

    const root = measure(() => tree.root());
    expect(root.result).toEqual(rootHash);
    expect(root.reads).toBeLessThanOrEqual(2 + 17);
    const rootOfSize = (size: number): Uint8Array => (size === n ? rootHash : tree.root(size));

    for (const [i, size] of [
      [0, n],
      [n - 1, n],
      [65_535, n],
      [randomInt(random, 0, n - 1), n],
      [12_345, 54_321],
    ]) {
      const { result, reads, rows } = measure(() => tree.inclusionProof(i, size));
      expect(
        verifyInclusion({ leafIndex: i, treeSize: size, leafHash: leafHash(leaves[i]), proof: result, rootHash: rootOfSize(size) }),
      ).toEqual({ ok: true });
      expect(reads).toBeLessThanOrEqual(bound);
      expect(rows).toBeLessThanOrEqual(bound + blockRows);
    }
    for (const [m, size] of [
      [1, n],
      [n - 1, n],
      [65_536, n],
      [randomInt(random, 1, n), n],
      [777, 54_321],
    ]) {
      const { result, reads, rows } = measure(() => tree.consistencyProof(m, size));
      expect(
        verifyConsistency({ firstSize: m, secondSize: size, firstRoot: tree.root(m), secondRoot: rootOfSize(size), proof: result }),
      ).toEqual({ ok: true });
      expect(reads).toBeLessThanOrEqual(bound);
      expect(rows).toBeLessThanOrEqual(bound + blockRows);
    }

    // One more leaf: the size, the last leaf, popcount(n) edge subtrees, the last block's leaves;
    // the leaf row only, as 100,001 is no multiple of 2^LOWEST_STORED_LEVEL.
    const one = new Uint8Array(32).fill(0xee);
    const before = { ...counts };
    tree.append([one]);
    expect(counts.reads - before.reads).toBeLessThanOrEqual(3 + 17);
    expect(counts.writes - before.writes).toBe(1);
  }, 120_000);

  it('answers every query by primary key or index, never by a scan', () => {
    const { raw, tree, sql } = freshTree();
    tree.append(randomLeaves(seededRandom(1), 5));
    tree.root();
    tree.leafIndexOf('00'.repeat(32));
    tree.leafIndexAtPosition(1);
    tree.leaf(0);
    const plans = [...new Set(sql)]
      .filter((s) => s.startsWith('SELECT'))
      .flatMap((s) => {
        const params = (s.match(/\?/g) ?? []).map(() => 1);
        return raw
          .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${s}`)
          .all(...params)
          .map((row) => `${row.detail}  ← ${s}`);
      });
    expect(plans.length).toBeGreaterThanOrEqual(5);
    expect(plans.filter((plan) => !plan.startsWith('SEARCH'))).toEqual([]);
  });
});

describe('SqliteMerkleTree as a store', () => {
  it('keeps its tree across connections and continues it identically', () => {
    const dir = mkdtempSync(join(tmpdir(), 'merkle-'));
    try {
      const file = join(dir, 'read-models.sqlite');
      const leaves = randomLeaves(seededRandom(21), 300);
      const oracle = new DefinitionalTree(leaves);
      const first = new BetterSqlite3(file);
      const a = new SqliteMerkleTree(first);
      a.setup();
      a.append(leaves.slice(0, 123));
      first.close();

      const second = new BetterSqlite3(file);
      const b = new SqliteMerkleTree(second);
      b.setup(); // idempotent: nothing is lost
      expect(b.size()).toBe(123);
      expect(bytesToHex(b.root())).toBe(oracle.root(123));
      b.append(leaves.slice(123));
      expect(bytesToHex(b.root())).toBe(oracle.root(300));
      expect(hex(b.consistencyProof(123))).toEqual(oracle.consistencyProof(123, 300));
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rolls back with the caller's transaction and with its own failed batch", () => {
    const leaves = randomLeaves(seededRandom(31), 20);
    const oracle = new DefinitionalTree(leaves);
    const { raw, tree } = freshTree();
    tree.append(leaves.slice(0, 10));

    expect(() =>
      raw.transaction(() => {
        tree.append(leaves.slice(10, 15));
        throw new Error('the projector failed later in the batch');
      })(),
    ).toThrow('the projector failed');
    expect(tree.size()).toBe(10);

    // A duplicate in the middle of a batch: nothing of the batch stays.
    expect(() => tree.append([leaves[10], leaves[11], leaves[3]])).toThrow(
      `event ${bytesToHex(leaves[3])} is already leaf 3 of the Merkle log`,
    );
    expect(tree.size()).toBe(10);

    tree.append(leaves.slice(10));
    expect(bytesToHex(tree.root())).toBe(oracle.root(20));
  });

  it('finds a leaf by event hash or global position, and keeps commit order', () => {
    const { tree } = freshTree('evidence_log');
    const hashes = ['0a', '1b', '2c'].map((b) => b.repeat(32));
    tree.append([
      { eventHash: hashes[0], globalPosition: 3 },
      { eventHash: hashes[1].toUpperCase(), globalPosition: 8 },
    ]);
    expect(tree.leafIndexOf(hashes[1])).toBe(1);
    expect(tree.leafIndexOf(hashes[1].toUpperCase())).toBe(1);
    expect(tree.leafIndexOf(hashes[2])).toBeUndefined();
    expect(tree.leafIndexAtPosition(3)).toBe(0);
    expect(tree.leafIndexAtPosition(4)).toBeUndefined();
    expect(tree.leaf(1)).toEqual({ leafIndex: 1, eventHash: hashes[1], globalPosition: 8 });
    expect(tree.leaf(2)).toBeUndefined();
    expect(() => tree.append([{ eventHash: hashes[2], globalPosition: 8 }])).toThrow(
      'the event at global position 8 is not after the last logged position 8; the Merkle log follows commit order',
    );
    expect(() => tree.append(['ab'.repeat(16)])).toThrow(/32-byte chain hash, got 16 bytes/);
    expect(tree.size()).toBe(2);
  });

  it('refuses sizes and indexes it does not have, and table prefixes that are not identifiers', () => {
    const { raw, tree } = freshTree();
    tree.append(randomLeaves(seededRandom(41), 7));
    expect(() => tree.root(8)).toThrow('the Merkle log has 7 leaves; it has no tree of size 8');
    expect(() => tree.inclusionProof(7, 7)).toThrow('leaf 7 is not in a tree of 7');
    expect(() => tree.inclusionProof(0, 0)).toThrow(RangeError);
    expect(() => tree.consistencyProof(5, 4)).toThrow('a tree of 4 has no earlier version of size 5');
    expect(bytesToHex(tree.root(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(tree.consistencyProof(0, 7)).toEqual([]);
    expect(() => new SqliteMerkleTree(raw, 'merkle; DROP TABLE x')).toThrow(TypeError);
  });

  it('starts empty again after teardown and setup', () => {
    const leaves = randomLeaves(seededRandom(51), 9);
    const { tree } = freshTree();
    tree.append(leaves);
    tree.teardown();
    tree.setup();
    expect(tree.size()).toBe(0);
    tree.append(leaves.slice(0, 4));
    expect(bytesToHex(tree.root())).toBe(bytesToHex(rootOf(leaves.slice(0, 4))));
  });
});
