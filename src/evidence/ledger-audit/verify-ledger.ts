import type { ChainVerification, EventStore } from '../../ledger/event-store';
import type { LogKeyHistoryEntry } from '../tree-heads/log-key-history';
import type { SignedTreeHead } from '../tree-heads/tree-head';
import { verifyHeadUnderKeySet } from '../verify/log-key-set';
import {
  auditHeads,
  type FirstDifference,
  type HeadOrigin,
  type HeadProblem,
  type HeadUnderAudit,
  type MerkleReference,
} from './head-audit';
import { auditKeyHistory } from './key-history-audit';
import { nodeEd25519Verify, type AuditKey } from './log-key';
import { logLeaves } from './log-leaves';
import { readOutsideHead, type OutsideHeadFormat, OUTSIDE_HEAD_FORMATS } from './outside-head';

/** At most this many failed heads of a group are listed; the count says how many there were. */
export const MAX_LISTED_HEAD_FAILURES = 20;

export type HeadCheckProblem =
  | HeadProblem
  | 'bad-signature'
  | 'wrong-key'
  | 'log-unreadable'
  /** Signed by a key the log never had, or one whose change was not announced by the key before. */
  | 'unknown-key'
  /** Signed by a key of the log, but at a time that key was not valid. */
  | 'outside-validity'
  /** The key history has a key that took over without a valid announcement by the key before. */
  | 'unannounced-key';

/** One head's verdict, or one failure of a group that is no head's (a replaced key, an unreadable log). */
export interface HeadCheck {
  origin: HeadOrigin;
  source: string;
  treeSize: number | null;
  timestamp: string | null;
  ok: boolean;
  problem?: HeadCheckProblem;
  detail?: string;
  firstDifference?: FirstDifference;
}

export interface HeadGroup {
  ok: boolean;
  /** Heads found or given. */
  checked: number;
  /** Heads whose signature holds and whose root the log reproduces. */
  reproduced: number;
  /**
   * The key signatures were checked against (base64 of the raw 32 bytes; the current one of a key
   * history), and how many keys that history holds; null when none was found (data dir only).
   */
  key: { logId: string; publicKey: string; from: string; keys: number } | null;
  /** The largest tree among the heads that hold: the log's first `treeSize` seizure events are exactly those it signed. */
  largestReproduced: { treeSize: number; timestamp: string | null; source: string } | null;
  failures: HeadCheck[];
  failureCount: number;
}

export interface LedgerVerification {
  ok: boolean;
  chain: ChainVerification;
  /** Seizure events in the log now: the Merkle log's leaves, recomputed from the events. */
  leaves: number;
  dataDirHeads: HeadGroup;
  outsideHeads: HeadGroup;
}

export interface LedgerVerificationInput {
  store: EventStore;
  dataDir: {
    heads: readonly SignedTreeHead[];
    /** The key the server signs with, when it can be read. */
    key: AuditKey | null;
    /** The log's key history (table log_keys), oldest first; empty in a data dir from before key rotation. */
    keyHistory?: readonly LogKeyHistoryEntry[];
    merkle?: MerkleReference;
  };
  outside: {
    heads: ReadonlyArray<{ source: string; text: string }>;
    /** The key given from outside (--public-key); outside heads are checked against it, else against the data dir's. */
    key: AuditKey | null;
  };
  formats?: readonly OutsideHeadFormat[];
}

/**
 * The whole check of verify-store: every stream's hash chain (the adapter's own walk), then the
 * Merkle root of the log recomputed from its events at the size of every signed head in the data
 * dir and of every head given from outside, each head's signature first.
 */
export async function verifyLedger(input: LedgerVerificationInput): Promise<LedgerVerification> {
  const chain = await input.store.verifyAll();
  const failed: HeadCheck[] = [];
  const toAudit: HeadUnderAudit[] = [];
  const fastVerify = nodeEd25519Verify();
  const dataDirKey = dataDirKeys(input, failed, fastVerify);
  input.dataDir.heads.forEach((head, i) => {
    const source = `tree_heads #${i + 1}`;
    const signature = dataDirKey === null ? { ok: true as const } : verifyHeadUnderKeySet(head, dataDirKey.set, fastVerify);
    if (!signature.ok)
      failed.push(
        headFailure(
          'data-dir',
          source,
          head,
          signature.problem === 'bad-signature' || signature.problem === 'other-log' ? 'bad-signature' : signature.problem,
          `signature: ${signature.reason}`,
        ),
      );
    else toAudit.push({ ...head, origin: 'data-dir', source });
  });
  const outsideKey = input.outside.key ?? dataDirKey;
  for (const given of input.outside.heads) {
    if (outsideKey === null) throw new Error('an outside head needs a public key to check it against');
    const reading = readOutsideHead(given.text, outsideKey.set, input.formats ?? OUTSIDE_HEAD_FORMATS);
    if (!reading.ok)
      failed.push({
        origin: 'outside',
        source: given.source,
        treeSize: null,
        timestamp: null,
        ok: false,
        problem: 'bad-signature',
        detail: reading.reason,
      });
    else toAudit.push({ ...reading.head, origin: 'outside', source: given.source });
  }

  let leaves = 0;
  const checks: HeadCheck[] = [...failed];
  try {
    const audit = await auditHeads(logLeaves(input.store), toAudit, input.dataDir.merkle);
    leaves = audit.leaves;
    for (const f of audit.findings) {
      checks.push({
        origin: f.head.origin,
        source: f.head.source,
        treeSize: f.head.treeSize,
        timestamp: f.head.timestamp,
        ok: f.ok,
        ...(f.problem !== undefined && { problem: f.problem }),
        ...(f.detail !== undefined && { detail: f.detail }),
        ...(f.firstDifference !== undefined && { firstDifference: f.firstDifference }),
      });
    }
  } catch (error) {
    // An event whose data is no longer JSON stops the read; the chain check names it.
    for (const origin of ['data-dir', 'outside'] as const) {
      if (toAudit.some((h) => h.origin === origin)) {
        checks.push(groupFailure(origin, 'log-unreadable', `the log could not be read to recompute roots: ${(error as Error).message}`));
      }
    }
  }
  const dataDirHeads = group(checks, 'data-dir', input.dataDir.heads.length, dataDirKey);
  const outsideHeads = group(checks, 'outside', input.outside.heads.length, outsideKey);
  return { ok: chain.ok && dataDirHeads.ok && outsideHeads.ok, chain, leaves, dataDirHeads, outsideHeads };
}

