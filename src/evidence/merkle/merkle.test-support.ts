import { createHash } from 'node:crypto';

/**
 * Shared by the Merkle tests only (no production code imports it): a seeded generator, so a
 * failing random case can be replayed, and the bit-level tampering the verifier must catch.
 */

/** mulberry32: small, fast and good enough to pick sizes and indexes reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** `count` distinct 32-byte leaves, like event chain hashes (node:crypto: filling bytes one by one is slow under jest). */
export function randomLeaves(random: () => number, count: number): Uint8Array[] {
  const seed = Math.floor(random() * 2 ** 32);
  return Array.from({ length: count }, (_, i) => new Uint8Array(createHash('sha256').update(`leaf ${seed} ${i}`).digest()));
}

export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = bytes.slice();
  copy[Math.floor(bit / 8) % copy.length] ^= 1 << (bit % 8);
  return copy;
}

/**
 * A test oracle written directly from the recursive definitions of RFC 9162 §2.1.1, §2.1.3.1 and
 * §2.1.4.1 with node:crypto, sharing no code with rfc9162.ts. MTH(D[s:e]) is memoised by range,
 * which stays valid as the tree grows (a range's hash depends only on its own leaves), so every
 * proof of every size up to a few hundred can be checked in well under a second.
 */
export class DefinitionalTree {
  private readonly memo = new Map<string, Buffer>();

  constructor(private readonly leaves: readonly Uint8Array[]) {}

  /** MTH(D[start:end]). */
  mth(start: number, end: number): Buffer {
    const key = `${start}:${end}`;
    let hash = this.memo.get(key);
    if (hash === undefined) {
      if (end === start) hash = sha256();
      else if (end - start === 1) hash = sha256(Buffer.from([0]), this.leaves[start]);
      else {
        const k = largestPowerOfTwoBelow(end - start);
        hash = sha256(Buffer.from([1]), this.mth(start, start + k), this.mth(start + k, end));
      }
      this.memo.set(key, hash);
    }
    return hash;
  }

  root(n: number): string {
    return this.mth(0, n).toString('hex');
  }

  /** PATH(m, D_n), as hex. */
  inclusionProof(m: number, n: number): string[] {
    const path = (i: number, start: number, end: number): Buffer[] => {
      if (end - start <= 1) return [];
      const k = largestPowerOfTwoBelow(end - start);
      return i < k
        ? [...path(i, start, start + k), this.mth(start + k, end)]
        : [...path(i - k, start + k, end), this.mth(start, start + k)];
    };
    return path(m, 0, n).map((h) => h.toString('hex'));
  }

  /** PROOF(m, D_n) = SUBPROOF(m, D_n, true), as hex. */
  consistencyProof(m: number, n: number): string[] {
    if (m === 0) return [];
    const subproof = (i: number, start: number, end: number, b: boolean): Buffer[] => {
      if (i === end - start) return b ? [] : [this.mth(start, end)];
      const k = largestPowerOfTwoBelow(end - start);
      return i <= k
        ? [...subproof(i, start, start + k, b), this.mth(start + k, end)]
        : [...subproof(i - k, start + k, end, false), this.mth(start, start + k)];
    };
    return subproof(m, 0, n, true).map((h) => h.toString('hex'));
  }
}

function sha256(...parts: Uint8Array[]): Buffer {
  return createHash('sha256').update(Buffer.concat(parts)).digest();
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
