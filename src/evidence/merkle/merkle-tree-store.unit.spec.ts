import { DefinitionalTree, randomInt, randomLeaves, seededRandom } from './merkle.test-support';
import {
  Frontier,
  borderSubtrees,
  eventLeafHash,
  storedConsistencyProof,
  storedInclusionProof,
  storedRoot,
  toLeafEntry,
  type SubtreeReader,
} from './merkle-tree-store';
import { bytesToHex, leafHash, verifyConsistency, verifyInclusion } from './rfc9162';

/** The storage model in memory: complete subtrees only, written as the frontier completes them, with reads counted. */
function memoryTree(leaves: readonly Uint8Array[]): { read: SubtreeReader; reads: () => number; nodes: Map<string, Uint8Array> } {
  const nodes = new Map<string, Uint8Array>();
  const frontier = Frontier.load(() => {
    throw new Error('an empty tree has no frontier to read');
  }, 0);
  for (const leaf of leaves) for (const node of frontier.push(leafHash(leaf))) nodes.set(`${node.level}/${node.index}`, node.hash);
  let reads = 0;
  const read: SubtreeReader = (level, index) => {
    reads++;
    const hash = nodes.get(`${level}/${index}`);
    if (hash === undefined) throw new Error(`no node ${level}/${index}`);
    return hash;
  };
  return { read, reads: () => reads, nodes };
}

const hex = (hashes: readonly Uint8Array[]): string[] => hashes.map(bytesToHex);
const log2ceil = (n: number): number => Math.ceil(Math.log2(n));