/**
 * The keys the data dir's heads are checked against: its key history, each change announced by
 * the key before (a break is a failure, and keys after it are not trusted), else the server's key
 * file, else the key given from outside. Every key of the data dir must be among the keys given
 * from outside, when some are.
 */
function dataDirKeys(input: LedgerVerificationInput, failed: HeadCheck[], verify: ReturnType<typeof nodeEd25519Verify>): AuditKey | null {
  const history = input.dataDir.keyHistory ?? [];
  const fileKey = input.dataDir.key;
  let key: AuditKey | null = fileKey ?? input.outside.key;
  if (history.length > 0) {
    const audit = auditKeyHistory(history, verify);
    for (const problem of audit.problems) failed.push(groupFailure('data-dir', 'unannounced-key', problem));
    const current = history[history.length - 1];
    if (fileKey !== null && fileKey.logId !== current.keyId) {
      failed.push(
        groupFailure(
          'data-dir',
          'wrong-key',
          `the signing key in ${fileKey.from} (key ${fileKey.logId.slice(0, 16)}…) is not the log's current key ${current.keyId.slice(0, 16)}… of its key history`,
        ),
      );
    }
    const newest = audit.set.keys[audit.set.keys.length - 1];
    key = { publicKeyRaw: newest.publicKey, logId: newest.keyId, from: `the key history in the data dir (table log_keys)`, set: audit.set };
  }
  const outside = input.outside.key;
  if (key !== null && outside !== null && key !== outside) {
    const unknown = key.set.keys.filter((k) => !outside.set.keys.some((o) => o.keyId === k.keyId));
    if (unknown.length > 0) failed.push(groupFailure('data-dir', 'wrong-key', dataDirKeyReplaced(unknown[0].keyId, key.from, outside)));
  }
  return key;
}

function group(checks: readonly HeadCheck[], origin: HeadOrigin, count: number, key: AuditKey | null): HeadGroup {
  const mine = checks.filter((c) => c.origin === origin);
  const failures = mine.filter((c) => !c.ok).sort((a, b) => (a.treeSize ?? -1) - (b.treeSize ?? -1));
  const held = mine.filter((c) => c.ok);
  const largest = held.length === 0 ? null : held[held.length - 1];
  return {
    ok: failures.length === 0,
    checked: count,
    reproduced: held.length,
    key:
      count === 0 || key === null
        ? null
        : { logId: key.logId, publicKey: Buffer.from(key.publicKeyRaw).toString('base64'), from: key.from, keys: key.set.keys.length },
    largestReproduced: largest === null ? null : { treeSize: largest.treeSize ?? 0, timestamp: largest.timestamp, source: largest.source },
    failures: failures.slice(0, MAX_LISTED_HEAD_FAILURES),
    failureCount: failures.length,
  };
}

function headFailure(origin: HeadOrigin, source: string, head: SignedTreeHead, problem: HeadCheckProblem, detail: string): HeadCheck {
  const treeSize = Number.isSafeInteger(head.treeSize) ? head.treeSize : null;
  const timestamp = typeof head.timestamp === 'string' ? head.timestamp : null;
  return { origin, source, treeSize, timestamp, ok: false, problem, detail };
}

function groupFailure(origin: HeadOrigin, problem: HeadCheckProblem, detail: string): HeadCheck {
  return {
    origin,
    source: origin === 'data-dir' ? 'the data dir' : 'the heads given',
    treeSize: null,
    timestamp: null,
    ok: false,
    problem,
    detail,
  };
}

function dataDirKeyReplaced(keyId: string, from: string, given: AuditKey): string {
  const givenText =
    given.set.keys.length === 1
      ? `the key given by ${given.from} (log ${given.logId.slice(0, 16)}…)`
      : `any of the keys given by ${given.from}`;
  return `the signing key in ${from} (log ${keyId.slice(0, 16)}…) is not ${givenText}: the data dir's heads are checked against its own key, which someone may have replaced`;
}
