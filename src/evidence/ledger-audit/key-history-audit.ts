import type { LogKeyHistoryEntry } from '../tree-heads/log-key-history';
import { verifyHeadUnderKeySet, type LogKeySet, type LogKeySetEntry } from '../verify/log-key-set';
import { base64ToBytes, keyIdOf, type Ed25519Verify } from '../verify/tree-head.verify';

export interface KeyHistoryAudit {
  /** The keys whose every change was announced by the key before: heads are checked against these only. */
  set: LogKeySet;
  /** Why the chain of keys breaks, if it does; keys after the break are left out of `set`. */
  problems: string[];
}

/**
 * Walks the log's key history from its first key: each later key counts only when the head
 * announcing it verifies under the key before (valid then) and names exactly this key and the
 * instant it took over. A key slipped into the history without that is not trusted, nor any after it.
 */
export function auditKeyHistory(history: readonly LogKeyHistoryEntry[], verify?: Ed25519Verify): KeyHistoryAudit {
  const keys: LogKeySetEntry[] = [];
  const logId = history[0]?.keyId ?? null;
  const problems: string[] = [];
  for (const [i, entry] of history.entries()) {
    const publicKey = base64ToBytes(entry.publicKey);
    if (publicKey === null || publicKey.length !== 32 || keyIdOf(publicKey) !== entry.keyId) {
      problems.push(`key ${entry.keyId.slice(0, 16)}… of the key history is not a 32-byte Ed25519 key whose SHA-256 is its key id`);
      break;
    }
    const key: LogKeySetEntry = { publicKey, keyId: entry.keyId, validFrom: entry.validFrom, validUntil: entry.validUntil };
    if (i > 0) {
      const why = announcementProblem(entry, keys[i - 1], logId, verify);
      if (why !== null) {
        problems.push(`key ${entry.keyId.slice(0, 16)}… took over at ${entry.validFrom} unannounced: ${why}`);
        break;
      }
    }
    keys.push(key);
  }
  return { set: { logId, keys }, problems };
}

function announcementProblem(
  entry: LogKeyHistoryEntry,
  previous: LogKeySetEntry,
  logId: string | null,
  verify?: Ed25519Verify,
): string | null {
  const head = entry.announcement;
  if (head === null) return 'no head signed by the key before names it';
  const signed = verifyHeadUnderKeySet(head, { logId, keys: [previous] }, verify);
  if (!signed.ok) return `the announcing head of ${head.timestamp} does not verify under the key before: ${signed.reason}`;
  if (head.nextKey?.publicKey !== entry.publicKey) return `the announcing head of ${head.timestamp} names another key`;
  if (head.nextKey.validFrom !== entry.validFrom) {
    return `the announcing head names ${head.nextKey.validFrom} as the instant it takes over, the history ${entry.validFrom}`;
  }
  return null;
}
