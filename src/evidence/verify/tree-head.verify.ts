/**
 * Checks a signed tree head against the log's public key. Like rfc9162.ts, this file must run
 * unchanged in Node, the CLI and a browser: it uses @noble/curves and @noble/hashes only — no
 * node:crypto, no Buffer.
 */
import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex } from '../merkle/rfc9162';
import { signingKeyIdOf, treeHeadSigningInput, type SignedTreeHead } from '../tree-heads/tree-head';

export type TreeHeadVerification = { ok: true } | { ok: false; reason: string };

const HEX_64 = /^[0-9a-f]{64}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes standard base64 without Buffer or atob (both missing or different somewhere); null when it is not. */
export function base64ToBytes(text: string): Uint8Array | null {
  if (text.length % 4 !== 0 || !BASE64.test(text)) return null;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const n = [0, 1, 2, 3].map((k) => (text[i + k] === '=' ? 0 : alphabet.indexOf(text[i + k])));
    const triple = n[0] * 262144 + n[1] * 4096 + n[2] * 64 + n[3];
    const bytes = [Math.floor(triple / 65536) % 256, Math.floor(triple / 256) % 256, triple % 256];
    for (const b of bytes) if (o < out.length) out[o++] = b;
  }
  return out;
}

/** The key id of a public key: hex SHA-256 of its raw 32 bytes; of the log's first key, the log id. */
export function logIdOf(publicKeyRaw: Uint8Array): string {
  return bytesToHex(sha256(publicKeyRaw));
}

export const keyIdOf = logIdOf;

/** Whether `text` is an ISO-8601 UTC instant, as heads and key validity are written. */
export const isIsoUtc = (text: unknown): text is string =>
  typeof text === 'string' && ISO_UTC.test(text) && !Number.isNaN(Date.parse(text));

/** Checks an Ed25519 signature; the portable one is the default, a Node caller may pass a faster one. */
export type Ed25519Verify = (signature: Uint8Array, message: Uint8Array, publicKeyRaw: Uint8Array) => boolean;

const portableEd25519Verify: Ed25519Verify = (signature, message, publicKeyRaw) => ed25519.verify(signature, message, publicKeyRaw);

/**
 * Is `head` signed by the holder of `publicKeyRaw` (the raw 32-byte Ed25519 key), and does it
 * name that key (`keyId`; a head from before rotation names none, and its log id is its key's
 * id)? Whether the key belongs to the log and was valid then is log-key-set.ts's question.
 * Every failure says which.
 */
export function verifyTreeHeadSignature(
  head: SignedTreeHead,
  publicKeyRaw: Uint8Array,
  verify: Ed25519Verify = portableEd25519Verify,
): TreeHeadVerification {
  const fail = (reason: string): TreeHeadVerification => ({ ok: false, reason });
  if (!(publicKeyRaw instanceof Uint8Array) || publicKeyRaw.length !== 32) return fail('the public key is not 32 raw Ed25519 bytes');
  if (typeof head.logId !== 'string' || !HEX_64.test(head.logId)) return fail('the head has no log id of 64 lower-case hex digits');
  if (typeof head.rootHash !== 'string' || !HEX_64.test(head.rootHash))
    return fail('the head has no root hash of 64 lower-case hex digits');
  if (!Number.isSafeInteger(head.treeSize) || head.treeSize < 0) return fail('the head has no tree size (a non-negative integer)');
  if (!isIsoUtc(head.timestamp)) return fail('the head has no ISO-8601 UTC timestamp');
  if (head.keyId !== undefined && (typeof head.keyId !== 'string' || !HEX_64.test(head.keyId))) {
    return fail('the head names no key id of 64 lower-case hex digits');
  }
  if (head.nextKey !== undefined) {
    const next = head.nextKey as unknown as Record<string, unknown> | null;
    const raw = typeof next?.publicKey === 'string' ? base64ToBytes(next.publicKey) : null;
    if (raw === null || raw.length !== 32 || !isIsoUtc(next?.validFrom)) {
      return fail('the head announces a next key without a base64 32-byte publicKey and an ISO-8601 UTC validFrom');
    }
  }
  const keyId = logIdOf(publicKeyRaw);
  if (signingKeyIdOf(head) !== keyId) {
    return fail(
      head.keyId === undefined
        ? `the head belongs to log ${head.logId}, not to this key's log ${keyId}`
        : `the head was signed by key ${head.keyId}, not by this key ${keyId}`,
    );
  }
  const signature = typeof head.signature === 'string' ? base64ToBytes(head.signature) : null;
  if (signature === null || signature.length !== 64) return fail('the signature is not 64 bytes of base64');
  let valid: boolean;
  try {
    valid = verify(signature, treeHeadSigningInput(head), publicKeyRaw);
  } catch {
    valid = false;
  }
  return valid ? { ok: true } : fail("the signature does not match the head's fields under this key");
}
