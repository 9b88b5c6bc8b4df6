/**
 * A signed tree head: the ledger's public commitment to its whole history up to `treeSize`
 * events. Anyone who keeps one can later demand a consistency proof that the ledger only grew.
 * Pure types and encoding, so the verifier runs the same in Node, the CLI and a browser.
 */
export interface TreeHead {
  /** Hex SHA-256 of the log's Ed25519 public key (raw 32 bytes): names the log a head belongs to. */
  logId: string;
  treeSize: number;
  /** Hex RFC 9162 root hash of the first `treeSize` events in commit order. */
  rootHash: string;
  /** ISO-8601 UTC; strictly later than the previous head's. */
  timestamp: string;
}

export interface SignedTreeHead extends TreeHead {
  /** Base64 Ed25519 signature over `treeHeadSigningInput(head)`. */
  signature: string;
}

/**
 * The exact bytes signed: the RFC 8785 canonical JSON of the four fields (keys sorted, no
 * spaces), UTF-8. Written out by hand so the verifier needs no JSON canonicalisation library.
 */
export function treeHeadSigningInput(head: TreeHead): Uint8Array {
  const text = `{"logId":${JSON.stringify(head.logId)},"rootHash":${JSON.stringify(head.rootHash)},"timestamp":${JSON.stringify(head.timestamp)},"treeSize":${head.treeSize}}`;
  return new TextEncoder().encode(text);
}
