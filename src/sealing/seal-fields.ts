import { randomBytes } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json';
import type { JsonValue } from '../shared/json';
import { commitmentOfCanonical, isSealedValue, SALT_BYTES, sealedValue, verifyCommitment } from './commitment';
import { decryptEnvelope, encryptEnvelope, type Envelope } from './envelope';
import { checkDisjoint, cloneJson, FieldPathError, replaceAt, valueAt } from './field-path';
import type { KeyLookup, KeyTombstone, SubjectKey } from './key-store';

/** An event's data with its personal fields sealed, and the envelopes a store keeps beside it. */
export interface SealedFields {
  /** What is hashed and appended: each sealed field holds `{ "sealed": "sha256:<hex>" }`. */
  readonly sealedData: JsonValue;
  readonly envelopes: Envelope[];
}

/**
 * Seals the values at `fieldPaths` (JSON Pointers, disjoint) of an event's data: each gets a fresh
 * salt, its commitment in place of the value, and an envelope encrypted with `keyOf(fieldPath)`,
 * a key the caller obtained (and made durable) beforehand. `data` itself is left unchanged.
 * Throws FieldPathError for a path that names no value or one already sealed.
 */
export function sealFields(
  eventId: string,
  data: JsonValue,
  fieldPaths: readonly string[],
  keyOf: (fieldPath: string) => SubjectKey,
): SealedFields {
  if (typeof eventId !== 'string' || eventId.length === 0) throw new TypeError('an event id is required to seal its fields');
  checkDisjoint(fieldPaths);
  const sealedData = cloneJson(data);
  const envelopes = fieldPaths.map((fieldPath) => {
    const value = valueAt(data, fieldPath);
    if (value === undefined) throw new FieldPathError(`${JSON.stringify(fieldPath)} names no value in the event data`);
    if (isSealedValue(value)) throw new FieldPathError(`${JSON.stringify(fieldPath)} is sealed already`);
    const { keyId, key } = keyOf(fieldPath);
    const salt = randomBytes(SALT_BYTES);
    const text = Buffer.from(canonicalJson(value), 'utf8');
    const commitment = commitmentOfCanonical(text, salt);
    const plaintext = Buffer.concat([salt, text]);
    const envelope = encryptEnvelope({ eventId, fieldPath, commitment, keyId, key }, plaintext);
    // Not a guarantee (the value is still in `data` and in strings), but no needless copies linger.
    plaintext.fill(0);
    salt.fill(0);
    replaceAt(sealedData, fieldPath, sealedValue(commitment));
    return envelope;
  });
  return { sealedData, envelopes };
}

/**
 * What stands in revealed data where the value's key was destroyed: the field stays, its
 * commitment too, with when it was erased and, for an erasure recorded in the log, its event and order.
 */
export type ErasedValue = {
  readonly erased: true;
  readonly sealed: string;
  readonly erasedAt: string;
  readonly erasureEventId?: string;
  readonly orderReference?: string;
};

export const isErasedValue = (value: unknown): value is ErasedValue =>
  typeof value === 'object' && value !== null && (value as { erased?: unknown }).erased === true;

export type UnreadableReason =
  | 'no sealed value at the path'
  | 'envelope of another event'
  | 'duplicate envelope'
  | 'key unknown'
  | 'authentication failed'
  | 'commitment mismatch';

/** How each envelope's field came out. A revealed field comes with its salt, so a verifier can check the commitment. */
export type FieldReveal =
  | { readonly fieldPath: string; readonly status: 'revealed'; readonly commitment: string; readonly salt: Uint8Array }
  | { readonly fieldPath: string; readonly status: 'erased'; readonly commitment: string; readonly tombstone: KeyTombstone }
  | { readonly fieldPath: string; readonly status: 'unreadable'; readonly reason: UnreadableReason };

export interface RevealedFields {
  /** The data with revealed values restored and erased ones marked; unreadable fields keep their commitment. */
  readonly data: JsonValue;
  readonly fields: FieldReveal[];
}

/** The key ids the envelopes need, once each, to fetch from the key store before revealFields. */
export const keyIdsOf = (envelopes: readonly Envelope[]): string[] => [...new Set(envelopes.map((e) => e.keyId))];

/**
 * Opens the envelopes of one event against its sealed data. Never throws for what it finds: each
 * field is revealed (value checked against its commitment), erased (its key destroyed: marked,
 * with the tombstone) or unreadable (with the reason). `sealedData` itself is left unchanged.
 */
export function revealFields(eventId: string, sealedData: JsonValue, envelopes: readonly Envelope[], keyLookup: KeyLookup): RevealedFields {
  const data = cloneJson(sealedData);
  const seen = new Set<string>();
  const fields = envelopes.map((envelope): FieldReveal => {
    const fieldPath = envelope.fieldPath;
    const unreadable = (reason: UnreadableReason): FieldReveal => ({ fieldPath, status: 'unreadable', reason });
    if (seen.has(fieldPath)) return unreadable('duplicate envelope');
    seen.add(fieldPath);
    if (envelope.eventId !== eventId) return unreadable('envelope of another event');
    const marker = markerAt(data, fieldPath);
    if (marker === undefined) return unreadable('no sealed value at the path');
    const commitment = marker.sealed;
    const availability = keyLookup(envelope.keyId);
    if (availability.status === 'erased') {
      const { destroyedAt, erasure } = availability.tombstone;
      const erasedValue: ErasedValue = {
        erased: true,
        sealed: commitment,
        erasedAt: destroyedAt,
        ...(erasure && { erasureEventId: erasure.eventId, orderReference: erasure.orderReference }),
      };
      replaceAt(data, fieldPath, erasedValue);
      return { fieldPath, status: 'erased', commitment, tombstone: availability.tombstone };
    }
    if (availability.status === 'unknown') return unreadable('key unknown');
    const plaintext = decryptEnvelope(envelope, { eventId, fieldPath, commitment, keyId: envelope.keyId, key: availability.key.key });
    if (plaintext === undefined) return unreadable('authentication failed');
    const salt = new Uint8Array(plaintext.subarray(0, SALT_BYTES));
    const value = parseValue(plaintext.subarray(SALT_BYTES));
    if (value === undefined || !verifyCommitment(value, salt, commitment)) return unreadable('commitment mismatch');
    replaceAt(data, fieldPath, value);
    return { fieldPath, status: 'revealed', commitment, salt };
  });
  return { data, fields };
}

function markerAt(data: JsonValue, fieldPath: string): { sealed: string } | undefined {
  try {
    const value = valueAt(data, fieldPath);
    return isSealedValue(value) ? value : undefined;
  } catch (error) {
    if (error instanceof FieldPathError) return undefined;
    throw error;
  }
}

function parseValue(bytes: Buffer): JsonValue | undefined {
  try {
    return JSON.parse(bytes.toString('utf8')) as JsonValue;
  } catch {
    return undefined;
  }
}
