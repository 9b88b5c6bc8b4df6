/**
 * Checks that a newer signed tree head extends an older one (the log only grew): both signatures
 * under the ledger's key, both heads of the same log, sizes and timestamps in order, and the
 * RFC 9162 consistency proof between their roots. PURE and portable, like bundle.verify.ts.
 */
import { hexToBytes, verifyConsistency } from '../merkle/rfc9162';
import type { SignedTreeHead } from '../tree-heads/tree-head';
import { reportOf, short, type VerificationCheck, type VerificationReport } from './bundle.verify';
import { keySetOf, verifyHeadUnderKeySet, type LogKeySet } from './log-key-set';

/** `keys`: the log's one key, or its key set (each head then under the key it names, valid at its time). */
export function verifyHeadConsistency(
  older: SignedTreeHead,
  newer: SignedTreeHead,
  proof: readonly string[],
  keys: Uint8Array | LogKeySet,
): VerificationReport {
  const set = keys instanceof Uint8Array ? keySetOf([keys]) : keys;
  const checks: VerificationCheck[] = [];
  const add = (check: string, ok: boolean, detail: string): void => {
    checks.push({ check, ok, detail });
  };

  for (const [name, head] of [
    ['older', older],
    ['newer', newer],
  ] as const) {
    const sig = verifyHeadUnderKeySet(head, set);
    add(
      `${name}-head-signature`,
      sig.ok,
      sig.ok ? `the ${name} head (size ${head.treeSize}) is signed by the key` : `the ${name} head does not verify: ${sig.reason}`,
    );
  }

  const logId = set.logId ?? older.logId;
  const sameLog = older.logId === logId && newer.logId === logId;
  add(
    'same-log',
    sameLog,
    sameLog
      ? `both heads belong to log ${short(logId)}`
      : `a head from another log: logIds ${short(older.logId)} and ${short(newer.logId)}${set.logId === null ? '' : `, the log is ${short(logId)}`}`,
  );

  const sizesOk = Number.isSafeInteger(older.treeSize) && Number.isSafeInteger(newer.treeSize) && older.treeSize <= newer.treeSize;
  add(
    'sizes-ordered',
    sizesOk,
    sizesOk
      ? `tree size ${older.treeSize} → ${newer.treeSize}`
      : `the older head (size ${older.treeSize}) is larger than the newer (size ${newer.treeSize}): a log only grows`,
  );

  const t1 = Date.parse(older.timestamp);
  const t2 = Date.parse(newer.timestamp);
  const sameHead = older.treeSize === newer.treeSize && older.rootHash === newer.rootHash && older.timestamp === newer.timestamp;
  const timesOk = !Number.isNaN(t1) && !Number.isNaN(t2) && (t1 < t2 || sameHead);
  add(
    'timestamps-ordered',
    timesOk,
    timesOk
      ? `${older.timestamp} → ${newer.timestamp}`
      : `the older head's timestamp ${older.timestamp} is not before the newer head's ${newer.timestamp}`,
  );

  let result: { ok: boolean; reason?: string };
  try {
    result = verifyConsistency({
      firstSize: older.treeSize,
      secondSize: newer.treeSize,
      firstRoot: hexToBytes(older.rootHash),
      secondRoot: hexToBytes(newer.rootHash),
      proof: proof.map((h) => hexToBytes(h)),
    });
  } catch (error) {
    result = { ok: false, reason: (error as Error).message };
  }
  add(
    'consistency-proof',
    result.ok,
    result.ok
      ? `the tree of ${newer.treeSize} extends the tree of ${older.treeSize} (RFC 9162 consistency proof of ${proof.length} hashes)`
      : `not an append-only extension: ${result.reason ?? 'unknown'}`,
  );
  return reportOf(checks);
}
