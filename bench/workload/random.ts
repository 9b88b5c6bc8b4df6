/**
 * A small seeded random source (sfc32), so that a workload is the same on every machine for the
 * same seed. Each seizure gets a source of its own, derived from (seed, seizure index, lane):
 * seizures can then be generated in any order, in chunks, or one at a time, always alike.
 */

/** Independent streams of one seizure (its plan, its event ids, its timeline), and the reads. */
export const LANES = { plan: 1, eventIds: 2, timeline: 3, reads: 4 } as const;
export type Lane = (typeof LANES)[keyof typeof LANES];

/** Murmur3's finaliser: spreads every input bit over the whole word. */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, index: number, lane: Lane) {
    this.a = mix32(seed ^ 0x9e3779b9);
    this.b = mix32(Math.imul(index, 0x27d4eb2f) ^ mix32(lane));
    this.c = mix32(this.a ^ this.b ^ 0x6a09e667);
    this.d = 1;
    // sfc32 needs a few rounds before its output stops resembling its seed.
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** In [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** An integer from min to max, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.float() * values.length)];
  }

  /** One of the entries, with probability proportional to its weight. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let target = this.float() * total;
    for (const [value, weight] of entries) {
      target -= weight;
      if (target < 0) return value;
    }
    return entries[entries.length - 1][0];
  }

  /** A standard normal deviate (Box–Muller). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given arithmetic mean: seizure values are heavy-tailed. */
  logNormal(mean: number, sigma: number): number {
    return Math.exp(Math.log(mean) - (sigma * sigma) / 2 + sigma * this.normal());
  }

  hex(bytes: number): string {
    let out = '';
    for (let i = 0; i < bytes; i++) out += HEX[this.next() & 0xff];
    return out;
  }

  /**
   * A version-7 UUID (RFC 9562: 48-bit Unix milliseconds, then random bits) for the given time,
   * from this source so ids repeat with the seed. The server gives events such ids, so they reach
   * the event-id index in roughly ascending order.
   */
  uuidV7(unixMs: number): string {
    const t = Math.floor(unixMs).toString(16).padStart(12, '0').slice(-12);
    const h = this.hex(10);
    const variant = HEX[(parseInt(h.slice(4, 6), 16) & 0x3f) | 0x80];
    return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${h.slice(1, 4)}-${variant}${h.slice(6, 8)}-${h.slice(8, 20)}`;
  }

  /** A version-4 UUID, from this source rather than the system's, so ids repeat with the seed. */
  uuid(): string {
    const h = this.hex(16);
    const variant = HEX[(parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(18, 20)}-${h.slice(20, 32)}`;
  }
}
