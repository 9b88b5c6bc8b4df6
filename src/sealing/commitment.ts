/**
 * Commitments to personal data, as they stand in an event's hashed `data`.
 *
 * PURE and portable: depends only on @noble/hashes and shared/canonical-json.ts — no node:crypto,
 * no Buffer — so that the offline verifier (CLI and browser) can check a revealed value against
 * the commitment the hash chain and the Merkle log cover.
 *
 *   commitment = "sha256:" + hex( SHA-256( salt ‖ UTF-8( JCS(value) ) ) )
 *
 * where salt is 32 fresh random bytes per field and JCS is RFC 8785 canonical JSON (so key order
 * does not matter). The salt is fixed-length, so the preimage splits one way only. Without the
 * salt, which lives only inside the encrypted envelope, nobody can test guesses (a phone number,
 * a name from the electoral roll) against the commitment: once the key is destroyed, the
 * commitment says nothing about the value.
 */
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex } from '@noble/hashes/utils';
import { canonicalJson, utf8 } from '../shared/canonical-json';

/** Bytes of the salt drawn for each sealed field. */
export const SALT_BYTES = 32;
export const COMMITMENT_ALGORITHM = 'sha256';
const COMMITMENT = /^sha256:[0-9a-f]{64}$/;

/**
 * What replaces a sealed value inside event data: an object with the single key `sealed`, e.g.
 * `{ "sealed": "sha256:9f86…" }`. The algorithm prefix makes it self-describing.
 */
// A type, not an interface, so that it is assignable to JsonValue.
export type SealedValue = { readonly sealed: string };

export const isCommitment = (text: unknown): text is string => typeof text === 'string' && COMMITMENT.test(text);

/** True for exactly `{ "sealed": "sha256:<64 lowercase hex>" }`, nothing more or less. */
export function isSealedValue(value: unknown): value is SealedValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'sealed' && isCommitment((value as { sealed: unknown }).sealed);
}

export const sealedValue = (commitment: string): SealedValue => ({ sealed: commitment });

/** The commitment to a JSON value under a salt. Throws TypeError for a salt of the wrong length or a value with no JSON form. */
export function commitmentOf(value: unknown, salt: Uint8Array): string {
  return commitmentOfCanonical(utf8(canonicalJson(value)), salt);
}

/** The same, from the UTF-8 of the value's canonical JSON, for a caller that has it already. */
export function commitmentOfCanonical(text: Uint8Array, salt: Uint8Array): string {
  if (salt.length !== SALT_BYTES) throw new TypeError(`a salt must be ${SALT_BYTES} bytes, got ${salt.length}`);
  const preimage = new Uint8Array(SALT_BYTES + text.length);
  preimage.set(salt, 0);
  preimage.set(text, SALT_BYTES);
  return `${COMMITMENT_ALGORITHM}:${bytesToHex(sha256(preimage))}`;
}

/**
 * Whether `value` with `salt` is what `commitment` commits to. Never throws: a malformed
 * commitment, a salt of the wrong length or a value with no JSON form is simply not a match.
 */
export function verifyCommitment(value: unknown, salt: Uint8Array, commitment: string): boolean {
  if (!isCommitment(commitment) || salt.length !== SALT_BYTES) return false;
  try {
    return commitmentOf(value, salt) === commitment;
  } catch {
    return false;
  }
}
