import type { SeizureStatement } from './seizure-statement.query';
import type { SignedTreeHeadSource, StatementTreeHead } from './signed-tree-head-source';

/**
 * A published statement carries the signed tree head it was computed at, so whoever keeps a
 * statement also holds a checkpoint of the ledger: the head's tree includes every event up to
 * `ledgerPosition`, its signature verifies against the log's public key, and later heads must be
 * provably consistent with it (GET /evidence/consistency-proof).
 */
export const PUBLIC_KEY_URL = '/evidence/public-key';

export interface StatementCheckpoint {
  /** The newest signed head whose tree holds every event up to `ledgerPosition`; null if none was signed in time. */
  treeHead: StatementTreeHead | null;
  /**
   * The head's C2SP checkpoint as a signed note: the log's signature line and one cosignature line
   * per witness that cosigned it; null without a head, or for a head from before checkpoints.
   */
  checkpoint: string | null;
  /** Why `treeHead` is null; null when there is a head. */
  treeHeadNote: string | null;
  /** Where the Ed25519 key that verifies `treeHead.signature` is published. */
  publicKeyUrl: typeof PUBLIC_KEY_URL;
}

export type PublishedSeizureStatement = SeizureStatement & StatementCheckpoint;

/** The longest a statement waits for a head covering it; heads are signed every TREE_HEAD_INTERVAL_SECONDS. */
export const MAX_TREE_HEAD_WAIT_MS = 5_000;
const POLL_MS = 100;

/** How long to wait for a covering head: one signing interval and a second, at most MAX_TREE_HEAD_WAIT_MS. */
export function treeHeadWaitMs(treeHeadIntervalSeconds: number): number {
  return Math.min(treeHeadIntervalSeconds * 1000 + 1000, MAX_TREE_HEAD_WAIT_MS);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The checkpoint of a statement computed at `ledgerPosition`: waits up to `waitMs` for a head
 * covering it, and never fails the statement — without a head it says why.
 */
export async function statementCheckpoint(
  heads: SignedTreeHeadSource,
  ledgerPosition: number,
  waitMs: number,
): Promise<StatementCheckpoint> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const found = heads.latestCovering(ledgerPosition);
    if (found !== undefined) {
      const { checkpoint, ...treeHead } = found;
      return { treeHead, checkpoint: checkpoint ?? null, treeHeadNote: null, publicKeyUrl: PUBLIC_KEY_URL };
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
  return {
    treeHead: null,
    checkpoint: null,
    treeHeadNote:
      `no signed tree head covers ledger position ${ledgerPosition} yet (heads are signed every few seconds); ` +
      'the figures are complete, ask again shortly for a statement that carries one',
    publicKeyUrl: PUBLIC_KEY_URL,
  };
}

export function withCheckpoint(statement: SeizureStatement, checkpoint: StatementCheckpoint): PublishedSeizureStatement {
  return { ...statement, ...checkpoint };
}
