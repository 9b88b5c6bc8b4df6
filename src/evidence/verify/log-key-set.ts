/**
 * The keys a verifier accepts for one log, and when each was valid: the `logKeys` of a trust file
 * (the shape GET /evidence/public-key publishes its key history in), or keys given one by one.
 * PURE and portable like tree-head.verify.ts: no node:crypto, no Buffer.
 *
 * A head verifies when the key it names (`keyId`; for a head from before rotation, the key whose
 * id is the log id) is in the set, was valid at the head's timestamp (validFrom ≤ t < validUntil),
 * and its signature holds under that key.
 */
import type { SignedTreeHead } from '../tree-heads/tree-head';
import { signingKeyIdOf } from '../tree-heads/tree-head';
import { base64ToBytes, isIsoUtc, keyIdOf, verifyTreeHeadSignature, type Ed25519Verify } from './tree-head.verify';

export interface LogKeySetEntry {
  publicKey: Uint8Array;
  /** Hex SHA-256 of `publicKey`. */
  keyId: string;
  /** ISO-8601 UTC; null: since the log began (a key given without its history). */
  validFrom: string | null;
  /** ISO-8601 UTC, exclusive; null: still valid. */
  validUntil: string | null;
}

export interface LogKeySet {
  /** The log's id when the source says it; heads of another log are then refused. */
  logId: string | null;
  keys: LogKeySetEntry[];
}

export type LogKeySetReading = { ok: true; set: LogKeySet } | { ok: false; reason: string };

export type HeadKeyProblem = 'unknown-key' | 'outside-validity' | 'other-log' | 'bad-signature';

export type HeadUnderKeySet = { ok: true; key: LogKeySetEntry } | { ok: false; problem: HeadKeyProblem; reason: string };

const HEX_64 = /^[0-9a-f]{64}$/;

/** Keys given one by one (`--public-key`), with no validity period: each accepted at any time. */
export function keySetOf(publicKeys: readonly Uint8Array[]): LogKeySet {
  return {
    logId: null,
    keys: publicKeys.map((publicKey) => ({ publicKey, keyId: keyIdOf(publicKey), validFrom: null, validUntil: null })),
  };
}

/**
 * Reads `{ "logKeys": [{ "publicKey", "validFrom", "validUntil" }], "logId"? }` — a trust file,
 * or a saved GET /evidence/public-key (other fields are ignored). Every key's base64 must be 32
 * bytes (and match its `keyId` when one is given); periods must not overlap, and only the last
 * key may be open-ended. The failure names the field and why.
 */
export function parseLogKeySet(json: unknown): LogKeySetReading {
  const fail = (reason: string): LogKeySetReading => ({ ok: false, reason });
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return fail('the trust file is not a JSON object');
  const { logKeys, logId } = json as { logKeys?: unknown; logId?: unknown };
  if (logId !== undefined && (typeof logId !== 'string' || !HEX_64.test(logId))) return fail('logId: not 64 lower-case hex digits');
  if (!Array.isArray(logKeys) || logKeys.length === 0) return fail('logKeys: a non-empty list of the log\u2019s keys is required');
  const keys: LogKeySetEntry[] = [];
  for (const [i, item] of logKeys.entries()) {
    const at = `logKeys[${i}]`;
    if (item === null || typeof item !== 'object') return fail(`${at}: not an object`);
    const entry = item as Record<string, unknown>;
    const publicKey = typeof entry.publicKey === 'string' ? base64ToBytes(entry.publicKey) : null;
    if (publicKey === null || publicKey.length !== 32) return fail(`${at}.publicKey: not the base64 of a raw 32-byte Ed25519 key`);
    const keyId = keyIdOf(publicKey);
    if (entry.keyId !== undefined && entry.keyId !== keyId)
      return fail(`${at}.keyId: ${JSON.stringify(entry.keyId)} is not SHA-256 of its publicKey (${keyId})`);
    if (!isIsoUtc(entry.validFrom)) return fail(`${at}.validFrom: not an ISO-8601 UTC instant`);
    const validUntil = entry.validUntil ?? null;
    if (validUntil !== null && !isIsoUtc(validUntil)) return fail(`${at}.validUntil: neither an ISO-8601 UTC instant nor null`);
    if (validUntil !== null && Date.parse(validUntil) <= Date.parse(entry.validFrom))
      return fail(`${at}.validUntil: not after its validFrom`);
    if (keys.some((k) => k.keyId === keyId)) return fail(`${at}.publicKey: the same key is listed twice`);
    keys.push({ publicKey, keyId, validFrom: entry.validFrom, validUntil });
  }
  const sorted = [...keys].sort((a, b) => Date.parse(a.validFrom ?? '') - Date.parse(b.validFrom ?? ''));
  for (let i = 0; i + 1 < sorted.length; i++) {
    const until = sorted[i].validUntil;
    if (until === null || Date.parse(until) > Date.parse(sorted[i + 1].validFrom ?? '')) {
      return fail(`logKeys: key ${sorted[i].keyId.slice(0, 16)}… is still valid when key ${sorted[i + 1].keyId.slice(0, 16)}… takes over`);
    }
  }
  return { ok: true, set: { logId: logId ?? null, keys: sorted } };
}

/** Whether `key` was valid at `timestamp`: validFrom ≤ t < validUntil. */
export function validAt(key: Pick<LogKeySetEntry, 'validFrom' | 'validUntil'>, timestamp: string): boolean {
  const t = Date.parse(timestamp);
  if (key.validFrom !== null && t < Date.parse(key.validFrom)) return false;
  return key.validUntil === null || t < Date.parse(key.validUntil);
}

/** Checks a head under the key set: the key it names, its validity at the head's time, the log, the signature. Never throws. */
export function verifyHeadUnderKeySet(head: SignedTreeHead, set: LogKeySet, verify?: Ed25519Verify): HeadUnderKeySet {
  let named: string;
  try {
    named = signingKeyIdOf(head);
  } catch {
    return { ok: false, problem: 'bad-signature', reason: 'the head cannot be read' };
  }
  const key = set.keys.find((k) => k.keyId === named);
  if (key === undefined) {
    const reason =
      head.keyId === undefined
        ? `the head belongs to log ${String(head.logId)}, whose key is not among the log's keys given`
        : `the head was signed by key ${String(named).slice(0, 16)}…, which is not among the log's keys given`;
    return { ok: false, problem: 'unknown-key', reason };
  }
  if (set.logId !== null && head.logId !== set.logId) {
    return {
      ok: false,
      problem: 'other-log',
      reason: `the head belongs to log ${String(head.logId).slice(0, 16)}…, not to log ${set.logId.slice(0, 16)}…`,
    };
  }
  let signature;
  try {
    signature = verifyTreeHeadSignature(head, key.publicKey, verify);
  } catch (error) {
    signature = { ok: false as const, reason: `the head cannot be read: ${(error as Error).message}` };
  }
  if (!signature.ok) return { ok: false, problem: 'bad-signature', reason: signature.reason };
  if (!validAt(key, head.timestamp)) {
    return {
      ok: false,
      problem: 'outside-validity',
      reason: `the head was signed at ${head.timestamp} by key ${named.slice(0, 16)}…, valid only from ${key.validFrom ?? 'the start'} until ${key.validUntil ?? 'now'}`,
    };
  }
  return { ok: true, key };
}
