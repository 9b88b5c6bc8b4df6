/**
 * Merkle Tree Hash, inclusion and consistency proofs of RFC 9162 §2.1
 * (https://www.rfc-editor.org/rfc/rfc9162#section-2.1), with SHA-256.
 *
 * This file must run unchanged in Node, the CLI and a browser, so that a court can check a proof
 * with code that never touched our servers: it depends on @noble/hashes only — no node:crypto,
 * no Buffer. Tree sizes and indexes are plain numbers; the bit operations below use arithmetic
 * (`% 2`, `/ 2`) rather than `&`/`>>`, which would truncate to 32 bits.
 */
import { sha256 } from '@noble/hashes/sha256';

/** Every hash in the tree is a SHA-256 digest. */
export const HASH_SIZE = 32;

export type Verification = { ok: true } | { ok: false; reason: string };

export interface InclusionCheck {
  leafIndex: number;
  treeSize: number;
  /** The leaf's hash, `leafHash(leaf)` — not the leaf itself. */
  leafHash: Uint8Array;
  proof: readonly Uint8Array[];
  rootHash: Uint8Array;
}

export interface ConsistencyCheck {
  firstSize: number;
  secondSize: number;
  firstRoot: Uint8Array;
  secondRoot: Uint8Array;
  proof: readonly Uint8Array[];
}

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

// ---------------------------------------------------------------------------------------------
// Bytes and hex

const HEX_OF_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_OF_BYTE[bytes[i]];
  return out;
}

/** Accepts upper or lower case; throws TypeError on anything that is not whole bytes of hex. */
export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new TypeError(`not a hex string of whole bytes: "${hex.length > 80 ? `${hex.slice(0, 80)}…` : hex}"`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

// ---------------------------------------------------------------------------------------------
// Hashing (§2.1.1)

/** What a leaf hash hashes: 0x00 || d(0). Shared with the server's native hashing (native-hashes.ts). */
export function leafHashInput(leaf: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + leaf.length);
  input[0] = LEAF_PREFIX;
  input.set(leaf, 1);
  return input;
}

/** What a node hash hashes: 0x01 || left || right. */
export function nodeHashInput(left: Uint8Array, right: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return input;
}

/** MTH({d(0)}) = SHA-256(0x00 || d(0)). */
export const leafHash = (leaf: Uint8Array): Uint8Array => sha256(leafHashInput(leaf));

/** SHA-256(0x01 || left || right). */
export const nodeHash = (left: Uint8Array, right: Uint8Array): Uint8Array => sha256(nodeHashInput(left, right));

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

