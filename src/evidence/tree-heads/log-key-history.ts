import type { SignedTreeHead } from './tree-head';

/** One key of the log as recorded: when it took over, and the head that announced it (none for the first key). */
export interface LogKeyRecord {
  /** Hex SHA-256 of the raw public key. */
  keyId: string;
  /** Base64 of the raw 32-byte Ed25519 key. */
  publicKey: string;
  /** ISO-8601 UTC: heads signed from this instant on are this key's. */
  validFrom: string;
  /** Timestamp of the head, signed by the key before, that announced this one; null for the log's first key. */
  announcedAt: string | null;
}

/**
 * One key of the log's history, as GET /evidence/public-key publishes it and a verifier's trust
 * file (`logKeys`) takes it: a head is this key's when its timestamp is in [validFrom, validUntil).
 */
export interface LogKeyHistoryEntry {
  keyId: string;
  publicKey: string;
  validFrom: string;
  /** When the next key took over; null for the current key. */
  validUntil: string | null;
  /** The head signed by the previous key naming this one (`nextKey`); null for the log's first key. */
  announcement: SignedTreeHead | null;
}

/** The records, oldest first, as a history: each key valid until the next took over. */
export function keyHistoryOf(
  records: readonly LogKeyRecord[],
  headAt: (timestamp: string) => SignedTreeHead | undefined,
): LogKeyHistoryEntry[] {
  return records.map((record, i) => ({
    keyId: record.keyId,
    publicKey: record.publicKey,
    validFrom: record.validFrom,
    validUntil: i + 1 < records.length ? records[i + 1].validFrom : null,
    announcement: record.announcedAt === null ? null : (headAt(record.announcedAt) ?? null),
  }));
}
