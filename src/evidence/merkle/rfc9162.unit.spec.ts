import { DefinitionalTree, flipBit, randomInt, randomLeaves, seededRandom } from './merkle.test-support';
import {
  EMPTY_ROOT,
  bytesToHex,
  consistencyProof,
  consistencyProofLength,
  hexToBytes,
  inclusionProof,
  inclusionProofLength,
  leafHash,
  nodeHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
  type ConsistencyCheck,
  type InclusionCheck,
  type Verification,
} from './rfc9162';

/*
 * Known answers. Leaves, roots and proofs below are the published RFC 6962 / RFC 9162 test
 * vectors of the transparency-dev Merkle library, written down by hand from
 *   https://github.com/transparency-dev/merkle/blob/02194e9afb6c1d95b5381350007963aa70fff472/proof/verify_test.go
 * (variables `leaves`, `roots`, `inclusionProofs`, `consistencyProofs`; its inclusion vectors
 * number leaves from 1, so {leaf: 6, size: 8} below is index 5). They were computed by another
 * implementation than ours, so agreeing with them checks our reading of §2.1.
 */
const KAT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(hexToBytes);

const KAT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const KAT_INCLUSION: Array<{ index: number; size: number; proof: string[] }> = [
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

const KAT_CONSISTENCY: Array<{ first: number; second: number; proof: string[] }> = [
  {
    first: 1,
    second: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    first: 6,
    second: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    first: 2,
    second: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    first: 6,
    second: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

const hex = (hashes: readonly Uint8Array[]): string[] => hashes.map(bytesToHex);
const SOME_HASH = hexToBytes('abacaba000000000000000000000000000000000000000000060061e00123456');

/**
 * What a refusal may say: every reason the verifiers give for a well-formed but wrong claim.
 * A refusal with any other text would mean the tampering was caught by accident.
 */
const SENSIBLE_REASON =
  /computed root differs from the (head's|second head's) root|^the proof has \d+ hash(es)?; .* needs? (\d+|none)$|is not in a tree of|cannot be in an empty tree|is larger than the second|earlier history is not a prefix|have different roots|is \d+ bytes? long; a SHA-256 hash is 32|empty tree's hash/;

/** Null when the claim was refused for a sensible reason; otherwise what went wrong. Loops collect these, as thousands of expect() calls are slow. */
function refusalProblem(verdict: Verification, what: string): string | null {
  if (verdict.ok) return `accepted a tampered claim: ${what}`;
  return SENSIBLE_REASON.test(verdict.reason) ? null : `odd reason for ${what}: ${verdict.reason}`;
}

function expectRefused(verdict: Verification, what: string): void {
  expect(refusalProblem(verdict, what)).toBeNull();
}

/** Problems found by the probes, for one expect() per check. */
function refusalProblems<C>(probes: Array<[string, C]>, verify: (check: C) => Verification, context: string): string[] {
  return probes.map(([what, probe]) => refusalProblem(verify(probe), `${what} (${context})`)).filter((p): p is string => p !== null);
}

/** Tamperings of a valid inclusion claim, after transparency-dev's corruptInclusionProof. */
function corruptInclusion(check: InclusionCheck): Array<[string, InclusionCheck]> {
  const { leafIndex, treeSize, proof, rootHash, leafHash: hash } = check;
  const probes: Array<[string, InclusionCheck]> = [
    ['index + 1', { ...check, leafIndex: leafIndex + 1 }],
    ['size * 2', { ...check, treeSize: treeSize * 2 }],
    ['wrong leaf', { ...check, leafHash: flipBit(hash, 7) }],
    ['empty-tree root', { ...check, rootHash: EMPTY_ROOT }],
    ['random root', { ...check, rootHash: SOME_HASH }],
    ['short leaf hash', { ...check, leafHash: hash.slice(1) }],
    ['trailing root', { ...check, proof: [...proof, rootHash] }],
    ['preceding root', { ...check, proof: [rootHash, ...proof] }],
  ];
  if (leafIndex > 0) probes.push(['index - 1', { ...check, leafIndex: leafIndex - 1 }]);
  if ((leafIndex ^ 2) !== leafIndex) probes.push(['index ^ 2', { ...check, leafIndex: leafIndex ^ 2 }]);
  if (treeSize > 1) probes.push(['size / 2', { ...check, treeSize: Math.floor(treeSize / 2) }]);
  proof.forEach((_, i) => {
    probes.push([`proof[${i}] one bit flipped`, { ...check, proof: proof.map((p, j) => (j === i ? flipBit(p, 3) : p)) }]);
  });
  if (proof.length > 0) probes.push(['last hash removed', { ...check, proof: proof.slice(0, -1) }]);
  if (proof.length > 1) probes.push(['hash inserted', { ...check, proof: [proof[0], SOME_HASH, ...proof.slice(1)] }]);
  return probes;
}

/** Tamperings of a valid consistency claim, after transparency-dev's corruptConsistencyProof. */
function corruptConsistency(check: ConsistencyCheck): Array<[string, ConsistencyCheck]> {
  const { firstSize, secondSize, firstRoot, secondRoot, proof } = check;
  const probes: Array<[string, ConsistencyCheck]> = [
    ['first size - 1', { ...check, firstSize: firstSize - 1 }],
    ['first size + 1', { ...check, firstSize: firstSize + 1 }],
    ['second size * 2', { ...check, secondSize: secondSize * 2 }],
    ['second size / 2', { ...check, secondSize: Math.floor(secondSize / 2) }],
    ['wrong first root', { ...check, firstRoot: flipBit(firstRoot, 0) }],
    ['wrong second root', { ...check, secondRoot: flipBit(secondRoot, 0) }],
    ['swapped roots', { ...check, firstRoot: secondRoot, secondRoot: firstRoot }],
    ['empty proof', { ...check, proof: [] }],
    ['trailing first root', { ...check, proof: [...proof, firstRoot] }],
    ['trailing second root', { ...check, proof: [...proof, secondRoot] }],
    ['preceding first root', { ...check, proof: [firstRoot, ...proof] }],
    ['preceding second root', { ...check, proof: [secondRoot, ...proof] }],
    ['preceding proof[0]', { ...check, proof: [proof[0], ...proof] }],
    ['truncated', { ...check, proof: proof.slice(0, -1) }],
  ];
  if ((firstSize ^ 2) !== firstSize) probes.push(['first size ^ 2', { ...check, firstSize: firstSize ^ 2 }]);
  proof.forEach((_, i) => {
    probes.push([`proof[${i}] one bit flipped`, { ...check, proof: proof.map((p, j) => (j === i ? flipBit(p, 4) : p)) }]);
  });
  return probes;
}

describe('RFC 9162 §2.1 known answers', () => {
  it('hashes the empty tree, a leaf and a node with their domain prefixes', () => {
    expect(bytesToHex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(bytesToHex(rootOf([]))).toBe(bytesToHex(EMPTY_ROOT));
    expect(bytesToHex(leafHash(new Uint8Array(0)))).toBe(KAT_ROOTS[0]);
    expect(bytesToHex(nodeHash(leafHash(KAT_LEAVES[0]), leafHash(KAT_LEAVES[1])))).toBe(KAT_ROOTS[1]);
  });

  it.each(KAT_ROOTS.map((root, i) => [i + 1, root] as const))('gives the published root of the tree of %i leaves', (n, root) => {
    expect(bytesToHex(rootOf(KAT_LEAVES.slice(0, n)))).toBe(root);
  });

  it.each(KAT_INCLUSION)(
    'gives the published inclusion proof of leaf $index in a tree of $size, which verifies',
    ({ index, size, proof }) => {
      const leaves = KAT_LEAVES.slice(0, size);
      expect(hex(inclusionProof(leaves, index))).toEqual(proof);
      const check = {
        leafIndex: index,
        treeSize: size,
        leafHash: leafHash(leaves[index]),
        proof: proof.map(hexToBytes),
        rootHash: hexToBytes(KAT_ROOTS[size - 1]),
      };
      expect(verifyInclusion(check)).toEqual({ ok: true });
      expect(refusalProblems(corruptInclusion(check), verifyInclusion, `leaf ${index} of ${size}`)).toEqual([]);
    },
  );

  it.each(KAT_CONSISTENCY)('gives the published consistency proof from $first to $second, which verifies', ({ first, second, proof }) => {
    expect(hex(consistencyProof(KAT_LEAVES.slice(0, second), first))).toEqual(proof);
    const check = {
      firstSize: first,
      secondSize: second,
      firstRoot: hexToBytes(KAT_ROOTS[first - 1]),
      secondRoot: hexToBytes(KAT_ROOTS[second - 1]),
      proof: proof.map(hexToBytes),
    };
    expect(verifyConsistency(check)).toEqual({ ok: true });
    expect(refusalProblems(corruptConsistency(check), verifyConsistency, `${first} → ${second}`)).toEqual([]);
  });

  it('agrees with an independent implementation of the definitions (node:crypto) on every root and proof up to size 40', () => {
    const leaves = randomLeaves(seededRandom(9162), 70);
    const oracle = new DefinitionalTree(leaves);
    for (let n = 0; n <= 70; n++) expect(bytesToHex(rootOf(leaves.slice(0, n)))).toBe(oracle.root(n));
    for (let n = 1; n <= 40; n++) {
      const tree = leaves.slice(0, n);
      const ours = [...tree.keys()].map((i) => hex(inclusionProof(tree, i)).join());
      expect(ours).toEqual([...tree.keys()].map((i) => oracle.inclusionProof(i, n).join()));
      const sizes = Array.from({ length: n + 1 }, (_, m) => m);
      expect(sizes.map((m) => hex(consistencyProof(tree, m)).join())).toEqual(sizes.map((m) => oracle.consistencyProof(m, n).join()));
    }
  });
});

describe('inclusion proofs', () => {
  const random = seededRandom(20240611);
  // Edges around powers of two, then random sizes; the reference costs O(n) per proof, so few large
  // trees here (merkle-tree-store.unit.spec.ts verifies every leaf of larger ones).
  const sizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129];
  for (let i = 0; i < 4; i++) sizes.push(randomInt(random, 1, 300));

  it.each(sizes)('verify for every leaf of a tree of %i, and tampering is refused with a reason', (n) => {
    const leaves = randomLeaves(random, n);
    const root = rootOf(leaves);
    const problems: string[] = [];
    for (let index = 0; index < n; index++) {
      const proof = inclusionProof(leaves, index);
      if (proof.length !== inclusionProofLength(index, n)) problems.push(`leaf ${index}: proof of ${proof.length} hashes`);
      const check = { leafIndex: index, treeSize: n, leafHash: leafHash(leaves[index]), proof, rootHash: root };
      const verdict = verifyInclusion(check);
      if (!verdict.ok) problems.push(`leaf ${index}: ${verdict.reason}`);
      // Every leaf of the small trees, a sample of the large ones: tampering costs 20 verifications.
      if (n <= 64 || index % 17 === 0 || index === n - 1)
        problems.push(...refusalProblems(corruptInclusion(check), verifyInclusion, `leaf ${index} of ${n}`));
    }
    expect(problems).toEqual([]);
  });

  it('explains what is wrong in words a clerk can act on', () => {
    const leaves = randomLeaves(seededRandom(7), 7);
    const root = rootOf(leaves);
    const proof = inclusionProof(leaves, 2);
    const base = { leafIndex: 2, treeSize: 7, leafHash: leafHash(leaves[2]), proof, rootHash: root };
    expect(verifyInclusion({ ...base, proof: [...proof, root] })).toEqual({
      ok: false,
      reason: 'the proof has 4 hashes; leaf 2 of a tree of 7 needs 3',
    });
    expect(verifyInclusion({ ...base, leafHash: leafHash(leaves[3]) })).toEqual({
      ok: false,
      reason: "the computed root differs from the head's root",
    });
    expect(verifyInclusion({ ...base, leafIndex: 7 })).toEqual({
      ok: false,
      reason: 'leaf 7 is not in a tree of 7 (its leaves are numbered 0 to 6)',
    });
    expect(verifyInclusion({ ...base, treeSize: 0 })).toEqual({ ok: false, reason: 'leaf 2 cannot be in an empty tree' });
    expect(verifyInclusion({ ...base, proof: [proof[0].slice(0, 31), ...proof.slice(1)] })).toEqual({
      ok: false,
      reason: "the proof's hash #1 is 31 bytes long; a SHA-256 hash is 32",
    });
    expect(verifyInclusion({ ...base, treeSize: -1 })).toEqual({
      ok: false,
      reason: 'the tree size must be a whole number of 0 or more, not -1',
    });
    expect(verifyInclusion({ ...base, leafIndex: 1.5 })).toEqual({
      ok: false,
      reason: 'the leaf index must be a whole number of 0 or more, not 1.5',
    });
  });

  it('accepts the one-leaf tree only with an empty proof and the leaf as root', () => {
    const h = leafHash(new TextEncoder().encode('data'));
    expect(verifyInclusion({ leafIndex: 0, treeSize: 1, leafHash: h, proof: [], rootHash: h })).toEqual({ ok: true });
    expectRefused(verifyInclusion({ leafIndex: 0, treeSize: 1, leafHash: h, proof: [h], rootHash: h }), 'extra hash');
    expectRefused(verifyInclusion({ leafIndex: 0, treeSize: 1, leafHash: h, proof: [], rootHash: SOME_HASH }), 'other root');
    expectRefused(verifyInclusion({ leafIndex: 0, treeSize: 1, leafHash: new Uint8Array(0), proof: [], rootHash: h }), 'empty leaf hash');
  });

  it('refuses claims about the empty tree', () => {
    expectRefused(
      verifyInclusion({ leafIndex: 0, treeSize: 0, leafHash: SOME_HASH, proof: [], rootHash: EMPTY_ROOT }),
      'leaf in empty tree',
    );
  });

  it('handles tree sizes beyond 32 bits without truncating', () => {
    // Leaf 2^40 + 5 of a tree of 2^41 + 3: the proof length follows from the sizes alone.
    const index = 2 ** 40 + 5;
    const size = 2 ** 41 + 3;
    const needed = inclusionProofLength(index, size);
    expect(needed).toBe(42);
    const verdict = verifyInclusion({ leafIndex: index, treeSize: size, leafHash: SOME_HASH, proof: [], rootHash: SOME_HASH });
    expect(verdict).toEqual({ ok: false, reason: `the proof has 0 hashes; leaf ${index} of a tree of ${size} needs 42` });
  });
});

describe('consistency proofs', () => {
  const random = seededRandom(1162);
  const leaves = randomLeaves(random, 300);
  const growth = [1, 2, 3, 4, 7, 8, 9, 16, 17, 31, 32, 33, 64, 100, 127, 128, 129, 200, 255, 256, 257, 300];
  for (let i = 0; i < 6; i++) growth.push(randomInt(random, 1, 300));
  const sizes = [...new Set(growth)].sort((a, b) => a - b);
  const roots = new Map(sizes.map((n) => [n, rootOf(leaves.slice(0, n))]));
  const rootAt = (n: number): Uint8Array => roots.get(n) as Uint8Array;

  it('verify between every pair of sizes of a growing log, and tampering is refused with a reason', () => {
    const problems: string[] = [];
    for (const second of sizes) {
      for (const first of sizes.filter((m) => m <= second)) {
        const proof = consistencyProof(leaves.slice(0, second), first);
        if (proof.length !== (first === second ? 0 : consistencyProofLength(first, second)))
          problems.push(`${first} → ${second}: proof of ${proof.length} hashes`);
        const check = { firstSize: first, secondSize: second, firstRoot: rootAt(first), secondRoot: rootAt(second), proof };
        const verdict = verifyConsistency(check);
        if (!verdict.ok) problems.push(`${first} → ${second}: ${verdict.reason}`);
        if (first < second) problems.push(...refusalProblems(corruptConsistency(check), verifyConsistency, `${first} → ${second}`));
      }
    }
    expect(problems).toEqual([]);
  });

  it('refuses a rewritten history: one earlier event changed', () => {
    for (const [first, second, changed] of [
      [1, 2, 0],
      [3, 7, 1],
      [6, 8, 5],
      [8, 13, 0],
      [100, 300, 57],
      [129, 256, 128],
      [256, 300, 255],
    ]) {
      const forged = leaves.slice(0, second).map((leaf, i) => (i === changed ? flipBit(leaf, 9) : leaf));
      const honestFirstRoot = rootOf(leaves.slice(0, first));
      const honestSecondRoot = rootOf(leaves.slice(0, second));
      // The log shows the court its old head, then serves a tree where event `changed` differs.
      const forgedProof = consistencyProof(forged, first);
      const verdict = verifyConsistency({
        firstSize: first,
        secondSize: second,
        firstRoot: honestFirstRoot,
        secondRoot: rootOf(forged),
        proof: forgedProof,
      });
      // A power-of-two first tree is not in the proof (§2.1.4.2 step 2 seeds it with the head's
      // root), so there the forgery shows up at the second root instead.
      const isPowerOfTwo = (first & (first - 1)) === 0;
      expect(verdict).toEqual({
        ok: false,
        reason: isPowerOfTwo
          ? "the computed root differs from the second head's root"
          : `the computed root of the first ${first} entries differs from the first head's root: the earlier history is not a prefix of the later tree`,
      });
      // And an honest proof cannot connect a forged old head to the real new one.
      const honestProof = consistencyProof(leaves.slice(0, second), first);
      expectRefused(
        verifyConsistency({
          firstSize: first,
          secondSize: second,
          firstRoot: rootOf(forged.slice(0, first)),
          secondRoot: honestSecondRoot,
          proof: honestProof,
        }),
        `forged head ${first}`,
      );
    }
  });

  it('settles the cases outside the RFC algorithm (equal sizes, empty first tree) strictly', () => {
    const r5 = rootOf(leaves.slice(0, 5));
    expect(verifyConsistency({ firstSize: 5, secondSize: 5, firstRoot: r5, secondRoot: r5, proof: [] })).toEqual({ ok: true });
    expect(verifyConsistency({ firstSize: 5, secondSize: 5, firstRoot: r5, secondRoot: SOME_HASH, proof: [] })).toEqual({
      ok: false,
      reason: 'two heads of the same size 5 have different roots: the log was rewritten or forked',
    });
    expect(verifyConsistency({ firstSize: 5, secondSize: 5, firstRoot: r5, secondRoot: r5, proof: [r5] })).toEqual({
      ok: false,
      reason: 'the proof has 1 hash; two heads of the same size need none',
    });
    expect(verifyConsistency({ firstSize: 0, secondSize: 5, firstRoot: EMPTY_ROOT, secondRoot: r5, proof: [] })).toEqual({ ok: true });
    expect(verifyConsistency({ firstSize: 0, secondSize: 5, firstRoot: SOME_HASH, secondRoot: r5, proof: [] })).toEqual({
      ok: false,
      reason: "the first head claims an empty tree but its root is not the empty tree's hash",
    });
    expect(verifyConsistency({ firstSize: 7, secondSize: 5, firstRoot: r5, secondRoot: r5, proof: [] })).toEqual({
      ok: false,
      reason: 'the first head (tree of 7) is larger than the second (tree of 5); a log only grows',
    });
    expect(verifyConsistency({ firstSize: 3, secondSize: 7, firstRoot: r5, secondRoot: r5, proof: [] })).toEqual({
      ok: false,
      reason: 'the proof has 0 hashes; going from a tree of 3 to a tree of 7 needs 4',
    });
  });
});

describe('hex helpers', () => {
  it('round-trips bytes and rejects what is not hex of whole bytes', () => {
    const bytes = new Uint8Array([0, 1, 0x7f, 0x80, 0xff]);
    expect(bytesToHex(bytes)).toBe('00017f80ff');
    expect(hexToBytes('00017F80ff')).toEqual(bytes);
    expect(hexToBytes('')).toEqual(new Uint8Array(0));
    expect(() => hexToBytes('abc')).toThrow(TypeError);
    expect(() => hexToBytes('zz')).toThrow(TypeError);
  });
});