/** The largest power of two strictly smaller than n (n ≥ 2): the split point k of §2.1.1. */
export function splitPoint(n: number): number {
  if (!Number.isSafeInteger(n) || n < 2) throw new RangeError(`a split point needs at least 2 leaves, got ${n}`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// ---------------------------------------------------------------------------------------------
// Reference implementation, straight from the recursive definitions. It hashes every leaf, so it
// is for tests and small trees; the persistent tree answers the same questions in O(log n).

/** MTH(D_n) of §2.1.1. */
export function rootOf(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return EMPTY_ROOT.slice();
  return mth(leaves.map(leafHash), 0, leaves.length);
}

/** PATH(m, D_n) of §2.1.3.1, for leaf `index` of the tree made of all `leaves`. */
export function inclusionProof(leaves: readonly Uint8Array[], index: number): Uint8Array[] {
  if (!Number.isSafeInteger(index) || index < 0 || index >= leaves.length) {
    throw new RangeError(`leaf ${index} is not in a tree of ${leaves.length}`);
  }
  const hashes = leaves.map(leafHash);
  const path = (m: number, start: number, end: number): Uint8Array[] => {
    if (end - start === 1) return [];
    const k = splitPoint(end - start);
    return m < k
      ? [...path(m, start, start + k), mth(hashes, start + k, end)]
      : [...path(m - k, start + k, end), mth(hashes, start, start + k)];
  };
  return path(index, 0, leaves.length);
}

/** PROOF(m, D_n) = SUBPROOF(m, D_n, true) of §2.1.4.1; empty when m is 0 or n. */
export function consistencyProof(leaves: readonly Uint8Array[], m: number): Uint8Array[] {
  if (!Number.isSafeInteger(m) || m < 0 || m > leaves.length) {
    throw new RangeError(`a tree of ${leaves.length} has no earlier version of size ${m}`);
  }
  if (m === 0) return [];
  const hashes = leaves.map(leafHash);
  const subproof = (m2: number, start: number, end: number, b: boolean): Uint8Array[] => {
    if (m2 === end - start) return b ? [] : [mth(hashes, start, end)];
    const k = splitPoint(end - start);
    return m2 <= k
      ? [...subproof(m2, start, start + k, b), mth(hashes, start + k, end)]
      : [...subproof(m2 - k, start + k, end, false), mth(hashes, start, start + k)];
  };
  return subproof(m, 0, leaves.length, true);
}

function mth(hashes: readonly Uint8Array[], start: number, end: number): Uint8Array {
  if (end - start === 1) return hashes[start];
  const k = splitPoint(end - start);
  return nodeHash(mth(hashes, start, start + k), mth(hashes, start + k, end));
}

// ---------------------------------------------------------------------------------------------
// Proof lengths, used only to tell a reader how many hashes a proof should have had. They follow
// the same recursions as PATH and SUBPROOF.

/** len(PATH(index, D_size)). */
export function inclusionProofLength(index: number, size: number): number {
  let length = 0;
  while (size > 1) {
    const k = splitPoint(size);
    if (index < k) size = k;
    else {
      index -= k;
      size -= k;
    }
    length++;
  }
  return length;
}

/** len(PROOF(first, D_second)) for 0 < first ≤ second. */
export function consistencyProofLength(first: number, second: number): number {
  let length = 0;
  let b = true;
  while (first !== second) {
    const k = splitPoint(second);
    if (first <= k) second = k;
    else {
      first -= k;
      second -= k;
      b = false;
    }
    length++;
  }
  return b ? length : length + 1;
}

// ---------------------------------------------------------------------------------------------
// Verifiers (§2.1.3.2, §2.1.4.2). They never throw: any input, however malformed, gets a verdict.

const isOdd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);
const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function badSize(name: string, value: number): string | null {
  return Number.isSafeInteger(value) && value >= 0 ? null : `the ${name} must be a whole number of 0 or more, not ${String(value)}`;
}

function badHash(name: string, value: Uint8Array): string | null {
  if (!(value instanceof Uint8Array)) return `the ${name} is not a byte string`;
  return value.length === HASH_SIZE ? null : `the ${name} is ${plural(value.length, 'byte', 'bytes')} long; a SHA-256 hash is ${HASH_SIZE}`;
}

/** Whether a value from outside is an array, without narrowing its declared element type to any. */
const isList = (value: unknown): boolean => Array.isArray(value);

function badProof(proof: readonly Uint8Array[]): string | null {
  if (!isList(proof)) return 'the proof is not a list of hashes';
  for (let i = 0; i < proof.length; i++) {
    const bad = badHash(`proof's hash #${i + 1}`, proof[i]);
    if (bad !== null) return bad;
  }
  return null;
}

const fail = (reason: string): Verification => ({ ok: false, reason });

/** RFC 9162 §2.1.3.2: does `leafHash` sit at `leafIndex` of the tree of `treeSize` whose root is `rootHash`? */
export function verifyInclusion(check: InclusionCheck): Verification {
  const { leafIndex, treeSize, leafHash: hash, proof, rootHash } = check;
  const shapeError =
    badSize('tree size', treeSize) ??
    badSize('leaf index', leafIndex) ??
    badHash('leaf hash', hash) ??
    badHash('root hash', rootHash) ??
    badProof(proof);
  if (shapeError !== null) return fail(shapeError);

  // 1. leaf_index must be below tree_size.
  if (leafIndex >= treeSize) {
    return fail(
      treeSize === 0
        ? `leaf ${leafIndex} cannot be in an empty tree`
        : `leaf ${leafIndex} is not in a tree of ${treeSize} (its leaves are numbered 0 to ${treeSize - 1})`,
    );
  }
  const wrongLength = (): Verification => {
    const needed = inclusionProofLength(leafIndex, treeSize);
    return fail(`the proof has ${plural(proof.length, 'hash', 'hashes')}; leaf ${leafIndex} of a tree of ${treeSize} needs ${needed}`);
  };
  // 2.–3.
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = hash;
  // 4.
  for (const p of proof) {
    if (sn === 0) return wrongLength(); // 4a
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r); // 4b i
      if (!isOdd(fn)) {
        // 4b ii: skip the levels where this leaf's subtree is the rightmost and has no sibling.
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p); // 4b "Otherwise"
    }
    fn = half(fn); // 4c
    sn = half(sn);
  }
  // 5.
  if (sn !== 0) return wrongLength();
  if (!equalBytes(r, rootHash)) return fail("the computed root differs from the head's root");
  return { ok: true };
}

