/**
 * What a statement needs of the signed Merkle log, owned here so that read models never import
 * the evidence side: app.module.ts binds SIGNED_TREE_HEAD_SOURCE to the evidence side's tree head log.
 */
export interface StatementTreeHead {
  logId: string;
  /** The key that signed the head (hex SHA-256 of its public key); absent in heads from before key rotation. */
  keyId?: string;
  treeSize: number;
  rootHash: string;
  timestamp: string;
  /** Only in the head announcing a key rotation: the next key and when it takes over. */
  nextKey?: { publicKey: string; validFrom: string };
  /** Base64 Ed25519 signature over the head. */
  signature: string;
}

export interface SignedTreeHeadSource {
  /**
   * The newest signed head whose tree holds every event up to `globalPosition` (with witnesses
   * configured: one a quorum of them cosigned), and its checkpoint note with the cosignatures
   * held (absent for a head from before checkpoints); undefined if none yet.
   */
  latestCovering(globalPosition: number): (StatementTreeHead & { checkpoint?: string }) | undefined;
}

export const SIGNED_TREE_HEAD_SOURCE = Symbol('SignedTreeHeadSource');

/**
 * The read model the heads are signed over (the evidence side's Merkle log): a statement waits for
 * it too. A name, not an import; a test checks it names a registered projection.
 */
export const SIGNED_TREE_HEAD_READ_MODEL = 'merkle-log';
