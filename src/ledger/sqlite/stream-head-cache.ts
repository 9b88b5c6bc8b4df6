export interface StreamHead {
  revision: number;
  hash: string;
}

/**
 * The last revision and hash of recently written streams, so an append needs no read of the
 * stream to find where to chain. Bounded: the least recently written streams are forgotten first.
 *
 * It is only ever trusted inside the write transaction, and only if the log's last position is
 * the one this process last saw: another process sharing the file may have appended to any
 * stream, and then the whole cache is dropped (`validate`).
 */
export class StreamHeadCache {
  private readonly heads = new Map<string, StreamHead>();
  /** The log's last position when the cache was last known to be complete for what it holds. */
  private knownLastPosition: number | null = null;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.heads.size;
  }

  /** Call inside the write transaction with the log's current last position. */
  validate(lastPosition: number): void {
    if (lastPosition !== this.knownLastPosition) this.heads.clear();
    this.knownLastPosition = lastPosition;
  }

  get(streamName: string): StreamHead | undefined {
    return this.heads.get(streamName);
  }

  /** Records heads written by a committed transaction that ended at `lastPosition`. */
  commit(written: ReadonlyMap<string, StreamHead>, lastPosition: number): void {
    for (const [stream, head] of written) {
      this.heads.delete(stream); // re-inserted last: Map iteration order is the recency order
      this.heads.set(stream, head);
    }
    while (this.heads.size > this.capacity) {
      const oldest = this.heads.keys().next().value as string;
      this.heads.delete(oldest);
    }
    this.knownLastPosition = lastPosition;
  }

  /** After a failed transaction nothing it wrote is known to exist. */
  invalidate(): void {
    this.heads.clear();
    this.knownLastPosition = null;
  }
}
