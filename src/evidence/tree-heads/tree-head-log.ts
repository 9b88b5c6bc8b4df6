import { bytesToHex } from '../merkle/rfc9162';
import { eventLeafHash } from '../merkle/merkle-tree-store';
import type { SqliteMerkleTree } from '../merkle/sqlite/sqlite-merkle-tree';
import { ed25519VerifierKey } from '../checkpoint/signed-note';
import type { LogKeyHistoryEntry } from './log-key-history';
import type { LogKeys } from './log-keys';
import type { LogSigningKey } from './signing-key';
import type { SqliteTreeHeadStore } from './sqlite/sqlite-tree-head-store';
import type { SignedTreeHead } from './tree-head';

/** A key of the log's history, with the C2SP verifier key of the checkpoints it signed. */
export interface PublishedLogKey extends LogKeyHistoryEntry {
  checkpointVerifierKey: string;
}

/**
 * The log's current key (the fields from before rotation, unchanged for existing clients) and
 * every key it ever had (`logKeys`): the answer saved as a file is a verifier's trust file.
 */
export interface LogPublicKey {
  /** The log's identity: the key id of its first key, unchanged by rotations. */
  logId: string;
  algorithm: 'Ed25519';
  /** The current key: base64 of the raw 32 bytes. */
  publicKey: string;
  /** Hex SHA-256 of the current key: what the heads it signs name as `keyId`. */
  keyId: string;
  /** When the current key took over. */
  validFrom: string;
  /** SPKI PEM. */
  publicKeyPem: string;
  /** The origin (first line, and signing key name) of the checkpoints signed from now on. */
  checkpointOrigin: string;
  /** The C2SP verifier key of those checkpoints: `<origin>+<hex key ID>+<base64(0x01 || public key)>`. */
  checkpointVerifierKey: string;
  /** Every key of the log, oldest first, with its validity and the head announcing it; a trust file's `logKeys`. */
  logKeys: PublishedLogKey[];
}

export interface InclusionProofAnswer {
  leafIndex: number;
  treeSize: number;
  /** Hex RFC 9162 leaf hash, SHA-256(0x00 || event chain hash). */
  leafHash: string;
  proof: string[];
  /** The root of the signed head of `treeSize`. */
  rootHash: string;
  eventHash: string;
  globalPosition: number | null;
}

export interface ConsistencyProofAnswer {
  firstSize: number;
  secondSize: number;
  proof: string[];
}

export type EvidenceLookupProblem =
  'no-such-tree-head' | 'no-such-checkpoint' | 'event-not-in-log' | 'event-not-in-tree' | 'merkle-log-behind' | 'invalid-tree-sizes';

/** A lookup that cannot be answered; `status` is the HTTP status it maps to. */
export class EvidenceLookupError extends Error {
  constructor(
    readonly problem: EvidenceLookupProblem,
    readonly status: 400 | 404 | 503,
    message: string,
  ) {
    super(message);
    this.name = 'EvidenceLookupError';
  }

  /** The error registry's key: the problem names the lookup that failed. */
  get code(): EvidenceLookupProblem {
    return this.problem;
  }
}

/**
 * The query side of the signed Merkle log: heads, the public key, and proofs — always against a
 * size some signed head commits to, since a proof against an unsigned tree proves nothing to an
 * outsider. Framework-free; the HTTP controller and the evidence bundle both use it.
 */
export class TreeHeadLog {
  constructor(
    private readonly tree: SqliteMerkleTree,
    private readonly heads: SqliteTreeHeadStore,
    private readonly key: LogSigningKey,
    /** LOG_ORIGIN; default: the key's `defaultOrigin`. */
    private readonly origin: string = key.defaultOrigin,
    /** The key history; without it (tools, tests), the log has only ever had `key`. */
    private readonly keys?: LogKeys,
  ) {}

  private history(): LogKeyHistoryEntry[] {
    if (this.keys !== undefined) return this.keys.history();
    const validFrom = this.heads.after('', 1)[0]?.timestamp ?? '';
    return [{ keyId: this.key.keyId, publicKey: this.key.publicKeyBase64, validFrom, validUntil: null, announcement: null }];
  }

  publicKey(): LogPublicKey {
    const history = this.history();
    return {
      logId: this.key.logId,
      algorithm: 'Ed25519',
      publicKey: this.key.publicKeyBase64,
      keyId: this.key.keyId,
      validFrom: history.find((k) => k.keyId === this.key.keyId)?.validFrom ?? '',
      publicKeyPem: this.key.publicKeyPem,
      checkpointOrigin: this.origin,
      checkpointVerifierKey: this.key.noteVerifierKey(this.origin),
      logKeys: history.map((k) => ({
        ...k,
        checkpointVerifierKey: ed25519VerifierKey(this.origin, new Uint8Array(Buffer.from(k.publicKey, 'base64'))),
      })),
    };
  }

  /** Base64 of the public key that signed `head` (the one it names; the log's first key for a head from before rotation). */
  publicKeyOf(head: SignedTreeHead): string {
    const keyId = head.keyId ?? head.logId;
    if (keyId === this.key.keyId) return this.key.publicKeyBase64;
    const key = this.history().find((k) => k.keyId === keyId);
    if (key === undefined) throw new Error(`head ${head.timestamp} names key ${keyId}, which is not in the log's key history`);
    return key.publicKey;
  }

