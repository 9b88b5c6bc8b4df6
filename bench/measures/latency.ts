/**
 * Latencies of single operations, kept exactly (one double each) so that percentiles are read
 * from every sample rather than from buckets: 800,000 appends take 6.4 MB.
 */
export class LatencyRecorder {
  private values = new Float64Array(4096);
  private size = 0;
  private sorted: Float64Array | null = null;

  record(milliseconds: number): void {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = milliseconds;
    this.sorted = null;
  }

  /** Adds every sample of `other`, for runs read together that were each summarised on their own. */
  addAll(other: LatencyRecorder): void {
    for (let i = 0; i < other.size; i++) this.record(other.values[i]);
  }

  get count(): number {
    return this.size;
  }

  /** The smallest sample that at least p % of samples do not exceed (nearest rank). */
  percentile(p: number): number {
    if (this.size === 0) return NaN;
    this.sorted ??= this.values.slice(0, this.size).sort();
    const rank = Math.min(this.size, Math.max(1, Math.ceil((p / 100) * this.size)));
    return this.sorted[rank - 1];
  }

  summary(): LatencySummary {
    let sum = 0;
    for (let i = 0; i < this.size; i++) sum += this.values[i];
    return {
      samples: this.size,
      meanMs: this.size ? sum / this.size : NaN,
      p50Ms: this.percentile(50),
      p90Ms: this.percentile(90),
      p95Ms: this.percentile(95),
      p99Ms: this.percentile(99),
      maxMs: this.percentile(100),
    };
  }
}

export interface LatencySummary {
  samples: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Milliseconds from a monotonic clock. */
export const nowMs = (): number => performance.now();
