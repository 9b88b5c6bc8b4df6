import { createHmac, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { IDEMPOTENCY_SECRET_FILE, privateFileProblems } from '../../../config/file-modes';
import { readOrCreateSecretFile } from '../../secret-file';

export { IDEMPOTENCY_SECRET_FILE };

/** Injection token of the IdempotencyKeys. */
export const IDEMPOTENCY_KEYS = Symbol('IdempotencyKeys');

const SECRET_BYTES = 32;

/**
 * The two keys that keep request bodies and responses out of the idempotency file in clear, both
 * derived (HKDF-SHA-256, one label each) from one random secret. Key objects, so that printing
 * or logging them shows no key material.
 */
export interface IdempotencyKeys {
  /** HMAC key of request fingerprints: without it a stored fingerprint cannot be brute-forced back to a body. */
  readonly fingerprint: KeyObject;
  /** AES-256-GCM key of recorded responses. */
  readonly response: KeyObject;
}

/** The secret cannot be used; the message names the file and the fix, never the secret. */
export class IdempotencySecretError extends Error {
  override readonly name = 'IdempotencySecretError';
}

export function idempotencyKeysFrom(secret: Buffer): IdempotencyKeys {
  const derive = (label: string): KeyObject =>
    createSecretKey(Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `seizure-ledger idempotency ${label} v1`, 32)));
  return Object.freeze({ fingerprint: derive('fingerprint'), response: derive('response') });
}

/**
 * The keys from `<dataDir>/idempotency-secret`, generated on first start by the write-once secret
 * file (mode 0600, fsynced with its directory) like the JWT secret. Losing the file only means
 * that the records kept until then can no longer be matched or replayed.
 */
export function loadIdempotencyKeys(dataDir: string): IdempotencyKeys {
  const path = join(dataDir, IDEMPOTENCY_SECRET_FILE);
  // Start-up refuses this already; checked again for every other way in (tools, tests).
  const [exposed] = privateFileProblems([{ variable: 'LEDGER_DATA_DIR', label: 'idempotency secret', path }]);
  if (exposed) throw new IdempotencySecretError(exposed.reason);
  const file = readOrCreateSecretFile(path, () => `${randomBytes(SECRET_BYTES).toString('base64')}\n`);
  const text = file.content.trim();
  const secret = Buffer.from(text, 'base64');
  if (secret.length !== SECRET_BYTES || secret.toString('base64') !== text) {
    throw new IdempotencySecretError(
      `${path} must hold the base64 of exactly ${SECRET_BYTES} bytes; delete it to generate a new one ` +
        '(retries of requests made before then run again)',
    );
  }
  const keys = idempotencyKeysFrom(secret);
  secret.fill(0);
  return keys;
}

/**
 * What the store keeps of a request: HMAC-SHA-256 (hex) of its SHA-256 digest. A bare digest of a
 * short body (a name, a phone number) could be recovered by trying candidates; the keyed one
 * cannot without the secret. Keying the digest, not the body, lets fingerprints written by
 * earlier releases (bare digests) be converted in place.
 */
export function keyedFingerprint(keys: IdempotencyKeys, digestHex: string): string {
  return createHmac('sha256', keys.fingerprint).update(digestHex).digest('hex');
}
