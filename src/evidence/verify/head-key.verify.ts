/**
 * The key checks of a bundle's tree head (public-key, log-id, head-signature), against the keys
 * given from outside — one key, or a log's key set with validity periods — or, failing those,
 * the key the bundle embeds. PURE and portable like bundle.verify.ts.
 */
import type { SignedTreeHead } from '../tree-heads/tree-head';
import { keySetOf, verifyHeadUnderKeySet, type LogKeySet } from './log-key-set';
import { base64ToBytes, keyIdOf } from './tree-head.verify';

export interface HeadKeyCheck {
  check: 'public-key' | 'log-id' | 'head-signature';
  ok: boolean;
  detail: string;
  unproven?: true;
}

export interface HeadKeyOptions {
  /** The ledger's published raw 32-byte Ed25519 key. */
  publicKey?: Uint8Array;
  /** The log's keys with their validity (a trust file's `logKeys`, or several --public-key); wins over `publicKey`. */
  keySet?: LogKeySet;
}

const short = (hex: string): string => (typeof hex === 'string' && hex.length > 16 ? `${hex.slice(0, 16)}…` : String(hex));

/** The checks, and the key the head verified under (else the one key tried, if only one), for the checkpoint's signature. */
export interface HeadKeyResult {
  checks: HeadKeyCheck[];
  key: Uint8Array | null;
}

export function headKeyChecks(head: SignedTreeHead, embeddedText: unknown, options: HeadKeyOptions): HeadKeyResult {
  const checks: HeadKeyCheck[] = [];
  const decoded = typeof embeddedText === 'string' ? base64ToBytes(embeddedText) : null;
  const embedded = decoded !== null && decoded.length === 32 ? decoded : null;
  const given = options.keySet ?? (options.publicKey !== undefined ? keySetOf([options.publicKey]) : undefined);
  let set: LogKeySet;
  if (given !== undefined) {
    set = given;
    const one = given.keys.length === 1 ? given.keys[0] : undefined;
    if (embedded === null) {
      checks.push({ check: 'public-key', ok: false, detail: 'the bundle embeds no valid 32-byte Ed25519 key' });
    } else if (!given.keys.some((k) => k.keyId === keyIdOf(embedded))) {
      checks.push({
        check: 'public-key',
        ok: false,
        detail:
          one !== undefined
            ? `the head is from another key: the bundle embeds key ${String(embeddedText)}, but the ledger's key is ${short(one.keyId)} (key id)`
            : `the head is from another key: the bundle embeds key ${String(embeddedText)}, which is none of the ${given.keys.length} ledger keys given`,
      });
    } else {
      checks.push({
        check: 'public-key',
        ok: true,
        detail:
          one !== undefined
            ? 'the embedded key is the ledger key given'
            : `the embedded key is one of the ${given.keys.length} ledger keys given`,
      });
    }
  } else {
    if (embedded === null) {
      return {
        checks: [{ check: 'public-key', ok: false, detail: 'no key given and the bundle embeds no valid 32-byte Ed25519 key' }],
        key: null,
      };
    }
    set = keySetOf([embedded]);
    checks.push({
      check: 'public-key',
      ok: true,
      detail:
        "NOT CHECKED: no outside key given, so the key embedded in the bundle was used; anyone who made the bundle could have put it there. Pass the ledger's published key to know who signed",
      unproven: true,
    });
  }

  // Without the log's id, a head from before rotation still names its own key's log.
  const logOk = set.logId !== null ? head.logId === set.logId : head.keyId !== undefined || set.keys.some((k) => k.keyId === head.logId);
  const rotated = head.keyId !== undefined && head.keyId !== head.logId;
  checks.push({
    check: 'log-id',
    ok: logOk,
    detail: !logOk
      ? `the head is from another log: its logId ${short(String(head.logId))} is not ${set.logId !== null ? `the log's ${short(set.logId)}` : `SHA-256 of the key (${short(set.keys[0]?.keyId ?? '')})`}`
      : `head belongs to log ${short(String(head.logId))}${set.logId === null && rotated ? ', as its signing key states (a key history names the log itself)' : ''}`,
  });
  const verdict = verifyHeadUnderKeySet(head, set);
  const source = given === undefined ? 'embedded key' : set.keys.length === 1 ? 'given key' : 'keys given';
  checks.push({
    check: 'head-signature',
    ok: verdict.ok,
    detail: verdict.ok
      ? `Ed25519 signature over the head of size ${head.treeSize} (root ${short(head.rootHash)}) is valid, by key ${short(verdict.key.keyId)}${verdict.key.validFrom !== null ? ', valid at the head\u2019s time' : ''}`
      : `the tree head does not verify under the ${source}: ${verdict.reason}`,
  });
  const key = verdict.ok ? verdict.key.publicKey : set.keys.length === 1 ? set.keys[0].publicKey : null;
  return { checks, key };
}