/**
 * RFC 9162 §2.1.4.2: is the tree of `secondSize` with `secondRoot` an append-only extension of
 * the tree of `firstSize` with `firstRoot`? The RFC's algorithm covers 0 < first < second; the
 * two trivial cases are settled as every CT client does: equal sizes need an empty proof and
 * equal roots, and the empty tree (whose root must be MTH({})) is a prefix of every tree.
 */
export function verifyConsistency(check: ConsistencyCheck): Verification {
  const { firstSize: first, secondSize: second, firstRoot, secondRoot, proof } = check;
  const shapeError =
    badSize('first tree size', first) ??
    badSize('second tree size', second) ??
    badHash("first head's root", firstRoot) ??
    badHash("second head's root", secondRoot) ??
    badProof(proof);
  if (shapeError !== null) return fail(shapeError);

  if (first > second) return fail(`the first head (tree of ${first}) is larger than the second (tree of ${second}); a log only grows`);
  if (first === second) {
    if (proof.length !== 0) return fail(`the proof has ${plural(proof.length, 'hash', 'hashes')}; two heads of the same size need none`);
    if (!equalBytes(firstRoot, secondRoot))
      return fail(`two heads of the same size ${first} have different roots: the log was rewritten or forked`);
    return { ok: true };
  }
  if (first === 0) {
    if (proof.length !== 0) return fail(`the proof has ${plural(proof.length, 'hash', 'hashes')}; growing from an empty tree needs none`);
    if (!equalBytes(firstRoot, EMPTY_ROOT)) return fail("the first head claims an empty tree but its root is not the empty tree's hash");
    return { ok: true };
  }

  const wrongLength = (): Verification => {
    const needed = consistencyProofLength(first, second);
    return fail(
      `the proof has ${plural(proof.length, 'hash', 'hashes')}; going from a tree of ${first} to a tree of ${second} needs ${needed}`,
    );
  };
  // 1.
  if (proof.length === 0) return wrongLength();
  // 2. A power-of-two first tree is a complete subtree of the second, so its root starts the path.
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  // 3.
  let fn = first - 1;
  let sn = second - 1;
  // 4.
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // 5.
  let fr = path[0];
  let sr = path[0];
  // 6.
  for (const c of path.slice(1)) {
    if (sn === 0) return wrongLength(); // 6a
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr); // 6b i
      sr = nodeHash(c, sr); // 6b ii
      if (!isOdd(fn)) {
        // 6b iii
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c); // 6b "Otherwise"
    }
    fn = half(fn); // 6c
    sn = half(sn);
  }
  // 7.
  if (sn !== 0) return wrongLength();
  if (!equalBytes(fr, firstRoot)) {
    return fail(
      `the computed root of the first ${first} entries differs from the first head's root: the earlier history is not a prefix of the later tree`,
    );
  }
  if (!equalBytes(sr, secondRoot)) return fail("the computed root differs from the second head's root");
  return { ok: true };
}

function isPowerOfTwo(n: number): boolean {
  let x = n;
  while (x > 1 && !isOdd(x)) x = half(x);
  return x === 1;
}
