import type { SignedTreeHead } from '../tree-heads/tree-head';
import type { TreeHeadLog } from '../tree-heads/tree-head-log';
import type { SqliteCosignatureStore } from './sqlite/sqlite-cosignature-store';
import type { KnownWitness } from './witness-client';

/** What the log says of its witnesses, in the shape of the verifier's trust file (without the log keys). */
export interface PublishedWitnesses {
  witnesses: { name: string; verifierKey: string }[];
  /** How many must cosign a checkpoint before a bundle is issued against it; 0 without witnesses. */
  witnessQuorum: number;
}

/** A signed head, and its checkpoint as a note carrying the log's signature and every cosignature held. */
export interface WitnessedHead {
  head: SignedTreeHead;
  /** The checkpoint note: text, blank line, the log's signature line, one line per witness that cosigned it. */
  checkpoint: string;
  /** Names of the configured witnesses that cosigned it. */
  cosignedBy: string[];
}

/**
 * The read side of witnessing: checkpoints with their cosignatures, and the newest head a quorum
 * of the configured witnesses cosigned. Without witnesses, a head's checkpoint carries the log's
 * signature only and every head counts as witnessed (the quorum is 0), as before witnesses existed.
 */
export class WitnessedCheckpoints {
  constructor(
    private readonly log: TreeHeadLog,
    private readonly store: SqliteCosignatureStore,
    private readonly witnesses: readonly KnownWitness[],
    private readonly quorum: number,
    /** How long a bundle request waits for a quorum (WITNESS_TIMEOUT_MS). */
    readonly waitMs: number = 0,
  ) {}

  get required(): boolean {
    return this.witnesses.length > 0 && this.quorum > 0;
  }

  published(): PublishedWitnesses {
    return { witnesses: this.witnesses.map(({ name, verifierKey }) => ({ name, verifierKey })), witnessQuorum: this.quorum };
  }

  /** The log-signed checkpoint with the cosignature lines of the configured witnesses appended. */
  cosigned(checkpoint: string): { note: string; cosignedBy: string[] } {
    const keys = new Set(this.witnesses.map((w) => w.verifierKey));
    const held = this.store.ofCheckpoint(checkpoint).filter((c) => keys.has(c.verifierKey));
    return { note: checkpoint + held.map((c) => `${c.signatureLine}\n`).join(''), cosignedBy: held.map((c) => c.witness) };
  }

  /**
   * The newest head whose tree holds at least `minSize` leaves and, with witnesses required, whose
   * checkpoint a quorum cosigned; undefined when there is none yet.
   */
  newestWitnessed(minSize: number): WitnessedHead | undefined {
    if (!this.required) {
      const head = this.log.latest();
      if (head === undefined || head.treeSize < minSize) return undefined;
      return this.withCheckpoint(head, this.checkpointOf(head.treeSize));
    }
    const keys = this.witnesses.map((w) => w.verifierKey);
    const checkpoint = this.store.newestWithQuorum(keys, this.quorum, minSize);
    if (checkpoint === undefined) return undefined;
    const size = Number(checkpoint.split('\n')[1]);
    return this.withCheckpoint(this.log.headAtSize(size), checkpoint);
  }

  /** For statements: the newest (witnessed, when required) head covering a global position. */
  latestCovering(globalPosition: number): (SignedTreeHead & { checkpoint?: string }) | undefined {
    const size = this.log.leavesUpTo(globalPosition);
    if (size === undefined) return undefined;
    const found = this.newestWitnessed(size);
    if (found === undefined) return undefined;
    return found.checkpoint === '' ? found.head : { ...found.head, checkpoint: found.checkpoint };
  }

  private checkpointOf(treeSize: number): string {
    try {
      return this.log.checkpoint(treeSize);
    } catch {
      return ''; // a head from before checkpoints
    }
  }

  private withCheckpoint(head: SignedTreeHead, checkpoint: string): WitnessedHead {
    if (checkpoint === '') return { head, checkpoint: '', cosignedBy: [] };
    const { note, cosignedBy } = this.cosigned(checkpoint);
    return { head, checkpoint: note, cosignedBy };
  }
}
