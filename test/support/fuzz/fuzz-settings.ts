/**
 * Seeds and sizes of the fuzz and property tests. CI runs a fixed seed and a fixed, small number
 * of cases; a longer run is the same test with more, e.g. `FUZZ_RUNS=2000 npx jest test/property`
 * or `FUZZ_CASES=5000 FUZZ_SEED=7 npx jest test/e2e/http-fuzz.e2e.spec.ts`.
 */
export interface FuzzSettings {
  seed: number;
  /** Property runs (FUZZ_RUNS) or HTTP cases (FUZZ_CASES). */
  count: number;
  verbose: boolean;
}

function integerFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got "${raw}"`);
  return value;
}

export function fuzzSettings(countVariable: 'FUZZ_RUNS' | 'FUZZ_CASES', defaults: { seed: number; count: number }): FuzzSettings {
  return {
    seed: integerFromEnv('FUZZ_SEED', defaults.seed),
    count: integerFromEnv(countVariable, defaults.count),
    verbose: process.env.FUZZ_VERBOSE === '1',
  };
}

/** A small seeded generator (mulberry32): the same seed gives the same cases on every machine. */
export class SeededRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  shuffled<T>(values: readonly T[]): T[] {
    const out = [...values];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
}

/** Counts by label, printed as `a=3 b=1`. */
export class Tally {
  private readonly counts = new Map<string, number>();
  add(label: string): void {
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
  }
  toString(): string {
    return [...this.counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([label, n]) => `${label}=${n}`)
      .join(' ');
  }
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
