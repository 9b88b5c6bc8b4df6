/**
 * A signed tree head: the ledger's public commitment to its whole history up to `treeSize`
 * events. Anyone who keeps one can later demand a consistency proof that the ledger only grew.
 * Pure types and encoding, so the verifier runs the same in Node, the CLI and a browser.
 */
export interface TreeHead {
  /**
   * Hex SHA-256 of the log's FIRST Ed25519 public key (raw 32 bytes): names the log a head
   * belongs to, and stays the same when the signing key is rotated.
   */
  logId: string;
  /**
   * Hex SHA-256 of the raw public key that signed this head. Absent in heads signed before keys
   * could be rotated: those were signed by the log's first key, whose key id is the log id.
   */
  keyId?: string;
  treeSize: number;
  /** Hex RFC 9162 root hash of the first `treeSize` events in commit order. */
  rootHash: string;
  /** ISO-8601 UTC; strictly later than the previous head's. */
  timestamp: string;
  /**
   * Only in the head announcing a key rotation, signed by the outgoing key: the key that signs
   * every head from `validFrom` on (the instant the outgoing key stops being valid).
   */
  nextKey?: NextLogKey;
}

export interface NextLogKey {
  /** Base64 of the raw 32-byte Ed25519 key. */
  publicKey: string;
  /** ISO-8601 UTC. */
  validFrom: string;
}

export interface SignedTreeHead extends TreeHead {
  /** Base64 Ed25519 signature over `treeHeadSigningInput(head)`. */
  signature: string;
}

/** The key that signed a head: the one it names, else (a head from before rotation) the log's first key. */
export const signingKeyIdOf = (head: Pick<TreeHead, 'logId' | 'keyId'>): string => head.keyId ?? head.logId;

/**
 * The exact bytes signed: the RFC 8785 canonical JSON of the head's fields (keys sorted, no
 * spaces), UTF-8. `keyId` and `nextKey` take part only when present, so a head signed before
 * they existed signs the same four fields as it always did. Written out by hand so the verifier
 * needs no JSON canonicalisation library.
 */
export function treeHeadSigningInput(head: TreeHead): Uint8Array {
  const keyId = head.keyId === undefined ? '' : `"keyId":${JSON.stringify(head.keyId)},`;
  const nextKey =
    head.nextKey === undefined
      ? ''
      : `"nextKey":{"publicKey":${JSON.stringify(head.nextKey.publicKey)},"validFrom":${JSON.stringify(head.nextKey.validFrom)}},`;
  const text = `{${keyId}"logId":${JSON.stringify(head.logId)},${nextKey}"rootHash":${JSON.stringify(head.rootHash)},"timestamp":${JSON.stringify(head.timestamp)},"treeSize":${head.treeSize}}`;
  return new TextEncoder().encode(text);
}

/** Only the fields a head is made of, in a fixed order, without anything else a copy may carry. */
export function signedTreeHeadFields(head: SignedTreeHead): SignedTreeHead {
  return {
    logId: head.logId,
    ...(head.keyId !== undefined && { keyId: head.keyId }),
    treeSize: head.treeSize,
    rootHash: head.rootHash,
    timestamp: head.timestamp,
    ...(head.nextKey !== undefined && { nextKey: { publicKey: head.nextKey.publicKey, validFrom: head.nextKey.validFrom } }),
    signature: head.signature,
  };
}
