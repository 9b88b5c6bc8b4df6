/**
 * The leaf and node hashes of RFC 9162 (`leafHash`, `nodeHash` in rfc9162.ts) with Node's own
 * SHA-256, for the server's hot paths: the Merkle log's appends in every projector batch and
 * rebuild, its roots and proofs, the audit that walks the whole log. rfc9162.ts keeps @noble/hashes
 * because it must run unchanged in a browser. Both give the same digests (native-hashes.unit.spec.ts
 * and the known-answer vectors); on these 33- and 65-byte inputs the native one-shot `hash` takes
 * about a third less time, and allocates no hasher object per call.
 */
import { hash } from 'node:crypto';
import { leafHashInput, nodeHashInput } from './rfc9162';

function sha256(input: Uint8Array): Uint8Array {
  const digest = hash('sha256', input, 'buffer');
  // A plain Uint8Array over the digest's bytes, as the browser-side code returns: no copy.
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}

/** MTH({d(0)}) = SHA-256(0x00 || d(0)). */
export const nativeLeafHash = (leaf: Uint8Array): Uint8Array => sha256(leafHashInput(leaf));

/** SHA-256(0x01 || left || right). */
export const nativeNodeHash = (left: Uint8Array, right: Uint8Array): Uint8Array => sha256(nodeHashInput(left, right));
