import type { Clock } from '../../shared/clock';
import type { SqliteMerkleTree } from '../merkle/sqlite/sqlite-merkle-tree';
import { checkpointOrigin, signCheckpoint } from './log-checkpoint';
import type { LogSigningKey } from './signing-key';
import type { SqliteTreeHeadStore } from './sqlite/sqlite-tree-head-store';
import type { SignedTreeHead } from './tree-head';

/** A head is signed at least this often, new events or not, so observers see the log is alive. */
export const MAX_TREE_HEAD_AGE_MS = 60 * 60 * 1000;

export interface TreeHeadSignerOptions {
  /** Time between checks, and so the shortest time between two heads (TREE_HEAD_INTERVAL_SECONDS). */
  intervalMs: number;
  /** Sign a head of an unchanged tree once the last head is this old (by the clock). */
  maxAgeMs?: number;
  /** The checkpoints' origin (LOG_ORIGIN); default: the key's `defaultOrigin`. */
  origin?: string;
}

interface SignerLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Signs heads of the Merkle log. Every `intervalMs` it checks the tree: if it grew since the last
 * head, or the last head is older than an hour by the injected clock (or there is no head yet),
 * it signs one head of the tree as it is — so every batch of events arriving within an interval
 * shares one head. The tree's size and root and the new head are read and written in one write
 * transaction on the read-model connection, so the head is of a tree the projector committed.
 *
 * Each head is also signed as a C2SP checkpoint of `origin`, stored with it. A head is due at once
 * when the last one has no checkpoint (signed before checkpoints existed) or one of another origin.
 *
 * Timestamps strictly increase: when the clock has not moved past the last head's timestamp
 * (a frozen test clock, a clock stepped back), the head is stamped 1 ms after the last one
 * rather than waiting; the signer never lets a head's time run backwards.
 */
export class TreeHeadSigner {
  private timer: NodeJS.Timeout | null = null;
  private readonly maxAgeMs: number;
  private readonly origin: string;

  constructor(
    private readonly tree: SqliteMerkleTree,
    private readonly heads: SqliteTreeHeadStore,
    private readonly key: LogSigningKey,
    private readonly clock: Clock,
    private readonly options: TreeHeadSignerOptions,
    private readonly logger?: SignerLogger,
  ) {
    this.maxAgeMs = options.maxAgeMs ?? MAX_TREE_HEAD_AGE_MS;
    this.origin = options.origin ?? key.defaultOrigin;
  }

  /** Checks at once, then every interval, until stop(). */
  start(): void {
    if (this.timer !== null) return;
    const run = (): void => {
      this.safeTick();
      if (this.timer !== null) this.timer = setTimeout(run, this.options.intervalMs);
    };
    this.timer = setTimeout(run, 0);
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One check: the head it signed, or null when none was due. */
  tick(): SignedTreeHead | null {
    return this.heads.inTransaction(() => {
      const last = this.heads.latest();
      const size = this.tree.size();
      const nowMs = Date.parse(this.clock.now());
      if (last !== undefined) {
        if (size < last.treeSize) {
          // The Merkle log is being rebuilt: wait until it is back where the last head was.
          return null;
        }
        const stale = nowMs - Date.parse(last.timestamp) >= this.maxAgeMs;
        const checkpoint = this.heads.latestCheckpoint()?.checkpoint;
        const checkpointDue = checkpoint === undefined || checkpointOrigin(checkpoint) !== this.origin;
        if (size === last.treeSize && !stale && !checkpointDue) return null;
      }
      const rootHash = this.tree.rootHex(size);
      if (last !== undefined && size === last.treeSize && rootHash !== last.rootHash) {
        throw new Error(
          `the Merkle log of ${size} events has root ${rootHash}, but head ${last.timestamp} signed root ${last.rootHash} for that size; refusing to sign a fork`,
        );
      }
      const minimum = last === undefined ? nowMs : Date.parse(last.timestamp) + 1;
      const timestamp = new Date(Math.max(nowMs, minimum)).toISOString();
      const head = this.key.sign({ treeSize: size, rootHash, timestamp });
      this.heads.insert(head, signCheckpoint(this.key, this.origin, head));
      return head;
    });
  }

  private safeTick(): void {
    try {
      const head = this.tick();
      if (head !== null) this.logger?.log(`signed tree head: ${head.treeSize} events, root ${head.rootHash}, ${head.timestamp}`);
    } catch (error) {
      // Until the projector created the Merkle log's tables, or while the database is busy: retried next interval.
      this.logger?.warn(`no tree head signed this time: ${(error as Error).message}`);
    }
  }
}
