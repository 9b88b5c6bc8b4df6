/**
 * The persistent Merkle log, independent of where it is stored: the port a store implements, and
 * the algorithms that answer RFC 9162 questions from stored complete subtrees in O(log n).
 *
 * Storage model. Only *complete* subtrees are stored, as `(level, index) → hash`: the node at
 * level L and index i is MTH(D[i·2^L : (i+1)·2^L]); level 0 holds the leaf hashes. A node is
 * written once, when its last leaf is appended, and never changes, so every earlier tree size is
 * still answerable.
 *
 * Why O(log n) complete subtrees always suffice. In the recursions of RFC 9162 (MTH, PATH,
 * SUBPROOF), a range D[s:e] of the tree of size n is split at s + k, k the largest power of two
 * below e − s. By induction every range the recursion visits has s divisible by the smallest
 * power of two P ≥ e − s: true for [0, n); the left part [s, s+k) has P = k and s is divisible
 * by the parent's P ≥ k; the right part [s+k, e) has P ≤ k and s + k is divisible by k. So:
 *   - a range whose size is a power of two 2^L is exactly the stored node (L, s / 2^L);
 *   - a left part is always a power of two, so only right parts can be incomplete, and they
 *     keep the parent's end: every incomplete range ends at n. Its MTH is the fold, from the
 *     right, of the complete subtrees given by the binary digits of n − s (`borderSubtrees`).
 * A PATH or SUBPROOF walk takes at most one incomplete sibling (after the walk turns into a
 * left part it stays inside complete subtrees), so a proof costs at most ~2·log2(n) node reads.
 * The exhaustive tests against the reference implementation check this reasoning in practice.
 *
 * Slim storage. A store need not keep the lowest levels: below `lowestStoredLevel` (K) a node is
 * recomputed from its leaves (`recomputingReader`). Every subtree below K lies inside one aligned
 * block of 2^K leaves, and the nodes one question needs below K fall in at most two blocks (the
 * one holding the proved leaf or the first tree's edge, and the one at the tree's end), so a root
 * or proof reads at most two ranges of at most 2^K leaves besides its stored nodes.
 */
// Server-side code (the browser verifier uses rfc9162.ts alone): Node's native SHA-256.
import { nativeLeafHash, nativeNodeHash } from './native-hashes';
import { EMPTY_ROOT, HASH_SIZE, bytesToHex, hexToBytes, splitPoint } from './rfc9162';

/** A leaf as the ledger appends it: the event's 32-byte chain hash, and where the event sits in the log. */
export interface MerkleLeafEntry {
  /** The event's chain hash (`RecordedEvent.hash`), hex or bytes: the leaf's data, d(i) in the RFC. */
  eventHash: string | Uint8Array;
  /** The event's global position; absent for leaves that are not events (tests, imports). */
  globalPosition?: number;
}

export type MerkleLeafInput = MerkleLeafEntry | string | Uint8Array;

export interface MerkleLeafRecord {
  leafIndex: number;
  /** Lower-case hex of the event's chain hash. */
  eventHash: string;
  globalPosition: number | null;
}

/** What a store offers; all sizes count leaves, all indexes count from 0. */
export interface MerkleTreeStore {
  /** Number of leaves appended so far. */
  size(): number;
  /** Appends leaves in order and returns the new size. Atomic; meant to run in the caller's transaction. */
  append(leaves: readonly MerkleLeafInput[]): number;
  /** MTH of the first `treeSize` leaves (default: all). */
  root(treeSize?: number): Uint8Array;
  /** PATH(leafIndex, D[treeSize]). */
  inclusionProof(leafIndex: number, treeSize?: number): Uint8Array[];
  /** PROOF(firstSize, D[secondSize]). */
  consistencyProof(firstSize: number, secondSize?: number): Uint8Array[];
  leafIndexOf(eventHash: string): number | undefined;
  leafIndexAtPosition(globalPosition: number): number | undefined;
  leaf(leafIndex: number): MerkleLeafRecord | undefined;
}

