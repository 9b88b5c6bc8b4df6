import { parseCheckpoint } from '../checkpoint/checkpoint';
import { hexToBytes } from '../merkle/rfc9162';
import type { TreeHeadLog } from '../tree-heads/tree-head-log';
import type { SqliteCosignatureStore } from './sqlite/sqlite-cosignature-store';
import { submitCheckpoint, type KnownWitness, type Submission } from './witness-client';

export interface WitnessingOptions {
  /** How often the newest checkpoint is looked at (the signing interval). */
  intervalMs: number;
  /** The longest one submission may take. */
  timeoutMs: number;
  /** Milliseconds since the epoch, for backoff. */
  nowMs?: () => number;
  /** ISO instant the cosignature is stored at. */
  now: () => string;
  fetch?: typeof fetch;
}

interface Logger {
  log(message: string): void;
  warn(message: string): void;
}

/** A witness that failed waits this long before the next try, doubling up to MAX_BACKOFF_MS. */
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5 * 60 * 1000;

interface WitnessProgress {
  /** The size this witness last cosigned, as far as the log knows (its stored cosignatures, or a 409 answer). */
  knownSize?: number;
  failures: number;
  retryAtMs: number;
}

/**
 * The log's side of the witness protocol: every interval it submits the newest checkpoint to each
 * configured witness that has not cosigned it yet, with a consistency proof from the size that
 * witness last cosigned, and keeps each cosignature that verifies. It runs on its own timer: a
 * witness that is down or slow only backs off (exponentially, up to five minutes) and is logged;
 * the event log, the Merkle projection and head signing never wait for it.
 */
export class CheckpointWitnessing {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly progress = new Map<string, WitnessProgress>();
  private readonly nowMs: () => number;

  constructor(
    private readonly log: TreeHeadLog,
    private readonly store: SqliteCosignatureStore,
    private readonly witnesses: readonly KnownWitness[],
    private readonly options: WitnessingOptions,
    private readonly logger?: Logger,
  ) {
    this.nowMs = options.nowMs ?? Date.now;
    for (const w of witnesses) this.progress.set(w.verifierKey, { failures: 0, retryAtMs: 0 });
  }

  start(): void {
    if (this.timer !== null || this.witnesses.length === 0) return;
    const run = (): void => {
      this.running = this.round().finally(() => {
        this.running = null;
        if (this.timer !== null) this.timer = setTimeout(run, this.options.intervalMs);
      });
    };
    this.timer = setTimeout(run, 0);
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass over the witnesses with the newest checkpoint; never throws. */
  async round(): Promise<void> {
    let checkpoint: string;
    try {
      checkpoint = this.log.checkpoint();
    } catch {
      return; // none signed yet
    }
    const parsed = parseCheckpoint(checkpoint.slice(0, checkpoint.indexOf('\n\n') + 1));
    if (!parsed.ok) return;
    const size = parsed.checkpoint.treeSize;
    const cosignedBy = new Set(this.store.ofCheckpoint(checkpoint).map((c) => c.verifierKey));
    await Promise.all(
      this.witnesses
        .filter((w) => !cosignedBy.has(w.verifierKey) && this.progressOf(w).retryAtMs <= this.nowMs())
        .map((w) => this.submit(w, checkpoint, size).catch((error: unknown) => this.failed(w, `${(error as Error).message}`))),
    );
  }

  private progressOf(w: KnownWitness): WitnessProgress {
    return this.progress.get(w.verifierKey) as WitnessProgress;
  }

  private async submit(w: KnownWitness, checkpoint: string, size: number): Promise<void> {
    const progress = this.progressOf(w);
    // At most two tries: the second from the size a 409 answer named.
    for (let attempt = 0; attempt < 2; attempt++) {
      const oldSize = progress.knownSize ?? this.store.latestSizeCosignedBy(w.verifierKey) ?? 0;
      if (oldSize > size) {
        return this.failed(
          w,
          `it last cosigned size ${oldSize}, more than this log's newest checkpoint (${size}): a fork or a restored backup?`,
        );
      }
      const proof = oldSize === 0 || oldSize === size ? [] : this.log.consistencyProof(oldSize, size).proof.map(hexToBytes);
      const answer: Submission = await submitCheckpoint(w, { oldSize, proof, checkpoint }, this.options.timeoutMs, this.options.fetch);
      switch (answer.kind) {
        case 'cosigned':
          this.store.insert(
            { checkpoint, treeSize: size, witness: w.name, verifierKey: w.verifierKey, signatureLine: answer.signatureLine },
            this.options.now(),
          );
          Object.assign(progress, { knownSize: size, failures: 0, retryAtMs: 0 });
          return;
        case 'size-mismatch':
          progress.knownSize = answer.witnessSize;
          continue;
        case 'refused':
        case 'unreachable':
          return this.failed(w, answer.reason);
        default: {
          const unexpected: never = answer;
          throw new Error(`unexpected submission ${JSON.stringify(unexpected)}`);
        }
      }
    }
    this.failed(w, 'it answered 409 twice');
  }

  private failed(w: KnownWitness, reason: string): void {
    const progress = this.progressOf(w);
    const wait = Math.min(FIRST_BACKOFF_MS * 2 ** progress.failures, MAX_BACKOFF_MS);
    progress.failures++;
    progress.retryAtMs = this.nowMs() + wait;
    this.logger?.warn(`witness ${w.name} (${w.url}) did not cosign: ${reason}; next try in ${Math.round(wait / 1000)} s`);
  }
}
