/**
 * Group commit: appends that arrive in the same turn of the event loop are handed to `commit`
 * together, so that they share one transaction and one fsync instead of paying one each.
 *
 * The flush runs on setImmediate, after the poll phase, so every request that Node read from the
 * network in that phase, and every appender that resumed from the previous flush's promise, is in
 * the batch. `commit` returns one outcome per request, in order: each request is settled on its
 * own, so one append's conflict never fails its neighbours. If `commit` throws, the batch as a
 * whole was not written and every request in it is rejected with that error.
 */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Waiting<T, R> {
  request: T;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions<T, R> {
  commit: (requests: readonly T[]) => Array<Outcome<R>>;
  /** Called with the outcomes after they were settled, e.g. to wake subscribers once per batch. */
  afterCommit?: (outcomes: ReadonlyArray<Outcome<R>>) => void;
  /** Most requests in one transaction; the rest wait for the next flush (bounds the time the event loop is held). */
  maxBatchSize: number;
}

export class GroupCommitQueue<T, R> {
  private waiting: Array<Waiting<T, R>> = [];
  private scheduled = false;

  constructor(private readonly options: GroupCommitOptions<T, R>) {}

  get pending(): number {
    return this.waiting.length;
  }

  submit(request: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      this.schedule();
    });
  }

  /** Commits everything waiting now, synchronously (used on close, so nothing submitted is dropped). */
  flushAll(): void {
    while (this.waiting.length > 0) this.flushOnce();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flushOnce();
      if (this.waiting.length > 0) this.schedule();
    });
  }

  private flushOnce(): void {
    const batch = this.waiting.splice(0, this.options.maxBatchSize);
    if (batch.length === 0) return;
    let outcomes: Array<Outcome<R>>;
    try {
      outcomes = this.options.commit(batch.map((w) => w.request));
      if (outcomes.length !== batch.length) throw new Error(`commit returned ${outcomes.length} outcomes for ${batch.length} requests`);
    } catch (error) {
      for (const w of batch) w.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => (outcome.ok ? batch[i].resolve(outcome.value) : batch[i].reject(outcome.error)));
    this.options.afterCommit?.(outcomes);
  }
}