/** Reads one stored complete subtree; throws if it is missing (the store is then damaged). */
export type SubtreeReader = (level: number, index: number) => Uint8Array;

/** A complete subtree, by its stored coordinates: it covers leaves [index·2^level, (index+1)·2^level). */
export interface Subtree {
  level: number;
  index: number;
}

export class MerkleStoreCorruptedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MerkleStoreCorruptedError';
  }
}

/** Normalises one input leaf: the 32 raw bytes of the event hash and its position. */
export function toLeafEntry(input: MerkleLeafInput): { data: Uint8Array; hex: string; globalPosition: number | null } {
  const entry: MerkleLeafEntry = typeof input === 'string' || input instanceof Uint8Array ? { eventHash: input } : input;
  const data = typeof entry.eventHash === 'string' ? hexToBytes(entry.eventHash) : entry.eventHash;
  if (data.length !== HASH_SIZE) {
    throw new TypeError(`a leaf of the Merkle log is an event's ${HASH_SIZE}-byte chain hash, got ${data.length} bytes`);
  }
  const position = entry.globalPosition ?? null;
  if (position !== null && (!Number.isSafeInteger(position) || position < 1)) {
    throw new RangeError(`a global position is a positive integer, got ${String(position)}`);
  }
  return { data, hex: bytesToHex(data), globalPosition: position };
}

/** The event's leaf hash, SHA-256(0x00 || chain hash), for a verifier that holds only the event. */
export function eventLeafHash(eventHash: string | Uint8Array): Uint8Array {
  return nativeLeafHash(toLeafEntry(eventHash).data);
}

/**
 * A `SubtreeReader` for a store that keeps nodes from level `lowestStoredLevel` up only: lower
 * nodes are hashed from the leaves of their aligned block of 2^lowestStoredLevel leaves, read once
 * per block by `readLeafHashes(start, end)` (the leaf hashes of [start, end), fewer at the log's
 * end). Make one per question: it keeps the blocks it has read, and leaves beyond the end may come later.
 */
export function recomputingReader(
  readStored: SubtreeReader,
  lowestStoredLevel: number,
  readLeafHashes: (start: number, end: number) => Uint8Array[],
): SubtreeReader {
  const blockSize = 2 ** lowestStoredLevel;
  const blocks = new Map<number, Uint8Array[]>();
  return (level, index) => {
    if (level >= lowestStoredLevel) return readStored(level, index);
    const width = 2 ** level;
    const start = index * width;
    const block = Math.floor(start / blockSize);
    let hashes = blocks.get(block);
    if (hashes === undefined) {
      hashes = readLeafHashes(block * blockSize, (block + 1) * blockSize);
      blocks.set(block, hashes);
    }
    const offset = start - block * blockSize;
    if (offset + width > hashes.length) {
      throw new MerkleStoreCorruptedError(
        `the Merkle log lacks leaves of the subtree at level ${level}, index ${index}; its tables are damaged`,
      );
    }
    return completeSubtreeHash(hashes.slice(offset, offset + width));
  };
}

/** MTH of 2^L leaf hashes, level by level. */
function completeSubtreeHash(leafHashes: Uint8Array[]): Uint8Array {
  if (leafHashes.length === 1) return leafHashes[0].slice();
  let level = leafHashes;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(nativeNodeHash(level[i], level[i + 1]));
    level = next;
  }
  return level[0];
}

/**
 * The complete subtrees that make up D[start:end], left to right, for a range whose start is
 * aligned as explained above (always the case for ranges ending at a tree size, start 0 included).
 */
export function borderSubtrees(start: number, end: number): Subtree[] {
  const out: Subtree[] = [];
  let s = start;
  for (let size = highestPowerOfTwoAtMost(end - start); size >= 1; size /= 2) {
    if (end - s < size) continue;
    if (s % size !== 0) throw new RangeError(`D[${start}:${end}] is not made of aligned complete subtrees`);
    out.push({ level: Math.log2(size), index: s / size });
    s += size;
  }
  return out;
}