describe('complete subtrees', () => {
  it('decomposes a range ending at a tree size into aligned complete subtrees, largest first', () => {
    expect(borderSubtrees(0, 13)).toEqual([
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(borderSubtrees(8, 13)).toEqual([
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(borderSubtrees(0, 0)).toEqual([]);
    expect(borderSubtrees(0, 16)).toEqual([{ level: 4, index: 0 }]);
    // A range the RFC recursion never asks for is refused rather than answered wrongly.
    expect(() => borderSubtrees(3, 7)).toThrow(RangeError);
  });

  it('stores exactly the complete subtrees, each with its MTH, and appending leaf n writes 1 + (trailing ones of n) nodes', () => {
    const leaves = randomLeaves(seededRandom(3), 100);
    const oracle = new DefinitionalTree(leaves);
    const frontier = Frontier.load(() => new Uint8Array(32), 0);
    let stored = 0;
    leaves.forEach((leaf, n) => {
      const written = frontier.push(leafHash(leaf));
      const trailingOnes = n.toString(2).match(/1*$/)?.[0].length ?? 0;
      expect(written).toHaveLength(1 + trailingOnes);
      for (const node of written)
        expect(bytesToHex(node.hash)).toBe(oracle.mth(node.index * 2 ** node.level, (node.index + 1) * 2 ** node.level).toString('hex'));
      stored += written.length;
    });
    // A tree of n leaves has 2n − popcount(n) complete subtrees.
    expect(stored).toBe(2 * 100 - 3);
  });

  it("knows the root of every size as it grows, equal to the RFC's MTH (what the ledger audit compares heads with)", () => {
    const leaves = randomLeaves(seededRandom(5), 70);
    const oracle = new DefinitionalTree(leaves);
    const frontier = Frontier.load(() => new Uint8Array(32), 0);
    expect(bytesToHex(frontier.root())).toBe(oracle.root(0));
    leaves.forEach((leaf, n) => {
      frontier.push(leafHash(leaf));
      expect(frontier.leafCount).toBe(n + 1);
      expect(bytesToHex(frontier.root())).toBe(oracle.root(n + 1));
    });
  });

  it('reloads the frontier of a stored tree and continues it identically', () => {
    const leaves = randomLeaves(seededRandom(4), 77);
    const whole = memoryTree(leaves);
    const half = memoryTree(leaves.slice(0, 45));
    const resumed = Frontier.load(half.read, 45);
    for (const leaf of leaves.slice(45))
      for (const node of resumed.push(leafHash(leaf))) half.nodes.set(`${node.level}/${node.index}`, node.hash);
    expect([...half.nodes.entries()].sort()).toEqual([...whole.nodes.entries()].sort());
  });
});

describe('proofs from stored subtrees', () => {
  it('equal the RFC definitions for every root, inclusion and consistency proof of every size up to 130, in O(log n) reads', () => {
    const leaves = randomLeaves(seededRandom(130), 130);
    const oracle = new DefinitionalTree(leaves);
    const tree = memoryTree(leaves);
    const problems: string[] = [];
    const check = (what: string, bound: number, ours: () => Uint8Array[], expected: string[]): void => {
      const before = tree.reads();
      const got = hex(ours());
      const reads = tree.reads() - before;
      if (got.join() !== expected.join()) problems.push(`${what}: differs from the definition`);
      if (reads > bound) problems.push(`${what}: ${reads} reads, more than ${bound}`);
    };
    for (let n = 0; n <= 130; n++) {
      if (bytesToHex(storedRoot(tree.read, n)) !== oracle.root(n)) problems.push(`root of ${n}`);
      // At most one incomplete sibling (≤ log n reads) plus one read per level.
      const bound = n < 2 ? 1 : 2 * log2ceil(n) + 1;
      for (let i = 0; i < n; i++)
        check(`PATH(${i}, D[${n}])`, bound, () => storedInclusionProof(tree.read, i, n), oracle.inclusionProof(i, n));
      for (let m = 0; m <= n; m++)
        check(`PROOF(${m}, D[${n}])`, bound, () => storedConsistencyProof(tree.read, m, n), oracle.consistencyProof(m, n));
    }
    expect(problems).toEqual([]);
  });

  it('verify for every leaf of large and random-size trees, and between random sizes', () => {
    const random = seededRandom(2048);
    const leaves = randomLeaves(random, 1025);
    const tree = memoryTree(leaves);
    const sizes = [255, 256, 257, 300, 511, 512, 513, 1024, 1025];
    for (let i = 0; i < 6; i++) sizes.push(randomInt(random, 1, 300));
    for (const n of sizes) {
      const rootHash = storedRoot(tree.read, n);
      const refused = [...leaves.slice(0, n).keys()].filter((i) => {
        const proof = storedInclusionProof(tree.read, i, n);
        return !verifyInclusion({ leafIndex: i, treeSize: n, leafHash: leafHash(leaves[i]), proof, rootHash }).ok;
      });
      expect(refused).toEqual([]);
      for (const m of [1, randomInt(random, 1, n), n - 1, n]) {
        const proof = storedConsistencyProof(tree.read, m, n);
        expect(
          verifyConsistency({ firstSize: m, secondSize: n, firstRoot: storedRoot(tree.read, m), secondRoot: rootHash, proof }),
        ).toEqual({ ok: true });
      }
    }
  });
});

describe('leaves of the ledger', () => {
  it('are the 32 bytes of an event chain hash, given as hex or bytes', () => {
    const hash = 'ab'.repeat(32);
    expect(toLeafEntry(hash)).toEqual({ data: new Uint8Array(32).fill(0xab), hex: hash, globalPosition: null });
    expect(toLeafEntry({ eventHash: 'AB'.repeat(32), globalPosition: 9 }).hex).toBe(hash);
    expect(bytesToHex(eventLeafHash(hash))).toBe(bytesToHex(leafHash(new Uint8Array(32).fill(0xab))));
    expect(() => toLeafEntry('ab'.repeat(31))).toThrow(/32-byte chain hash, got 31 bytes/);
    expect(() => toLeafEntry({ eventHash: hash, globalPosition: 0 })).toThrow(RangeError);
  });
});
