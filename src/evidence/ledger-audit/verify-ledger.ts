import type { ChainVerification, EventStore } from '../../ledger/event-store';
import type { SignedTreeHead } from '../tree-heads/tree-head';
import { verifyTreeHeadSignature } from '../verify/tree-head.verify';
import {
  auditHeads,
  type FirstDifference,
  type HeadOrigin,
  type HeadProblem,
  type HeadUnderAudit,
  type MerkleReference,
} from './head-audit';
import { nodeEd25519Verify, type AuditKey } from './log-key';
import { logLeaves } from './log-leaves';
import { readOutsideHead, type OutsideHeadFormat, OUTSIDE_HEAD_FORMATS } from './outside-head';

/** At most this many failed heads of a group are listed; the count says how many there were. */
export const MAX_LISTED_HEAD_FAILURES = 20;

export type HeadCheckProblem = HeadProblem | 'bad-signature' | 'wrong-key' | 'log-unreadable';

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
  /** The key signatures were checked against (base64 of the raw 32 bytes); null when none was found (data dir only). */
  key: { logId: string; publicKey: string; from: string } | null;
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
  const dataDirKey = input.dataDir.key ?? input.outside.key;
  const fastVerify = nodeEd25519Verify();
  if (input.dataDir.key !== null && input.outside.key !== null && input.dataDir.key.logId !== input.outside.key.logId) {
    failed.push(groupFailure('data-dir', 'wrong-key', dataDirKeyReplaced(input.dataDir.key, input.outside.key)));
  }
  input.dataDir.heads.forEach((head, i) => {
    const source = `tree_heads #${i + 1}`;
    const signature = dataDirKey === null ? { ok: true as const } : verifyTreeHeadSignature(head, dataDirKey.publicKeyRaw, fastVerify);
    if (!signature.ok) failed.push(headFailure('data-dir', source, head, 'bad-signature', `signature: ${signature.reason}`));
    else toAudit.push({ ...head, origin: 'data-dir', source });
  });
  const outsideKey = input.outside.key ?? input.dataDir.key;
  for (const given of input.outside.heads) {
    if (outsideKey === null) throw new Error('an outside head needs a public key to check it against');
    const reading = readOutsideHead(given.text, outsideKey.publicKeyRaw, input.formats ?? OUTSIDE_HEAD_FORMATS);
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
        : { logId: key.logId, publicKey: Buffer.from(key.publicKeyRaw).toString('base64'), from: key.from },
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

function dataDirKeyReplaced(inDir: AuditKey, given: AuditKey): string {
  return `the signing key in ${inDir.from} (log ${inDir.logId.slice(0, 16)}…) is not the key given by ${given.from} (log ${given.logId.slice(0, 16)}…): the data dir's heads are checked against its own key, which someone may have replaced`;
}
