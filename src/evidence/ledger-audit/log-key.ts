import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_SIGNING_KEY_FILE, LogSigningKey } from '../tree-heads/signing-key';
import { keySetOf, parseLogKeySet, type LogKeySet } from '../verify/log-key-set';
import { logIdOf, type Ed25519Verify } from '../verify/tree-head.verify';

/** A public key heads are checked against, and where it was found. */
export interface AuditKey {
  /** The key, or the current key of a key set. */
  publicKeyRaw: Uint8Array;
  /** Its key id (hex SHA-256), which is the log id for a log's first key. */
  logId: string;
  /** For the report: "the data dir (evidence-signing-key.pem)", "--public-key log.pub". */
  from: string;
  /** The keys heads are checked against: this key alone, or a log's key history with validity periods. */
  set: LogKeySet;
}

/**
 * The public half of the log's signing key as the server would load it (EVIDENCE_SIGNING_KEY_FILE,
 * else the one in the data dir), or null when there is none. Never creates a key.
 */
export function readServerKey(options: { keyFile?: string; dataDir: string }): AuditKey | null {
  const path = options.keyFile ?? join(options.dataDir, GENERATED_SIGNING_KEY_FILE);
  if (!existsSync(path)) return null;
  const key = LogSigningKey.fromPem(readFileSync(path));
  const from = options.keyFile === undefined ? `the data dir (${GENERATED_SIGNING_KEY_FILE})` : `EVIDENCE_SIGNING_KEY_FILE ${path}`;
  return { publicKeyRaw: key.publicKeyRaw, logId: key.keyId, from, set: keySetOf([key.publicKeyRaw]) };
}

/**
 * A public key as someone outside may have saved it: the JSON of GET /evidence/public-key, an
 * SPKI PEM, or the raw 32-byte key in base64. Throws TypeError saying what it is not.
 */
export function parsePublicKey(text: string): Uint8Array {
  const trimmed = text.trim();
  let base64 = trimmed;
  if (trimmed.startsWith('{')) {
    const json = JSON.parse(trimmed) as { publicKey?: unknown };
    if (typeof json.publicKey !== 'string') throw new TypeError('a JSON key file needs "publicKey" (base64 of the raw 32 bytes)');
    base64 = json.publicKey;
  } else if (trimmed.startsWith('-----BEGIN PUBLIC KEY-----')) {
    const key = createPublicKey(trimmed);
    if (key.asymmetricKeyType !== 'ed25519') throw new TypeError(`the PEM key is ${key.asymmetricKeyType ?? 'unknown'}, not Ed25519`);
    base64 = Buffer.from(String(key.export({ format: 'jwk' }).x), 'base64url').toString('base64');
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new TypeError('not base64, an SPKI PEM, nor the JSON of /evidence/public-key');
  const raw = new Uint8Array(Buffer.from(base64, 'base64'));
  if (raw.length !== 32) throw new TypeError(`an Ed25519 public key is 32 raw bytes, this one is ${raw.length}`);
  return raw;
}

export function auditKey(publicKeyRaw: Uint8Array, from: string): AuditKey {
  return { publicKeyRaw, logId: logIdOf(publicKeyRaw), from, set: keySetOf([publicKeyRaw]) };
}

/**
 * Like parsePublicKey, but a JSON with `logKeys` (a trust file, or GET /evidence/public-key after
 * this release) gives the whole key set, each key with its validity. Throws TypeError.
 */
export function parseAuditKey(text: string, from: string): AuditKey {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') && (JSON.parse(trimmed) as { logKeys?: unknown }).logKeys !== undefined) {
    const reading = parseLogKeySet(JSON.parse(trimmed));
    if (!reading.ok) throw new TypeError(reading.reason);
    const current = reading.set.keys[reading.set.keys.length - 1];
    return { publicKeyRaw: current.publicKey, logId: current.keyId, from, set: reading.set };
  }
  return auditKey(parsePublicKey(text), from);
}

/**
 * Ed25519 verification by node:crypto, some thirty times faster than the portable verifier: a
 * data dir holds a head for every few seconds of writing and one an hour besides.
 */
export function nodeEd25519Verify(): Ed25519Verify {
  const keys = new Map<string, KeyObject>();
  return (signature, message, publicKeyRaw) => {
    const x = Buffer.from(publicKeyRaw).toString('base64url');
    let key = keys.get(x);
    if (key === undefined) {
      key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
      keys.set(x, key);
    }
    return verify(null, message, key, signature);
  };
}