/** MTH(D[start:end]) from stored complete subtrees, folded from the right as the recursion does. */
export function storedRangeRoot(read: SubtreeReader, start: number, end: number): Uint8Array {
  if (end === start) return EMPTY_ROOT.slice();
  const parts = borderSubtrees(start, end);
  let hash = read(parts[parts.length - 1].level, parts[parts.length - 1].index);
  for (let i = parts.length - 2; i >= 0; i--) hash = nativeNodeHash(read(parts[i].level, parts[i].index), hash);
  return hash;
}

/** MTH(D[0:treeSize]). */
export function storedRoot(read: SubtreeReader, treeSize: number): Uint8Array {
  return storedRangeRoot(read, 0, treeSize);
}

/** PATH(index, D[treeSize]) of RFC 9162 §2.1.3.1, walking down from the root. */
export function storedInclusionProof(read: SubtreeReader, index: number, treeSize: number): Uint8Array[] {
  const siblings: Uint8Array[] = [];
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index - start < k) {
      siblings.push(storedRangeRoot(read, start + k, end));
      end = start + k;
    } else {
      siblings.push(storedRangeRoot(read, start, start + k));
      start += k;
    }
  }
  // The RFC lists the path from the leaf up; the walk collected it from the root down.
  return siblings.reverse();
}

/** PROOF(first, D[second]) = SUBPROOF(first, D[second], true) of RFC 9162 §2.1.4.1. */
export function storedConsistencyProof(read: SubtreeReader, first: number, second: number): Uint8Array[] {
  if (first === 0 || first === second) return [];
  const hashes: Uint8Array[] = [];
  let start = 0;
  let end = second;
  let m = first;
  let b = true;
  while (m !== end - start) {
    const k = splitPoint(end - start);
    if (m <= k) {
      hashes.push(storedRangeRoot(read, start + k, end));
      end = start + k;
    } else {
      hashes.push(storedRangeRoot(read, start, start + k));
      m -= k;
      start += k;
      b = false;
    }
  }
  if (!b) hashes.push(storedRangeRoot(read, start, end));
  return hashes.reverse();
}

/**
 * The right edge of a tree being appended to: its complete subtrees, largest first (the binary
 * digits of the size). Appending a leaf pushes it and merges equal neighbours, which is exactly
 * when a subtree completes; each merge yields one node to store.
 */
export class Frontier {
  private constructor(
    private size: number,
    private readonly stack: Array<Subtree & { hash: Uint8Array }>,
  ) {}

  /** Loads the frontier of a stored tree: popcount(size) reads. */
  static load(read: SubtreeReader, size: number): Frontier {
    return new Frontier(
      size,
      borderSubtrees(0, size).map((s) => ({ ...s, hash: read(s.level, s.index) })),
    );
  }

  /** Adds a leaf hash and returns every node it completes, the leaf first, each with its hash. */
  push(leaf: Uint8Array): Array<Subtree & { hash: Uint8Array }> {
    const written: Array<Subtree & { hash: Uint8Array }> = [];
    let node = { level: 0, index: this.size, hash: leaf };
    written.push(node);
    while (this.stack.length > 0 && this.stack[this.stack.length - 1].level === node.level) {
      const left = this.stack.pop() as Subtree & { hash: Uint8Array };
      node = { level: node.level + 1, index: left.index / 2, hash: nativeNodeHash(left.hash, node.hash) };
      written.push(node);
    }
    this.stack.push(node);
    this.size++;
    return written;
  }

  /** MTH of every leaf pushed so far: the complete subtrees of the edge, folded from the right. */
  root(): Uint8Array {
    if (this.stack.length === 0) return EMPTY_ROOT.slice();
    let hash = this.stack[this.stack.length - 1].hash;
    for (let i = this.stack.length - 2; i >= 0; i--) hash = nativeNodeHash(this.stack[i].hash, hash);
    return hash;
  }

  /** Number of leaves pushed (or loaded). */
  get leafCount(): number {
    return this.size;
  }
}

function highestPowerOfTwoAtMost(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}