  /**
   * The signed checkpoint (C2SP signed note) of the newest head, or of the earliest head of
   * `treeSize` that has one, exactly as signed; `no-such-checkpoint` (404) when there is none
   * (before the first head, or for a size only heads from before checkpoints existed have).
   */
  checkpoint(treeSize?: number): string {
    if (treeSize === undefined) {
      const latest = this.heads.latestCheckpoint();
      if (latest === undefined) throw new EvidenceLookupError('no-such-checkpoint', 404, 'no checkpoint has been signed yet');
      return latest.checkpoint;
    }
    const checkpoint = this.heads.checkpointAtSize(treeSize);
    if (checkpoint === undefined) throw new EvidenceLookupError('no-such-checkpoint', 404, `no checkpoint was signed at size ${treeSize}`);
    return checkpoint;
  }

  /** The newest head, or undefined before the first is signed. */
  latest(): SignedTreeHead | undefined {
    return this.heads.latest();
  }

  /**
   * How many leaves the Merkle log holds for the events up to and including `globalPosition`
   * (every projected event is a leaf, in position order); undefined while the log has not yet
   * reached that position (it lags, or is being rebuilt).
   */
  leavesUpTo(globalPosition: number): number | undefined {
    if (globalPosition <= 0) return 0;
    const index = this.tree.leafIndexAtPosition(globalPosition);
    return index === undefined ? undefined : index + 1;
  }

  /**
   * The newest head whose tree holds every event up to and including `globalPosition`, or
   * undefined while no signed head covers it yet.
   */
  latestCovering(globalPosition: number): SignedTreeHead | undefined {
    const size = this.leavesUpTo(globalPosition);
    if (size === undefined) return undefined;
    const head = this.heads.latest();
    return head !== undefined && head.treeSize >= size ? head : undefined;
  }

  /** The earliest head signed at exactly `treeSize`; throws `no-such-tree-head` (404) if none. */
  headAtSize(treeSize: number): SignedTreeHead {
    const head = this.heads.atSize(treeSize);
    if (head === undefined) throw new EvidenceLookupError('no-such-tree-head', 404, `no tree head was signed at size ${treeSize}`);
    return head;
  }

  /** The last head signed strictly before `timestamp`. */
  headBefore(timestamp: string): SignedTreeHead {
    const head = this.heads.before(timestamp);
    if (head === undefined) throw new EvidenceLookupError('no-such-tree-head', 404, `no tree head was signed before ${timestamp}`);
    return head;
  }

  /** Heads signed after `after` (ISO; '' for the first), oldest first, `limit` at most. */
  list(after: string, limit: number): { items: SignedTreeHead[]; nextAfter: string | null } {
    const items = this.heads.after(after, limit + 1);
    const more = items.length > limit;
    if (more) items.pop();
    return { items, nextAfter: more ? items[items.length - 1].timestamp : null };
  }

  /**
   * The inclusion proof of an event (by chain hash or global position) in the tree of a signed
   * head: `treeSize` defaults to the latest head's.
   */
  inclusionProof(event: { eventHash: string } | { globalPosition: number }, treeSize?: number): InclusionProofAnswer {
    const head = treeSize === undefined ? this.requireLatest() : this.headAtSize(treeSize);
    const leafIndex = 'eventHash' in event ? this.tree.leafIndexOf(event.eventHash) : this.tree.leafIndexAtPosition(event.globalPosition);
    const named = 'eventHash' in event ? `event ${event.eventHash}` : `the event at global position ${event.globalPosition}`;
    if (leafIndex === undefined) {
      throw new EvidenceLookupError(
        'event-not-in-log',
        404,
        `${named} is not in the Merkle log (not a seizure event, or not yet projected)`,
      );
    }
    if (leafIndex >= head.treeSize) {
      throw new EvidenceLookupError(
        'event-not-in-tree',
        404,
        `${named} is leaf ${leafIndex}, after the ${head.treeSize} events of the head signed at ${head.timestamp}; ask for a later head`,
      );
    }
    this.requireTreeAt(head.treeSize);
    const leaf = this.tree.leaf(leafIndex);
    if (leaf === undefined) throw new EvidenceLookupError('merkle-log-behind', 503, `leaf ${leafIndex} is missing from the Merkle log`);
    return {
      leafIndex,
      treeSize: head.treeSize,
      leafHash: bytesToHex(eventLeafHash(leaf.eventHash)),
      proof: this.tree.inclusionProof(leafIndex, head.treeSize).map(bytesToHex),
      rootHash: head.rootHash,
      eventHash: leaf.eventHash,
      globalPosition: leaf.globalPosition,
    };
  }

  /** The consistency proof between two signed heads' trees. */
  consistencyProof(firstSize: number, secondSize: number): ConsistencyProofAnswer {
    if (firstSize > secondSize) {
      throw new EvidenceLookupError(
        'invalid-tree-sizes',
        400,
        `firstSize ${firstSize} is larger than secondSize ${secondSize}; a log only grows`,
      );
    }
    this.headAtSize(firstSize);
    this.headAtSize(secondSize);
    this.requireTreeAt(secondSize);
    return { firstSize, secondSize, proof: this.tree.consistencyProof(firstSize, secondSize).map(bytesToHex) };
  }

  private requireLatest(): SignedTreeHead {
    const head = this.heads.latest();
    if (head === undefined) throw new EvidenceLookupError('no-such-tree-head', 404, 'no tree head has been signed yet');
    return head;
  }

  // During a rebuild of the Merkle log its tree can be smaller than a head signed earlier.
  private requireTreeAt(treeSize: number): void {
    const size = this.tree.size();
    if (size < treeSize) {
      throw new EvidenceLookupError(
        'merkle-log-behind',
        503,
        `the Merkle log holds ${size} events, fewer than the head's ${treeSize}; it is being rebuilt, retry shortly`,
      );
    }
  }
}
